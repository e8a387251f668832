// Repeats of one call among a span's children: the shape of N+1 queries and calls in a loop. Children come in
// start order (the span tree sorts them); a group counts only when its calls ran one after another: calls that
// overlap ran in parallel, which is what a fix would do, not the problem.
import type { Span } from '../../model/trace';
import type { SpanTree } from '../spanTree';
import type { CallIndex } from './callIndex';
import { clockTolerance } from '../criticalPath';
import { formatDuration } from '../formatDuration';
import { FINDING_KIND_LABELS, fingerprintOf, type Finding, type FindingKind } from './finding';

/** Each call starts after the one before ended, within clock precision (criticalPath.ts's tolerance). */
export function ranInSequence(spans: Span[], group: number[]): boolean {
  for (let k = 1; k < group.length; k++) {
    const previous = spans[group[k - 1]];
    const next = spans[group[k]];
    const tolerance = clockTolerance(Math.min(previous.durationNs, next.durationNs));
    if (next.startNs < previous.startNs + previous.durationNs - tolerance) return false;
  }
  return true;
}

export interface Repeats {
  parent: number;
  key: string;
  /** Children, in start order. */
  group: number[];
}

/**
 * The children of each span that have `role`, grouped by their key; groups of at least `minRepeats`. With
 * `breaksRun`, a child of another role ends the run, as Sentry's N+1 query rule has it: the same query before
 * and after other work is not one loop. A candidate without a key (a query with no statement) is no evidence
 * either way.
 */
export function repeatedChildren(tree: SpanTree, calls: CallIndex, role: number, minRepeats: number, breaksRun: boolean): Repeats[] {
  const found: Repeats[] = [];
  const { childStart, childList } = tree;
  for (let parent = 0; parent + 1 < childStart.length; parent++) {
    const start = childStart[parent];
    const end = childStart[parent + 1];
    if (end - start < minRepeats) continue;
    let candidates = 0;
    for (let c = start; c < end; c++) if (calls.role[childList[c]] === role) candidates++;
    if (candidates < minRepeats) continue;
    let groups = new Map<string, number[]>();
    const flush = () => {
      for (const [key, group] of groups) if (group.length >= minRepeats) found.push({ parent, key, group });
      groups = new Map();
    };
    for (let c = start; c < end; c++) {
      const child = childList[c];
      if (calls.role[child] !== role) {
        if (breaksRun) flush();
        continue;
      }
      const key = calls.key(child);
      if (key === undefined) continue;
      const group = groups.get(key);
      if (group) group.push(child);
      else groups.set(key, [child]);
    }
    flush();
  }
  return found;
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

/** The finding for a loop of repeats: anchored at the loop (the parent), the first repeat as the call; a batch would save all but the longest. */
export function repeatFinding(spans: Span[], kind: FindingKind, what: string, { parent, key, group }: Repeats): Finding {
  const total = totalDuration(spans, group);
  const loop = spans[parent];
  return {
    kind,
    severity: 'warning',
    title: `${FINDING_KIND_LABELS[kind]}: ${group.length} × ${what} (${formatDuration(total)})`,
    spans: group,
    anchor: parent,
    call: group[0],
    fingerprint: fingerprintOf(kind, loop.resource.serviceName, loop.name, key),
    durationNs: total,
    savingNs: total - longest(spans, group),
  };
}
