// What both OTLP writers (JSON, protobuf) make of a trace before the wire: spans grouped by resource and scope,
// the status numbers, and what the model keeps outside attributes that the wire carries in them.
import type { Attributes, Resource, Scope, Span, SpanLink, StatusCode, Trace } from '../model/trace';

export const STATUS_NUMBER: Record<StatusCode, number> = { unset: 0, ok: 1, error: 2 };

/** The trace's spans by resource, then scope, in the order each first appears. */
export function groupedSpans(trace: Trace): Map<Resource, Map<Scope | undefined, Span[]>> {
  const byResource = new Map<Resource, Map<Scope | undefined, Span[]>>();
  for (const span of trace.spans) {
    let scopes = byResource.get(span.resource);
    if (!scopes) byResource.set(span.resource, (scopes = new Map()));
    const list = scopes.get(span.scope);
    if (list) list.push(span);
    else scopes.set(span.scope, [span]);
  }
  return byResource;
}

export function resourceAttributes(resource: Resource): Attributes {
  return 'service.name' in resource.attributes ? resource.attributes : { 'service.name': resource.serviceName, ...resource.attributes };
}

/** OpenTracing references keep their kind the way Jaeger's OTLP export marks them. */
export function linkAttributes(link: SpanLink): Attributes {
  return link.kind === 'link' || 'opentracing.ref_type' in link.attributes ? link.attributes : { ...link.attributes, 'opentracing.ref_type': link.kind };
}
