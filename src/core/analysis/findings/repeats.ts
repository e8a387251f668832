// Repeats of one call among a span's children: the shape of N+1 queries and calls in a loop. Children come in
// start order (the span tree sorts them); a group counts only when its calls ran one after another: calls that
// overlap ran in parallel, which is what a fix would do, not the problem.
import type { Span } from '../../model/trace';
import type { SpanTree } from '../spanTree';

/** Children of span `i`, in start order. */
export function childrenOf(tree: SpanTree, i: number): Int32Array {
  return tree.childList.subarray(tree.childStart[i], tree.childStart[i + 1]);
}

/**
 * Each call starts after the one before ended. Clocks are those of one process, so the tolerance is small: a
 * millisecond, or a tenth of the shorter call when calls are faster than that.
 */
export function ranInSequence(spans: Span[], group: number[]): boolean {
  for (let k = 1; k < group.length; k++) {
    const previous = spans[group[k - 1]];
    const next = spans[group[k]];
    const tolerance = Math.min(1_000_000, 0.1 * Math.min(previous.durationNs, next.durationNs));
    if (next.startNs < previous.startNs + previous.durationNs - tolerance) return false;
  }
  return true;
}

/**
 * The children of each span grouped by `keyOf` (undefined: not a candidate). With `breaksRun`, a child that is
 * not a candidate ends the run, as Sentry's N+1 query rule has it: the same query before and after other work
 * is not one loop.
 */
export function* repeatedChildren(
  spans: Span[],
  tree: SpanTree,
  minRepeats: number,
  keyOf: (span: Span) => string | undefined,
  breaksRun: boolean,
): Generator<{ parent: number; key: string; group: number[] }> {
  for (let parent = 0; parent < spans.length; parent++) {
    const children = childrenOf(tree, parent);
    if (children.length < minRepeats) continue;
    let groups = new Map<string, number[]>();
    const flush = function* () {
      for (const [key, group] of groups) if (group.length >= minRepeats) yield { parent, key, group };
      groups = new Map();
    };
    for (const child of children) {
      const key = keyOf(spans[child]);
      if (key === undefined) {
        if (breaksRun) yield* flush();
        continue;
      }
      const group = groups.get(key);
      if (group) group.push(child);
      else groups.set(key, [child]);
    }
    yield* flush();
  }
}

export function totalDuration(spans: Span[], group: number[]): number {
  let total = 0;
  for (const i of group) total += spans[i].durationNs;
  return total;
}

export function longest(spans: Span[], group: number[]): number {
  let max = 0;
  for (const i of group) max = Math.max(max, spans[i].durationNs);
  return max;
}
