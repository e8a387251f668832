// One group's samples on the merged call tree, as columns: a row per (trace, node) a trace ran, the rows of a
// trace together. A group of 5,000 traces has about a million rows; an object and a map entry for each were most
// of a comparison's memory and of its time collecting garbage. Gathered by node (counted, then placed), each
// node's times per trace are one typed array, ready to sort.

export class SampleTable {
  /** Per trace, by its index. */
  readonly traceIds: string[] = [];
  readonly durations: number[] = [];
  /**
   * Per row. Plain arrays of numbers, not typed ones: they live on the heap, where typed arrays' buffers count as
   * outside memory, and a few megabytes of that make V8 collect the whole heap (with a million spans held, a
   * second of work) to see whether it can free some.
   */
  readonly trace: number[] = [];
  readonly key: number[] = [];
  readonly count: number[] = [];
  readonly errors: number[] = [];
  readonly totalNs: number[] = [];
  readonly selfNs: number[] = [];
  /** The id of the trace's first span of the node: an exemplar to open. */
  readonly firstSpanIds: string[] = [];

  /** The row of each key in the trace being written, valid where its stamp is the trace's number + 1. */
  private readonly rowOfKey: number[] = [];
  private readonly stampOfKey: number[] = [];
  private current = -1;

  get traces(): number {
    return this.traceIds.length;
  }

  get length(): number {
    return this.key.length;
  }

  beginTrace(traceId: string): void {
    this.current = this.traceIds.length;
    this.traceIds.push(traceId);
    this.durations.push(0);
  }

  endTrace(durationNs: number): void {
    this.durations[this.current] = durationNs;
  }

  /** Adds to the current trace's row of `key` (made by its first span): `spans` spans, their times and failures. */
  add(key: number, spans: number, totalNs: number, selfNs: number, errors: number, firstSpanId: string): void {
    const stamp = this.current + 1;
    // Grown densely (a write far past the end would make the arrays sparse, and slow).
    while (this.stampOfKey.length <= key) {
      this.stampOfKey.push(0);
      this.rowOfKey.push(-1);
    }
    let row = this.rowOfKey[key];
    if (this.stampOfKey[key] !== stamp) {
      row = this.key.length;
      this.rowOfKey[key] = row;
      this.stampOfKey[key] = stamp;
      this.trace.push(this.current);
      this.key.push(key);
      this.count.push(spans);
      this.errors.push(errors);
      this.totalNs.push(totalNs);
      this.selfNs.push(selfNs);
      this.firstSpanIds.push(firstSpanId);
      return;
    }
    this.count[row] += spans;
    this.errors[row] += errors;
    this.totalNs[row] += totalNs;
    this.selfNs[row] += selfNs;
  }

  addSpan(key: number, durationNs: number, selfNs: number, failed: boolean, spanId: string): void {
    this.add(key, 1, durationNs, selfNs, failed ? 1 : 0, spanId);
  }
}

/** A node's rows in one group: per trace that ran it (in the order traces came), its time in the node. */
export interface Gathered {
  /** Row numbers in the table, and the rows' total and self times, in parallel (stats sorts the times in place). */
  rows: Int32Array;
  totals: Float64Array;
  selves: Float64Array;
  spans: number;
  errors: number;
}

/** Every node's rows, grouped by node in two passes (count, then place): no array grown per node. */
export function gather(table: SampleTable): Map<number, Gathered> {
  const n = table.length;
  const rowsOf = new Map<number, number>();
  for (let r = 0; r < n; r++) rowsOf.set(table.key[r], (rowsOf.get(table.key[r]) ?? 0) + 1);
  const byKey = new Map<number, Gathered>();
  for (const [key, rows] of rowsOf)
    byKey.set(key, { rows: new Int32Array(rows), totals: new Float64Array(rows), selves: new Float64Array(rows), spans: 0, errors: 0 });
  const filled = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const key = table.key[r];
    const g = byKey.get(key)!;
    const at = filled.get(key) ?? 0;
    filled.set(key, at + 1);
    g.rows[at] = r;
    g.totals[at] = table.totalNs[r];
    g.selves[at] = table.selfNs[r];
    g.spans += table.count[r];
    g.errors += table.errors[r];
  }
  return byKey;
}
