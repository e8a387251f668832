// Self time: the part of a span's duration not covered by any of its children (overlapping children count once).
import type { Trace } from '../model/trace';
import type { SpanTree } from './spanTree';
import { timeColumns } from './timeColumns';

export function computeSelfTimes(trace: Trace, tree: SpanTree): Float64Array {
  const { startNs, durationNs } = timeColumns(trace);
  return selfTimesInOrder(tree.order, tree.parent, startNs, durationNs);
}

/**
 * Self times of spans visited in `order` (each span before its children, and a span's children in start order, as
 * a tree's pre-order is), from their parents (-1 for roots), starts and durations. Each parent's children are
 * merged in one sweep as they come: a child counts from where the ones before it stopped covering, and only within
 * its parent (a child that outlives its parent, as clock skew makes them, covers no more than it).
 */
export function selfTimesInOrder(order: ArrayLike<number>, parent: Int32Array, startNs: Float64Array, durationNs: Float64Array): Float64Array {
  const self = Float64Array.from(durationNs);
  /** Per span, how far its children cover it so far. */
  const coveredTo = Float64Array.from(startNs);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const p = parent[i];
    if (p < 0) continue;
    const from = Math.max(startNs[i], coveredTo[p]);
    const to = Math.min(startNs[i] + durationNs[i], startNs[p] + durationNs[p]);
    if (to <= from) continue;
    self[p] -= to - from;
    coveredTo[p] = to;
  }
  return self;
}
