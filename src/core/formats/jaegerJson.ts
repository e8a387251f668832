// Jaeger's legacy trace JSON (the UI model): `GET /api/traces/{id}` answers and Jaeger UI downloads.
// Times are microseconds; process tags become the resource; CHILD_OF/FOLLOWS_FROM references become the parent
// and links.
import { normaliseSpanId, normaliseTraceId } from '../model/ids';
import { spanKindFrom, statusWithTagFallbacks } from '../model/status';
import { DECIMAL_RADIX, microsOffsetNs, microsToNanos, splitMicros } from '../model/spanTime';
import {
  newAttributes,
  NO_EVENTS,
  UNSET_STATUS,
  type AttributeValue,
  type Attributes,
  type Resource,
  type Span,
  type SpanEvent,
  type SpanLink,
} from '../model/trace';
import { TraceAssembler, TIME_PENDING } from '../model/traceAssembler';
import type { Decoded } from './decodeResult';
import { resourceFrom } from './otlpJson';
import { asObject, type Json } from './jsonShape';

function tagValue(tag: Json): AttributeValue {
  const value = tag.value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function tagsToAttributes(tags: unknown, into: Attributes = newAttributes()): Attributes {
  if (!Array.isArray(tags)) return into;
  for (const item of tags) {
    const tag = asObject(item);
    if (tag && typeof tag.key === 'string') into[tag.key] = tagValue(tag);
  }
  return into;
}

/** The traces in any of the shapes Jaeger writes: `{data:[…]}`, `{data:{…}}`, `[…]` or one trace object. */
export function jaegerTraceObjects(doc: unknown): Json[] {
  const envelope = asObject(doc);
  const data = envelope && 'data' in envelope ? envelope.data : doc;
  const list = Array.isArray(data) ? data : [data];
  return list.map(asObject).filter((t): t is Json => !!t && Array.isArray(t.spans));
}

export function isJaegerTrace(value: unknown): boolean {
  const trace = asObject(value);
  return !!trace && Array.isArray(trace.spans) && ('processes' in trace || 'traceID' in trace);
}

class JaegerReader {
  constructor(private readonly assembler: TraceAssembler) {}

  readTrace(trace: Json): void {
    const processes = asObject(trace.processes) ?? {};
    const resources = new Map<string, Resource>();
    const resourceOf = (span: Json): Resource => {
      const key = typeof span.processID === 'string' ? span.processID : '';
      let resource = key ? resources.get(key) : undefined;
      if (resource) return resource;
      const process = asObject(span.process) ?? asObject(processes[key]);
      const attributes = tagsToAttributes(process?.tags, {});
      if (typeof process?.serviceName === 'string') attributes['service.name'] = process.serviceName;
      resource = resourceFrom(attributes);
      if (key) resources.set(key, resource);
      return resource;
    };
    const fallbackTraceId = trace.traceID;
    const traceId = normaliseTraceId(fallbackTraceId);
    for (const item of trace.spans as unknown[]) {
      const span = asObject(item);
      if (span) this.readSpan(span, fallbackTraceId, resourceOf(span));
    }
    for (const warning of Array.isArray(trace.warnings) ? trace.warnings : []) {
      if (typeof warning === 'string') this.assembler.warn({ code: 'reported', message: `Jaeger: ${warning}` }, traceId);
    }
  }

  private readSpan(raw: Json, fallbackTraceId: unknown, resource: Resource): void {
    const traceId = normaliseTraceId(raw.traceID ?? fallbackTraceId);
    const spanId = normaliseSpanId(raw.spanID);
    if (!traceId || !spanId) {
      this.assembler.reject({ code: 'invalid-id', message: `skipped span "${String(raw.operationName ?? '')}": invalid trace or span id` });
      return;
    }
    const start = splitMicros(raw.startTime);
    if (!start) {
      this.assembler.reject({ code: 'invalid-time', spanId, message: `skipped span ${spanId}: no valid startTime` });
      return;
    }
    const attributes = tagsToAttributes(raw.tags);
    const { parentSpanId, links } = this.parentAndLinks(raw, traceId);
    const span: Span = {
      traceId,
      spanId,
      parentSpanId,
      name: typeof raw.operationName === 'string' ? raw.operationName : '',
      kind: spanKindFrom(attributes['span.kind']) ?? 'unspecified',
      startNs: TIME_PENDING,
      durationNs: TIME_PENDING,
      status: statusWithTagFallbacks(UNSET_STATUS, attributes),
      attributes,
      events: this.events(raw.logs, raw.startTime),
      links,
      resource,
    };
    span.durationNs = microsToNanos(raw.duration);
    for (const warning of Array.isArray(raw.warnings) ? raw.warnings : []) {
      if (typeof warning === 'string') this.assembler.warn({ code: 'reported', spanId, message: `Jaeger: ${warning}` }, traceId);
    }
    this.assembler.add(span, start);
  }

  /** The parent is the first CHILD_OF reference in the same trace (else parentSpanID, else a FOLLOWS_FROM). */
  private parentAndLinks(raw: Json, traceId: string): { parentSpanId?: string; links: SpanLink[] } {
    const refs = (Array.isArray(raw.references) ? raw.references : []).map(asObject).filter((r): r is Json => !!r);
    const sameTrace = (ref: Json) => normaliseTraceId(ref.traceID ?? traceId) === traceId;
    const parentRef =
      refs.find((r) => r.refType === 'CHILD_OF' && sameTrace(r)) ??
      (raw.parentSpanID ? undefined : refs.find((r) => r.refType === 'FOLLOWS_FROM' && sameTrace(r)));
    const parentSpanId = normaliseSpanId(parentRef?.spanID ?? raw.parentSpanID);
    const links: SpanLink[] = [];
    for (const ref of refs) {
      if (ref === parentRef) continue;
      const linkTrace = normaliseTraceId(ref.traceID ?? traceId);
      const linkSpan = normaliseSpanId(ref.spanID);
      if (!linkTrace || !linkSpan) continue;
      links.push({ traceId: linkTrace, spanId: linkSpan, kind: ref.refType === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of', attributes: newAttributes() });
    }
    return { parentSpanId, links };
  }

  private events(logs: unknown, spanStartUs: unknown): readonly SpanEvent[] {
    if (!Array.isArray(logs) || logs.length === 0) return NO_EVENTS;
    const events: SpanEvent[] = [];
    for (const item of logs) {
      const log = asObject(item);
      if (!log) continue;
      const attributes = tagsToAttributes(log.fields);
      const name = typeof attributes.event === 'string' ? attributes.event : typeof attributes.message === 'string' ? attributes.message : 'log';
      const offsetNs = microsOffsetNs(log.timestamp, spanStartUs);
      events.push({ name, offsetNs, attributes });
    }
    return events;
  }
}

export function decodeJaegerTraces(traces: Json[]): Decoded {
  const assembler = new TraceAssembler(DECIMAL_RADIX);
  const reader = new JaegerReader(assembler);
  for (const trace of traces) reader.readTrace(trace);
  return { format: 'jaeger-json', traces: assembler.finish(), warnings: assembler.warnings, rejectedSpans: assembler.rejectedSpans };
}
