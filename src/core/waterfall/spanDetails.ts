// Everything about one span, sent when it is selected (the rows carry only what drawing needs). No imports, so the
// webview bundle can take the type.

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
  /** `stack`: an exception's stack trace line by line, `place` where a frame is a workspace file ("src/pay.ts:10"). */
  events: { name: string; offsetNs: number; attributes: [string, string][]; stack?: { text: string; place?: string }[] }[];
  links: { traceId: string; spanId: string; kind: string; attributes: [string, string][] }[];
  /** Where the span's code is ("src/orders.ts:11"), when it maps to a workspace file. */
  code?: string;
  /** Where it failed, when that is a different place. */
  failure?: string;
}
