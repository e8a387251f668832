// The critical path: the chain of work that decided the trace's duration. Jaeger UI's rule: from the end of a
// span walk back to the last child that finished before the cursor (within clock precision, see below), descend
// into it, and return to the parent at that child's start. Children are clipped to their parent's bounds first. Iterative, so deep
// traces do not overflow the stack; each child is visited at most once (O(n log n) for the sorting).
import type { Trace } from '../model/trace';
import type { SpanTree } from './spanTree';
import { sortByKey } from './sortByKey';
import { timeColumns } from './timeColumns';

export interface CriticalSegment {
  spanIndex: number;
  startNs: number;
  endNs: number;
}

export interface CriticalPath {
  /** In time order. */
  segments: CriticalSegment[];
  /** 1 for every span with at least one segment on the path. */
  onPath: Uint8Array;
  /** Per span, its segments' time summed (0 off the path): what it held the path, with no object per segment. */
  spanTimes: Float64Array;
}

/** The root the path starts from: the longest-running root (orphan roots are usually fragments). */
export function mainRoot(trace: Trace, tree: SpanTree): number {
  return mainRootOf(tree.roots, (i) => trace.spans[i].durationNs);
}

export function mainRootOf(roots: readonly number[], durationOf: (span: number) => number): number {
  let best = -1;
  for (const root of roots) if (best < 0 || durationOf(root) > durationOf(best)) best = root;
  return best;
}

/**
 * How far a span may overlap the next one and still count as before it. Consecutive calls in one loop overlap by
 * 0.2-0.4 ms in real SDK data (the end and the next start are taken at different points of the same await), which
 * a strict rule reads as concurrency. A millisecond covers that; a tenth of the span's duration keeps short spans
 * that truly overlap apart. The critical path and the detectors of sequential repeats both use it.
 */
export function clockTolerance(durationNs: number): number {
  return Math.min(1_000_000, 0.1 * durationNs);
}

/** Whether the child ended after `cursor`, beyond clock precision (then it ran beside what follows it). */
function endsAfter(start: Float64Array, end: Float64Array, child: number, cursor: number): boolean {
  return end[child] > cursor + clockTolerance(end[child] - start[child]);
}

export function computeCriticalPath(trace: Trace, tree: SpanTree): CriticalPath {
  const { startNs, durationNs } = timeColumns(trace);
  return criticalPathOf(startNs, durationNs, tree);
}

/** The critical path from the spans' times as columns (`start` is clipped in place). */
export function criticalPathOf(
  start: Float64Array,
  duration: Float64Array,
  tree: Pick<SpanTree, 'parent' | 'childStart' | 'childList' | 'roots' | 'order'>,
): CriticalPath {
  const n = start.length;
  const onPath = new Uint8Array(n);
  const root = mainRootOf(tree.roots, (i) => duration[i]);
  if (root < 0) return { segments: [], onPath, spanTimes: new Float64Array(n) };

  // Effective (clipped) bounds, top-down.
  const end = new Float64Array(n);
  for (let i = 0; i < n; i++) end[i] = start[i] + duration[i];
  for (const node of tree.order) {
    const p = tree.parent[node];
    if (p < 0) continue;
    start[node] = Math.min(Math.max(start[node], start[p]), end[p]);
    end[node] = Math.max(Math.min(end[node], end[p]), start[node]);
  }
  // Children of each node by effective end, latest first, sorted when the walk first reaches the node (most
  // nodes it never reaches); `next` only moves forward as the cursor moves back.
  const byEnd = new Int32Array(tree.childList);
  const sorted = new Uint8Array(n);
  const next = tree.childStart.slice(0, n);
  // Segments in columns, latest first: a chain of 100k spans has 200k of them, too many objects to make for
  // the waterfall, which reads only `onPath`. A span adds one after each child on the path and one at its start.
  const found: Segments = { count: 0, span: new Int32Array(2 * n), from: new Float64Array(2 * n), to: new Float64Array(2 * n) };
  const add = (spanIndex: number, startNs: number, endNs: number) => {
    found.span[found.count] = spanIndex;
    found.from[found.count] = startNs;
    found.to[found.count++] = endNs;
    onPath[spanIndex] = 1;
  };

  let node = root;
  let cursor = end[root];
  for (;;) {
    const last = tree.childStart[node + 1];
    if (!sorted[node]) sortByKey(byEnd, tree.childStart[node], last, end, -1);
    sorted[node] = 1;
    while (next[node] < last && endsAfter(start, end, byEnd[next[node]], cursor)) next[node]++;
    if (next[node] < last) {
      const child = byEnd[next[node]++];
      if (end[child] < cursor) add(node, end[child], cursor);
      node = child;
      cursor = Math.min(end[child], cursor);
      continue;
    }
    if (start[node] < cursor || found.count === 0) add(node, start[node], cursor);
    if (node === root) break;
    cursor = start[node];
    node = tree.parent[node];
  }
  let segments: CriticalSegment[] | undefined;
  let spanTimes: Float64Array | undefined;
  return {
    get segments() {
      return (segments ??= inTimeOrder(found));
    },
    onPath,
    get spanTimes() {
      return (spanTimes ??= timesBySpan(found, n));
    },
  };
}

interface Segments {
  count: number;
  span: Int32Array;
  from: Float64Array;
  to: Float64Array;
}

function timesBySpan(found: Segments, n: number): Float64Array {
  const times = new Float64Array(n);
  for (let k = 0; k < found.count; k++) times[found.span[k]] += found.to[k] - found.from[k];
  return times;
}

function inTimeOrder(found: Segments): CriticalSegment[] {
  const segments: CriticalSegment[] = [];
  for (let k = found.count - 1; k >= 0; k--) segments.push({ spanIndex: found.span[k], startNs: found.from[k], endNs: found.to[k] });
  return segments;
}
