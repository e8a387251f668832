// Builds one span's details from a prepared trace, attribute values as text.
import { pairs } from './attributeText';
import type { PreparedTrace } from './prepareTrace';
import type { SpanDetails } from './spanDetails';

export function describeSpan(prepared: PreparedTrace, index: number, code?: { code?: string; failure?: string }): SpanDetails | undefined {
  const span = prepared.trace.spans[index];
  if (!span) return undefined;
  return {
    span: index,
    traceId: prepared.trace.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    service: span.resource.serviceName,
    kind: span.kind,
    startNs: span.startNs,
    durationNs: span.durationNs,
    selfNs: prepared.selfTimes[index],
    status: span.status,
    attributes: pairs(span.attributes),
    resource: pairs(span.resource.attributes),
    scope: span.scope && [
      ['name', span.scope.name],
      ...(span.scope.version ? ([['version', span.scope.version]] as [string, string][]) : []),
      ...pairs(span.scope.attributes),
    ],
    events: span.events.map((e) => ({ name: e.name, offsetNs: e.offsetNs, attributes: pairs(e.attributes) })),
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, kind: l.kind, attributes: pairs(l.attributes) })),
    ...code,
  };
}
