// Writes traces as spec OTLP/JSON (hex ids, integer enums, 64-bit integers as decimal strings), one
// ExportTraceServiceRequest per trace: the JSON Lines form every OTLP tool reads, and Trace Lens re-opens.
import type { AttributeValue, Attributes, Span, Trace } from '../model/trace';
import { groupedSpans, linkAttributes, resourceAttributes, STATUS_NUMBER } from './otlpRequestShape';
import { KIND_NUMBER } from '../model/status';

type AnyValue = Record<string, unknown>;

function anyValue(value: AttributeValue): AnyValue {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value) } };
}

function keyValues(attributes: Attributes): { key: string; value: AnyValue }[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function at(trace: Trace, offsetNs: number): string {
  return (trace.startUnixNano + BigInt(Math.round(offsetNs))).toString();
}

function otlpSpan(trace: Trace, span: Span): Record<string, unknown> {
  const out: Record<string, unknown> = { traceId: span.traceId, spanId: span.spanId };
  if (span.parentSpanId) out.parentSpanId = span.parentSpanId;
  out.name = span.name;
  out.kind = KIND_NUMBER[span.kind];
  out.startTimeUnixNano = at(trace, span.startNs);
  out.endTimeUnixNano = at(trace, span.startNs + span.durationNs);
  out.attributes = keyValues(span.attributes);
  if (span.events.length) {
    out.events = span.events.map((e) => ({ timeUnixNano: at(trace, span.startNs + e.offsetNs), name: e.name, attributes: keyValues(e.attributes) }));
  }
  if (span.links.length) {
    out.links = span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: keyValues(linkAttributes(l)) }));
  }
  const status: Record<string, unknown> = { code: STATUS_NUMBER[span.status.code] };
  if (span.status.message) status.message = span.status.message;
  out.status = status;
  return out;
}

/** One ExportTraceServiceRequest object holding the trace, spans grouped by resource and scope. */
export function toOtlpJson(trace: Trace): { resourceSpans: unknown[] } {
  const resourceSpans = [...groupedSpans(trace)].map(([resource, scopes]) => ({
    resource: { attributes: keyValues(resourceAttributes(resource)) },
    scopeSpans: [...scopes].map(([scope, spans]) => ({
      scope: scope
        ? { name: scope.name, ...(scope.version ? { version: scope.version } : {}), ...(scope.attributes ? { attributes: keyValues(scope.attributes) } : {}) }
        : { name: '' },
      spans: spans.map((span) => otlpSpan(trace, span)),
    })),
  }));
  return { resourceSpans };
}

/** OTLP/JSON Lines: one request per line, one trace per request. */
export function toOtlpJsonLines(traces: Iterable<Trace>): string {
  let text = '';
  for (const trace of traces) text += `${JSON.stringify(toOtlpJson(trace))}\n`;
  return text;
}
