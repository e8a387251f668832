// The normalised trace model every decoder produces and every view consumes.
//
// Times: epoch nanoseconds do not fit a double exactly, so a trace keeps its start as a bigint and every span
// its start as nanoseconds relative to that (exact up to ~104 days). Events are relative to their span's start,
// so moving a span (clock-skew adjustment) moves its events with it.

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusCode = 'unset' | 'ok' | 'error';

export interface Status {
  code: StatusCode;
  message?: string;
}

export interface Resource {
  serviceName: string;
  serviceVersion?: string;
  attributes: Attributes;
}

export interface Scope {
  name: string;
  version?: string;
  attributes?: Attributes;
}

export interface SpanEvent {
  name: string;
  /** Nanoseconds from the start of the span that holds the event. */
  offsetNs: number;
  attributes: Attributes;
}

/** `link` is an OTLP link; `follows_from` and `child_of` come from OpenTracing references (Jaeger). */
export type LinkKind = 'link' | 'follows_from' | 'child_of';

export interface SpanLink {
  traceId: string;
  spanId: string;
  kind: LinkKind;
  attributes: Attributes;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** Nanoseconds from the trace's start. */
  startNs: number;
  durationNs: number;
  status: Status;
  attributes: Attributes;
  /** Read-only: spans without events or links share one frozen empty array (saves memory at 100k spans). */
  events: readonly SpanEvent[];
  links: readonly SpanLink[];
  resource: Resource;
  scope?: Scope;
}

export type WarningCode =
  | 'missing-parent'
  | 'duplicate-span'
  | 'duplicate-span-id'
  | 'cycle'
  | 'clock-skew'
  | 'invalid-id'
  | 'invalid-time'
  | 'unknown-field'
  | 'truncated'
  | 'invalid-value'
  /** A warning the source itself attached (Jaeger's span and trace warnings). */
  | 'reported';

export interface TraceWarning {
  code: WarningCode;
  message: string;
  spanId?: string;
}

export interface Trace {
  traceId: string;
  /** Epoch nanoseconds of the earliest span start. */
  startUnixNano: bigint;
  spans: Span[];
  warnings: TraceWarning[];
}

/**
 * Attribute maps inherit nothing: span data is hostile, and a key "__proto__" written into a plain object would
 * replace its prototype (an inherited `error: true` turns a span into a failure, the real keys vanish), while
 * "toString" would read as Object.prototype's. Their prototype is an empty object with no prototype, rather than
 * none at all: V8 keeps an object made with Object.create(null) as a hash table, five times slower to fill than
 * one made by a constructor (a hundred thousand spans' attributes: 120 ms against 25 ms) and larger.
 */
const AttributeMap = function AttributeMap() {} as unknown as new () => Attributes;
AttributeMap.prototype = Object.create(null) as Attributes;

export function newAttributes(): Attributes {
  return new AttributeMap();
}

/** Attribute values nested deeper than this are cut (a hostile value 5,000 levels deep must not reach the stack's end). */
export const MAX_VALUE_DEPTH = 32;
export const CUT_VALUE = `(nested deeper than ${MAX_VALUE_DEPTH} levels; cut)`;

export const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
export const NO_LINKS: readonly SpanLink[] = Object.freeze([]);
export const UNSET_STATUS: Status = Object.freeze({ code: 'unset' });

export function traceEndNs(trace: Trace): number {
  let end = 0;
  for (const span of trace.spans) end = Math.max(end, span.startNs + span.durationNs);
  return end;
}

export function isError(span: Span): boolean {
  return span.status.code === 'error';
}
