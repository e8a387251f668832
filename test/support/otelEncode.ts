// Encodes our Traces with the OpenTelemetry JS SDK's own OTLP serializers, so the protobuf decoder is checked
// against an independent encoder, not against itself.
import { SpanKind, SpanStatusCode, type Attributes as OtelAttributes, type AttributeValue as OtelValue, type HrTime } from '@opentelemetry/api';
import { ProtobufTraceSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Attributes, Resource, Span, SpanKind as OurKind, Trace } from '../../src/core/model/trace';

const KIND: Record<OurKind, SpanKind> = {
  unspecified: SpanKind.INTERNAL,
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};
const STATUS = { unset: SpanStatusCode.UNSET, ok: SpanStatusCode.OK, error: SpanStatusCode.ERROR };

function hrTime(base: bigint, offsetNs: number): HrTime {
  const total = base + BigInt(offsetNs);
  return [Number(total / 1_000_000_000n), Number(total % 1_000_000_000n)];
}

function otelAttributes(attributes: Attributes): OtelAttributes {
  const out: OtelAttributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null) continue;
    out[key] = (typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : value) as OtelValue;
  }
  return out;
}

export function toReadableSpans(traces: Trace[]): ReadableSpan[] {
  const resources = new Map<Resource, ReturnType<typeof resourceFromAttributes>>();
  const toResource = (r: Resource) => {
    let resource = resources.get(r);
    if (!resource) resources.set(r, (resource = resourceFromAttributes(otelAttributes(r.attributes))));
    return resource;
  };
  // One object per scope, as a tracer holds it: the SDK's protobuf serializer groups spans by the scope object,
  // and a fresh one per span wrote every span under a scope of its own, which no SDK sends.
  const scopes = new Map<string, { name: string; version?: string }>();
  const toScope = (name: string, version?: string) => {
    const key = `${name}@${version ?? ''}`;
    let scope = scopes.get(key);
    if (!scope) scopes.set(key, (scope = { name, version }));
    return scope;
  };
  return traces.flatMap((trace) =>
    trace.spans.map((span: Span): ReadableSpan => {
      const startTime = hrTime(trace.startUnixNano, span.startNs);
      const endTime = hrTime(trace.startUnixNano, span.startNs + span.durationNs);
      return {
        name: span.name,
        kind: KIND[span.kind],
        spanContext: () => ({ traceId: span.traceId, spanId: span.spanId, traceFlags: 1 }),
        parentSpanContext: span.parentSpanId ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: 1 } : undefined,
        startTime,
        endTime,
        duration: hrTime(0n, span.durationNs),
        status: { code: STATUS[span.status.code], message: span.status.message },
        attributes: otelAttributes(span.attributes),
        links: span.links.map((l) => ({ context: { traceId: l.traceId, spanId: l.spanId, traceFlags: 1 }, attributes: otelAttributes(l.attributes) })),
        events: span.events.map((e) => ({
          name: e.name,
          time: hrTime(trace.startUnixNano, span.startNs + e.offsetNs),
          attributes: otelAttributes(e.attributes),
        })),
        ended: true,
        resource: toResource(span.resource),
        instrumentationScope: toScope(span.scope?.name ?? 'test', span.scope?.version),
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      };
    }),
  );
}

export function encodeOtlpProtobuf(traces: Trace[]): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(toReadableSpans(traces))!;
}

export function encodeOtlpJson(traces: Trace[]): Uint8Array {
  return JsonTraceSerializer.serializeRequest(toReadableSpans(traces))!;
}
