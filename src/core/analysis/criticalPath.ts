// The critical path: the chain of work that decided the trace's duration. Jaeger UI's rule: from the end of a
// span walk back to the last child that finished before the cursor (within clock precision, see below), descend
// into it, and return to the parent at that child's start. Children are clipped to their parent's bounds first. Iterative, so deep
// traces do not overflow the stack; each child is visited at most once (O(n log n) for the sorting).
import type { Trace } from '../model/trace';
import type { SpanTree } from './spanTree';

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
}

/** The root the path starts from: the longest-running root (orphan roots are usually fragments). */
export function mainRoot(trace: Trace, tree: SpanTree): number {
  let best = -1;
  for (const root of tree.roots) if (best < 0 || trace.spans[root].durationNs > trace.spans[best].durationNs) best = root;
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
  const spans = trace.spans;
  const n = spans.length;
  const onPath = new Uint8Array(n);
  const segments: CriticalSegment[] = [];
  const root = mainRoot(trace, tree);
  if (root < 0) return { segments, onPath };

  // Effective (clipped) bounds, top-down.
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  for (const node of tree.order) {
    const p = tree.parent[node];
    const s = spans[node].startNs;
    const e = s + spans[node].durationNs;
    start[node] = p < 0 ? s : Math.min(Math.max(s, start[p]), end[p]);
    end[node] = p < 0 ? e : Math.max(Math.min(e, end[p]), start[node]);
  }
  // Children of each node by effective end, latest first, sorted when the walk first reaches the node (most
  // nodes it never reaches); `next` only moves forward as the cursor moves back.
  const byEnd = new Int32Array(tree.childList);
  const sorted = new Uint8Array(n);
  const next = tree.childStart.slice(0, n);

  let node = root;
  let cursor = end[root];
  for (;;) {
    const last = tree.childStart[node + 1];
    if (!sorted[node] && last - tree.childStart[node] > 1) byEnd.subarray(tree.childStart[node], last).sort((a, b) => end[b] - end[a] || b - a);
    sorted[node] = 1;
    while (next[node] < last && endsAfter(start, end, byEnd[next[node]], cursor)) next[node]++;
    if (next[node] < last) {
      const child = byEnd[next[node]++];
      if (end[child] < cursor) segments.push({ spanIndex: node, startNs: end[child], endNs: cursor });
      node = child;
      cursor = Math.min(end[child], cursor);
      continue;
    }
    if (start[node] < cursor || segments.length === 0) segments.push({ spanIndex: node, startNs: start[node], endNs: cursor });
    if (node === root) break;
    cursor = start[node];
    node = tree.parent[node];
  }
  segments.reverse();
  for (const segment of segments) onPath[segment.spanIndex] = 1;
  return { segments, onPath };
}
