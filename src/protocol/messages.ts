// The typed contract between the extension and the waterfall webview. Types only: both bundles import it.

/** The waterfall's rows in display order, as columns (one entry per row), plus a string table. */
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
  rows: {
    /** Index into the host's span list, used to ask for details. */
    span: number[];
    depth: number[];
    startNs: number[];
    durationNs: number[];
    /** Index into `services`. */
    service: number[];
    /** Index into `strings`. */
    name: number[];
    /** Bit flags, see ROW_FLAGS. */
    flags: number[];
    childCount: number[];
  };
}

export const ROW_FLAGS = { error: 1, critical: 2 } as const;

export interface SpanDetails {
  span: number;
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
  scope?: string;
  events: { name: string; offsetNs: number; attributes: [string, string][] }[];
  links: { traceId: string; spanId: string; kind: string }[];
}

export type ToWebview =
  | { type: 'trace'; model: WaterfallModel }
  | { type: 'details'; requestId: number; details: SpanDetails | undefined };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'selectSpan'; requestId: number; span: number }
  | { type: 'copy'; text: string };
