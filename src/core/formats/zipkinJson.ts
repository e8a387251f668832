// Zipkin v2 JSON: a span list (`/api/v2/trace/{id}`) or a list of lists (`/api/v2/traces`). Times are
// microseconds. The SERVER half of a `shared` RPC span keeps the client's id; the assembler turns it into the
// client's child so each service's view of the call stays visible.
import { normaliseSpanId, normaliseTraceId } from '../model/ids';
import { spanKindFrom, statusWithTagFallbacks } from '../model/status';
import { DECIMAL_RADIX, microsOffsetNs, microsToNanos, splitMicros, type SplitTime } from '../model/spanTime';
import { newAttributes, NO_EVENTS, NO_LINKS, UNSET_STATUS, type Attributes, type Resource, type Span, type SpanEvent, type Status } from '../model/trace';
import { TraceAssembler, TIME_PENDING } from '../model/traceAssembler';
import type { Decoded } from './decodeResult';
import { resourceFrom } from './otlpJson';
import { asObject, type Json } from './jsonShape';

export function isZipkinSpan(value: unknown): boolean {
  const span = asObject(value);
  return !!span && typeof span.traceId === 'string' && typeof span.id === 'string';
}

/** Flattens a list of lists (`/api/v2/traces`) into one span list. */
export function zipkinSpans(doc: unknown[]): unknown[] {
  return doc.some(Array.isArray) ? doc.flatMap((item) => (Array.isArray(item) ? item : [item])) : doc;
}

/**
 * Zipkin's convention: the error tag's value is the message ("" and "true" mean none). The OpenTelemetry Zipkin
 * exporter adds that tag only when the status has a description, but always sets `otel.status_code`.
 */
function zipkinStatus(tags: Attributes): Status {
  if (!('error' in tags)) return statusWithTagFallbacks(UNSET_STATUS, tags);
  const message = tags.error;
  return typeof message === 'string' && message && message !== 'true' ? { code: 'error', message } : { code: 'error' };
}

class ZipkinReader {
  private readonly resources = new Map<string, Resource>();

  constructor(private readonly assembler: TraceAssembler) {}

  private resource(endpoint: Json | undefined): Resource {
    const serviceName = typeof endpoint?.serviceName === 'string' && endpoint.serviceName ? endpoint.serviceName : 'unknown';
    const key = `${serviceName}|${String(endpoint?.ipv4 ?? endpoint?.ipv6 ?? '')}|${String(endpoint?.port ?? '')}`;
    let resource = this.resources.get(key);
    if (!resource) {
      const attributes = newAttributes();
      attributes['service.name'] = serviceName;
      if (typeof endpoint?.ipv4 === 'string') attributes['host.ip'] = endpoint.ipv4;
      if (typeof endpoint?.ipv6 === 'string') attributes['host.ip'] = endpoint.ipv6;
      if (typeof endpoint?.port === 'number') attributes['host.port'] = endpoint.port;
      resource = resourceFrom(attributes);
      this.resources.set(key, resource);
    }
    return resource;
  }

  read(spans: unknown[]): void {
    const undated: Json[] = [];
    const earliest = new Map<string, SplitTime>();
    for (const item of spans) {
      const raw = asObject(item);
      if (!raw) continue;
      const start = splitMicros(raw.timestamp);
      if (!start) {
        undated.push(raw);
        continue;
      }
      const span = this.span(raw, start);
      if (!span) continue;
      const known = earliest.get(span.traceId);
      if (!known || start.major < known.major || (start.major === known.major && start.minor < known.minor)) earliest.set(span.traceId, start);
    }
    // A span without a timestamp (a late or partial report) is drawn at the start of its trace.
    for (const raw of undated) {
      const traceId = normaliseTraceId(raw.traceId);
      const start = traceId ? earliest.get(traceId) : undefined;
      if (!start) {
        this.assembler.reject({ code: 'invalid-time', message: `skipped span ${String(raw.id)}: no timestamp` }, traceId);
        continue;
      }
      const span = this.span(raw, start);
      if (span)
        this.assembler.warn(
          { code: 'invalid-time', spanId: span.spanId, message: `span ${span.spanId} has no timestamp; drawn at the trace start` },
          span.traceId,
        );
    }
  }

  private span(raw: Json, start: SplitTime): Span | undefined {
    const traceId = normaliseTraceId(raw.traceId);
    const spanId = normaliseSpanId(raw.id);
    if (!traceId || !spanId) {
      this.assembler.reject({ code: 'invalid-id', message: `skipped span "${String(raw.name ?? '')}": invalid trace or span id` });
      return undefined;
    }
    const attributes = newAttributes();
    const tags = asObject(raw.tags);
    // Zipkin tags are strings; anything else is kept as its JSON text, not "[object Object]".
    if (tags)
      for (const key of Object.keys(tags))
        attributes[key] = typeof tags[key] === 'string' ? (tags[key] as string) : (JSON.stringify(tags[key]) ?? String(tags[key]));
    const remote = asObject(raw.remoteEndpoint);
    if (typeof remote?.serviceName === 'string') attributes['peer.service'] = remote.serviceName;
    if (typeof (remote?.ipv4 ?? remote?.ipv6) === 'string') attributes['network.peer.address'] = (remote?.ipv4 ?? remote?.ipv6) as string;
    if (typeof remote?.port === 'number') attributes['network.peer.port'] = remote.port;
    const span: Span = {
      traceId,
      spanId,
      parentSpanId: normaliseSpanId(raw.parentId),
      name: typeof raw.name === 'string' ? raw.name : '',
      kind: spanKindFrom(raw.kind) ?? 'unspecified',
      startNs: TIME_PENDING,
      durationNs: TIME_PENDING,
      status: zipkinStatus(attributes),
      attributes,
      events: this.events(raw.annotations, raw.timestamp),
      links: NO_LINKS,
      resource: this.resource(asObject(raw.localEndpoint)),
    };
    span.durationNs = microsToNanos(raw.duration);
    this.assembler.add(span, start);
    return span;
  }

  private events(annotations: unknown, spanStartUs: unknown): readonly SpanEvent[] {
    if (!Array.isArray(annotations) || annotations.length === 0) return NO_EVENTS;
    const events: SpanEvent[] = [];
    for (const item of annotations) {
      const a = asObject(item);
      if (!a || typeof a.value !== 'string') continue;
      const offsetNs = microsOffsetNs(a.timestamp, spanStartUs);
      events.push({ name: a.value, offsetNs, attributes: newAttributes() });
    }
    return events;
  }
}

export function decodeZipkinSpans(spans: unknown[]): Decoded {
  const assembler = new TraceAssembler(DECIMAL_RADIX);
  new ZipkinReader(assembler).read(spans);
  return { format: 'zipkin-json', traces: assembler.finish(), warnings: assembler.warnings, rejectedSpans: assembler.rejectedSpans };
}
