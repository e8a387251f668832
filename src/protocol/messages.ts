// The typed contract between the extension and the waterfall webview. Types only (plus two constant tables):
// both bundles import it. Rows travel as typed arrays, which VS Code transfers as buffers, not as JSON.

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
  warnings: string[];
  strings: string[];
  rows: WaterfallRows;
}

export const ROW_FLAGS = { error: 1, critical: 2 } as const;
export const SPAN_KINDS = ['internal', 'server', 'client', 'producer', 'consumer', 'unspecified'] as const;

export interface SpanDetails {
  span: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  kind: string;
  startNs: number;
  durationNs: number;
  selfNs: number;
  status: { code: string; message?: string };
  /** Attribute groups as [key, value-as-text] pairs. */
  attributes: [string, string][];
  resource: [string, string][];
  scope?: [string, string][];
  events: { name: string; offsetNs: number; attributes: [string, string][] }[];
  links: { traceId: string; spanId: string; kind: string; attributes: [string, string][] }[];
  /** Where the span's code is ("src/orders.ts:11"), when it maps to a workspace file. */
  code?: string;
  /** Where it failed, when that is a different place. */
  failure?: string;
}

/** State the webview keeps across reloads (VS Code's setState): what to reopen, never trace data. */
export interface WaterfallViewState {
  traceId: string;
  spanId?: string;
  /** The trace file it came from, so a restored panel can read it again. */
  file?: string;
}

export type ToWebview =
  /** `nameWidth`: the name column's width the user last dragged to, in pixels. */
  | { type: 'trace'; model: WaterfallModel; file?: string; selectRow?: number; nameWidth?: number }
  | { type: 'select'; row: number }
  | { type: 'unavailable'; message: string }
  | { type: 'details'; requestId: number; details: SpanDetails | undefined }
  | { type: 'searchResults'; requestId: number; rows: Int32Array };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'selectSpan'; requestId: number; span: number }
  | { type: 'search'; requestId: number; query: string }
  | { type: 'copy'; text: string }
  | { type: 'openTrace'; traceId: string; spanId?: string }
  | { type: 'goToCode'; span: number; failure: boolean }
  | { type: 'nameWidth'; px: number };
