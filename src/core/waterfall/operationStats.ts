// Where a trace's time went, by operation (a service and a span name), as Jaeger UI's "Trace Statistics" tells it:
// how many spans, how many failed, their durations, and their self time (a span's time not covered by any of its
// children). Made from the waterfall's own columns, so the page makes it from the rows it holds, with no message
// and no span object.
import { selfTimesInOrder } from '../analysis/selfTime';
import { ROW_FLAGS, type WaterfallRows } from './rows';

export interface OperationStats {
  /** Index into the model's `services`. */
  service: number;
  /** Index into the model's `strings`. */
  name: number;
  spans: number;
  errors: number;
  totalNs: number;
  minNs: number;
  maxNs: number;
  /** Summed self time of its spans. */
  selfNs: number;
  /** Its longest span's row (the first of them, where several are as long). */
  longestRow: number;
}

type Columns = Pick<WaterfallRows, 'parent' | 'startNs' | 'durationNs' | 'service' | 'name' | 'flags'>;

/** The rows in their own order: the waterfall's, a tree's pre-order. */
function rowOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[r] = r;
  return order;
}

/** Every operation of the rows, the most self time first. */
export function operationStats(rows: Columns, nameCount: number): OperationStats[] {
  const self = selfTimesInOrder(rowOrder(rows.parent.length), rows.parent, rows.startNs, rows.durationNs);
  const byKey = new Map<number, OperationStats>();
  for (let r = 0; r < rows.parent.length; r++) {
    const key = rows.service[r] * nameCount + rows.name[r];
    const duration = rows.durationNs[r];
    let op = byKey.get(key);
    if (!op) {
      op = { service: rows.service[r], name: rows.name[r], spans: 0, errors: 0, totalNs: 0, minNs: duration, maxNs: duration, selfNs: 0, longestRow: r };
      byKey.set(key, op);
    }
    op.spans++;
    if (rows.flags[r] & ROW_FLAGS.error) op.errors++;
    op.totalNs += duration;
    op.selfNs += self[r];
    op.minNs = Math.min(op.minNs, duration);
    if (duration > op.maxNs) {
      op.maxNs = duration;
      op.longestRow = r;
    }
  }
  return [...byKey.values()].sort((a, b) => b.selfNs - a.selfNs || b.totalNs - a.totalNs);
}
