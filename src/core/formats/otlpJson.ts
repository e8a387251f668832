// OTLP/JSON, in both dialects met in practice: the spec's (hex ids, integer enums) and gogo jsonpb's as Grafana
// Tempo writes it (base64 ids, enum names). Jaeger's api_v3 answers are the spec dialect in a `result` envelope.
import { normaliseSpanId, normaliseTraceId } from '../model/ids';
import { spanKindFrom, statusCodeFrom, statusWithTagFallbacks } from '../model/status';
import { DECIMAL_RADIX, diffNs, splitNanos, type SplitTime } from '../model/spanTime';
import {
  CUT_VALUE,
  MAX_VALUE_DEPTH,
  newAttributes,
  NO_EVENTS,
  NO_LINKS,
  UNSET_STATUS,
  type AttributeValue,
  type Attributes,
  type LinkKind,
  type Resource,
  type Scope,
  type Span,
  type SpanEvent,
  type SpanLink,
  type Status,
} from '../model/trace';
import { TraceAssembler, TIME_PENDING } from '../model/traceAssembler';
import type { Decoded, FormatName } from './decodeResult';
import { asObject, asArray, type Json } from './jsonShape';

export const SPAN_FIELDS = new Set([
  'traceId',
  'spanId',
  'parentSpanId',
  'traceState',
  'name',
  'kind',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'attributes',
  'droppedAttributesCount',
  'events',
  'droppedEventsCount',
  'links',
  'droppedLinksCount',
  'status',
  'flags',
]);

export function int64Value(value: unknown): AttributeValue {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    const n = Number(value);
    // Beyond 2^53 a double would silently change the value: keep the exact digits.
    return Number.isSafeInteger(n) ? n : value;
  }
  return null;
}

export function otlpAnyValue(raw: unknown, depth = 0): AttributeValue {
  const v = asObject(raw);
  if (!v) return null;
  if (depth > MAX_VALUE_DEPTH) return CUT_VALUE;
  if (v.stringValue !== undefined) return typeof v.stringValue === 'string' ? v.stringValue : String(v.stringValue);
  if (v.intValue !== undefined) return int64Value(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue === true || v.boolValue === 'true';
  if (v.doubleValue !== undefined) return typeof v.doubleValue === 'number' ? v.doubleValue : Number(v.doubleValue);
  if (v.arrayValue !== undefined) return asArray(asObject(v.arrayValue)?.values).map((item) => otlpAnyValue(item, depth + 1));
  if (v.kvlistValue !== undefined) return otlpAttributes(asObject(v.kvlistValue)?.values, depth + 1);
  if (v.bytesValue !== undefined) return typeof v.bytesValue === 'string' ? v.bytesValue : null;
  return null;
}

/** `strings`: one copy of each short string value (see OtlpJsonReader.strings). */
export function otlpAttributes(raw: unknown, depth = 0, strings?: Map<string, string>): Attributes {
  const attributes = newAttributes();
  if (!Array.isArray(raw)) return attributes;
  for (const item of raw) {
    const kv = asObject(item);
    if (!kv || typeof kv.key !== 'string') continue;
    const value = otlpAnyValue(kv.value, depth);
    attributes[kv.key] = strings && typeof value === 'string' && value.length <= SHARED_STRING_LENGTH ? sharedString(strings, value) : value;
  }
  return attributes;
}

const MAX_SHARED_RESOURCES = 512;
const MAX_RESOURCE_KEY = 4096;

/** The attributes as a key that ends each part by its length; undefined past MAX_RESOURCE_KEY or for a nested value. */
function resourceKey(attributes: Attributes): string | undefined {
  let key = '';
  for (const name in attributes) {
    const value = attributes[name];
    if (typeof value === 'object' && value !== null) return undefined;
    const text = String(value);
    key += `${name.length}:${name}${typeof value}${text.length}:${text}`;
    if (key.length > MAX_RESOURCE_KEY) return undefined;
  }
  return key;
}

/** String values up to this long are kept once per input (longer ones rarely repeat: statements, stacks). */
const SHARED_STRING_LENGTH = 48;

function sharedString(strings: Map<string, string>, value: string): string {
  const known = strings.get(value);
  if (known !== undefined) return known;
  strings.set(value, value);
  return value;
}

export function resourceFrom(attributes: Attributes): Resource {
  const name = attributes['service.name'];
  const version = attributes['service.version'];
  return {
    serviceName: typeof name === 'string' && name ? name : 'unknown_service',
    serviceVersion: typeof version === 'string' ? version : undefined,
    attributes,
  };
}

export function linkKindFrom(attributes: Attributes): LinkKind {
  const refType = attributes['opentracing.ref_type'];
  return refType === 'follows_from' ? 'follows_from' : refType === 'child_of' ? 'child_of' : 'link';
}

export function scopeFrom(raw: Json | undefined): Scope | undefined {
  if (!raw) return undefined;
  const attributes = otlpAttributes(raw.attributes);
  return {
    name: typeof raw.name === 'string' ? raw.name : '',
    version: typeof raw.version === 'string' ? raw.version : undefined,
    attributes: Object.keys(attributes).length ? attributes : undefined,
  };
}

export function statusFrom(raw: Json | undefined): Status {
  const code = statusCodeFrom(raw?.code) ?? 'unset';
  if (!raw || (code === 'unset' && !raw.message)) return UNSET_STATUS;
  return typeof raw.message === 'string' && raw.message ? { code, message: raw.message } : { code };
}

export function eventsFrom(raw: unknown, spanStart: SplitTime): readonly SpanEvent[] {
  if (!Array.isArray(raw) || raw.length === 0) return NO_EVENTS;
  const events: SpanEvent[] = [];
  for (const item of raw) {
    const e = asObject(item);
    if (!e) continue;
    const time = splitNanos(e.timeUnixNano);
    events.push({
      name: typeof e.name === 'string' ? e.name : '',
      offsetNs: time ? diffNs(time, spanStart, DECIMAL_RADIX) : 0,
      attributes: otlpAttributes(e.attributes),
    });
  }
  return events;
}

export function linksFrom(raw: unknown): readonly SpanLink[] {
  if (!Array.isArray(raw) || raw.length === 0) return NO_LINKS;
  const links: SpanLink[] = [];
  for (const item of raw) {
    const l = asObject(item);
    const traceId = normaliseTraceId(l?.traceId);
    const spanId = normaliseSpanId(l?.spanId);
    if (!l || !traceId || !spanId) continue;
    const attributes = otlpAttributes(l.attributes);
    links.push({ traceId, spanId, kind: linkKindFrom(attributes), attributes });
  }
  return links;
}

class OtlpJsonReader {
  private readonly unknownFields = new Set<string>();

  /**
   * One copy of each span id, name and short attribute value of the input: JSON.parse makes every string anew,
   * and a stored span keeps its id, its parent's (its parent's own id), its name and its attributes' values,
   * most of them the same as other spans'. The spare copies are garbage at once instead of held (a receiver
   * holds every span).
   */
  private readonly strings = new Map<string, string>();

  /** Resources by what they hold: the spans of one resource share one (a batch repeats it per ResourceSpans). */
  private readonly resources = new Map<string, Resource>();

  constructor(private readonly assembler: TraceAssembler) {}

  private resourceOf(attributes: Attributes): Resource {
    const key = resourceKey(attributes);
    const known = key === undefined ? undefined : this.resources.get(key);
    if (known) return known;
    const resource = resourceFrom(attributes);
    if (key !== undefined && this.resources.size < MAX_SHARED_RESOURCES) this.resources.set(key, resource);
    return resource;
  }

  private kept<T extends string | undefined>(text: T): T {
    return text !== undefined && text.length <= SHARED_STRING_LENGTH ? (sharedString(this.strings, text) as T) : text;
  }

  /**
   * Each parsed span is let go once read (the document is freshly parsed and read once): the document shrinks as
   * the spans grow, so peak memory is nearer the larger of the two than their sum.
   */
  readResourceSpans(list: unknown): void {
    for (const item of asArray(list)) {
      const rs = asObject(item);
      if (!rs) continue;
      const resource = this.resourceOf(otlpAttributes(asObject(rs.resource)?.attributes, 0, this.strings));
      // `instrumentationLibrarySpans` is the name before OTLP 0.15; old exporters and files still use it.
      for (const ssItem of asArray(rs.scopeSpans ?? rs.instrumentationLibrarySpans)) {
        const ss = asObject(ssItem);
        if (!ss) continue;
        const scope = scopeFrom(asObject(ss.scope ?? ss.instrumentationLibrary));
        const spans = asArray(ss.spans);
        for (let i = 0; i < spans.length; i++) {
          this.readSpan(asObject(spans[i]), resource, scope);
          spans[i] = undefined;
        }
      }
    }
  }

  private readSpan(raw: Json | undefined, resource: Resource, scope: Scope | undefined): void {
    if (!raw) return;
    const traceId = normaliseTraceId(raw.traceId);
    const spanId = this.kept(normaliseSpanId(raw.spanId));
    if (!traceId || !spanId) {
      this.assembler.reject({ code: 'invalid-id', message: `skipped span "${String(raw.name ?? '')}": invalid trace or span id` });
      return;
    }
    // proto3 JSON omits zero values, so an absent time is 0 (Jaeger's api_v3 snapshots do this).
    const start = splitNanos(raw.startTimeUnixNano ?? 0);
    if (!start) {
      this.assembler.reject(
        { code: 'invalid-time', spanId, message: `skipped span ${spanId}: startTimeUnixNano ${JSON.stringify(raw.startTimeUnixNano)} is not a time` },
        traceId,
      );
      return;
    }
    const end = splitNanos(raw.endTimeUnixNano ?? 0);
    let durationNs = end ? diffNs(end, start, DECIMAL_RADIX) : 0;
    if (durationNs < 0 || !end) {
      this.assembler.warn(
        { code: 'invalid-time', spanId, message: `span ${spanId} ends before it starts or has no valid end; shown with zero duration` },
        traceId,
      );
      durationNs = 0;
    }
    this.noteUnknownFields(raw);
    const attributes = otlpAttributes(raw.attributes, 0, this.strings);
    const kind = spanKindFrom(raw.kind);
    const span: Span = {
      traceId,
      spanId,
      parentSpanId: this.kept(normaliseSpanId(raw.parentSpanId)),
      name: typeof raw.name === 'string' ? this.kept(raw.name) : '',
      kind: kind ?? 'unspecified',
      startNs: TIME_PENDING,
      durationNs: TIME_PENDING,
      status: statusWithTagFallbacks(statusFrom(asObject(raw.status)), attributes),
      attributes,
      events: eventsFrom(raw.events, start),
      links: linksFrom(raw.links),
      resource,
      scope,
    };
    span.durationNs = durationNs;
    this.assembler.add(span, start);
  }

  private noteUnknownFields(raw: Json): void {
    for (const key in raw) {
      if (!SPAN_FIELDS.has(key) && !this.unknownFields.has(key)) {
        this.unknownFields.add(key);
        this.assembler.warn({ code: 'unknown-field', message: `ignored unknown span field "${key}"` });
      }
    }
  }
}

/** Decodes the `resourceSpans` of one or more OTLP/JSON documents. */
export function decodeOtlpResourceSpans(documents: unknown[], format: FormatName): Decoded {
  const assembler = new TraceAssembler(DECIMAL_RADIX);
  const reader = new OtlpJsonReader(assembler);
  for (const list of documents) reader.readResourceSpans(list);
  return { format, traces: assembler.finish(), warnings: assembler.warnings, rejectedSpans: assembler.rejectedSpans };
}
