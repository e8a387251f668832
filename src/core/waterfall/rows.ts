// The waterfall's columnar layout: one typed array per column, rows in tree order. It is what the host hands the
// webview (typed arrays cross as buffers, not JSON), so it has no imports and the webview bundle can take it.

/** One entry per row, rows in depth-first order (the order the waterfall shows them). */
export interface WaterfallRows {
  /** Index into the host's span list, used to ask for details. */
  span: Int32Array;
  /** Row of the parent span, -1 for roots. */
  parent: Int32Array;
  /** One past the last row of this row's subtree: rows r+1 … subtreeEnd[r]-1 are its descendants. */
  subtreeEnd: Int32Array;
  depth: Int32Array;
  /** Nanoseconds from the trace start. */
  startNs: Float64Array;
  durationNs: Float64Array;
  /** Index into `services`. */
  service: Int32Array;
  /** Index into `strings`. */
  name: Int32Array;
  /** Index into SPAN_KINDS. */
  kind: Uint8Array;
  /** Bit flags, see ROW_FLAGS. */
  flags: Uint8Array;
  /** Events of row r are eventNs[eventStart[r] … eventStart[r+1]-1], as ns from the trace start. */
  eventStart: Int32Array;
  eventNs: Float64Array;
}

export interface WaterfallModel {
  traceId: string;
  /** Epoch ms of the trace start (display only; exact ns stay on the host). */
  startEpochMs: number;
  durationNs: number;
  rootService: string;
  rootName: string;
  services: string[];
  errorCount: number;
  /** The row where the trace's failure began (failureOrigin.ts), selected when the trace opens; -1 if none failed. */
  failureOriginRow: number;
  warnings: string[];
  strings: string[];
  rows: WaterfallRows;
  /**
   * Set on a preview: the trace has this many rows, of which these are the first (the top of the tree), sent
   * ahead of the whole model, whose passage to the page takes seconds at a million rows.
   */
  totalRows?: number;
}

export const ROW_FLAGS = { error: 1, critical: 2 } as const;

/** The buffers of a model's columns, to move them to another thread rather than copy them. */
export function columnBuffers(model: WaterfallModel): ArrayBuffer[] {
  return Object.values(model.rows).map((column) => (column as Int32Array).buffer as ArrayBuffer);
}
export const SPAN_KINDS = ['internal', 'server', 'client', 'producer', 'consumer', 'unspecified'] as const;

/**
 * A row's parent and the end of its subtree, from the depths alone. In pre-order a row's parent is the last row
 * above it one level up, and its subtree ends where the next row at its depth or above starts: one pass, the
 * current path held by depth (a million rows: a few milliseconds, where a stack of open rows took 60 on the page).
 */
export function fillTreeColumns(rows: Pick<WaterfallRows, 'depth' | 'parent' | 'subtreeEnd'>): void {
  const n = rows.depth.length;
  const path: number[] = [];
  let deepest = -1;
  for (let r = 0; r < n; r++) {
    const depth = rows.depth[r];
    for (let d = deepest; d >= depth; d--) rows.subtreeEnd[path[d]] = r;
    rows.parent[r] = depth === 0 ? -1 : path[depth - 1];
    path[depth] = r;
    deepest = depth;
  }
  for (let d = deepest; d >= 0; d--) rows.subtreeEnd[path[d]] = n;
}

/** Each column's type. */
export const ROW_COLUMN_TYPES: Record<keyof WaterfallRows, new (n: number) => WaterfallRows[keyof WaterfallRows]> = {
  span: Int32Array,
  parent: Int32Array,
  subtreeEnd: Int32Array,
  depth: Int32Array,
  startNs: Float64Array,
  durationNs: Float64Array,
  service: Int32Array,
  name: Int32Array,
  kind: Uint8Array,
  flags: Uint8Array,
  eventStart: Int32Array,
  eventNs: Float64Array,
};

/** The columns of `n` rows; `eventStart` has one more (row r's events start at r, end at r + 1), `eventNs` none yet. */
export function emptyRows(n: number): WaterfallRows {
  const length = (name: string) => (name === 'eventStart' ? n + 1 : name === 'eventNs' ? 0 : n);
  return Object.fromEntries(Object.entries(ROW_COLUMN_TYPES).map(([name, Typed]) => [name, new Typed(length(name))])) as unknown as WaterfallRows;
}
