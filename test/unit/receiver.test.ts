// The receiver against the real OpenTelemetry JS SDK and its OTLP exporters (protobuf, JSON, gzip): every span
// the SDK recorded must arrive intact, compared field by field with the SDK's in-memory copy.
import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import type { Span, SpanKind as OurKind } from '../../src/core/model/trace';
import { SpanStore } from '../../src/core/receiver/spanStore';
import { TraceReceiver } from '../../src/core/receiver/traceReceiver';
import { runCheckoutApp } from '../support/instrumentedApp';

const KINDS: Record<SpanKind, OurKind> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};
const STATUS = { [SpanStatusCode.UNSET]: 'unset', [SpanStatusCode.OK]: 'ok', [SpanStatusCode.ERROR]: 'error' } as const;

function nanos(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

const running: TraceReceiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function startReceiver(store = new SpanStore()): Promise<{ store: SpanStore; receiver: TraceReceiver; url: string }> {
  const receiver = new TraceReceiver(store, { protocol: 'otlp', host: '127.0.0.1', port: 0 });
  running.push(receiver);
  await receiver.start();
  return { store, receiver, url: `${receiver.endpoint}/v1/traces` };
}

function expectIntact(store: SpanStore, sdkSpans: ReadableSpan[]): void {
  expect(sdkSpans.length).toBeGreaterThan(0);
  for (const expected of sdkSpans) {
    const { traceId, spanId } = expected.spanContext();
    const trace = store.getTrace(traceId);
    expect(trace, `trace ${traceId}`).toBeDefined();
    const span = trace!.spans.find((s) => s.spanId === spanId) as Span;
    expect(span, `span ${spanId} (${expected.name})`).toBeDefined();
    const start = trace!.startUnixNano + BigInt(span.startNs);
    expect(start).toBe(nanos(expected.startTime));
    expect(BigInt(span.durationNs)).toBe(nanos(expected.endTime) - nanos(expected.startTime));
    expect(span.name).toBe(expected.name);
    expect(span.kind).toBe(KINDS[expected.kind]);
    expect(span.parentSpanId).toBe(expected.parentSpanContext?.spanId);
    expect(span.status.code).toBe(STATUS[expected.status.code]);
    expect(span.status.message).toBe(expected.status.message);
    expect(span.attributes).toEqual(expected.attributes);
    expect(span.events.map((e) => ({ name: e.name, at: start + BigInt(e.offsetNs), attributes: e.attributes }))).toEqual(
      expected.events.map((e) => ({ name: e.name, at: nanos(e.time), attributes: e.attributes ?? {} })),
    );
    expect(span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes }))).toEqual(
      expected.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: l.attributes ?? {} })),
    );
    expect(span.resource.serviceName).toBe(expected.resource.attributes['service.name']);
    expect(span.resource.attributes).toEqual(expected.resource.attributes);
    expect(span.scope).toMatchObject({ name: expected.instrumentationScope.name, version: expected.instrumentationScope.version });
  }
}

describe('OTLP receiver with the OpenTelemetry JS SDK', () => {
  it('receives every span intact over http/protobuf', async () => {
    const { store, receiver, url } = await startReceiver();
    const run = await runCheckoutApp(new ProtoExporter({ url }), 30);
    expect(run.spans).toHaveLength(90);
    expectIntact(store, run.spans);
    expect(store.size.spans).toBe(90);
    expect(receiver.counts).toMatchObject({ acceptedSpans: 90, rejectedSpans: 0, failedRequests: 0 });
    expect(receiver.counts.requests).toBeGreaterThanOrEqual(2);
  });

  it('receives every span intact over http/json', async () => {
    const { store, url } = await startReceiver();
    const run = await runCheckoutApp(new JsonExporter({ url }), 12, 'checkout-json');
    expectIntact(store, run.spans);
    expect(store.services()).toEqual(['checkout-json']);
  });

  it('receives gzip-compressed exports', async () => {
    const { store, url } = await startReceiver();
    const run = await runCheckoutApp(new ProtoExporter({ url, compression: CompressionAlgorithm.GZIP }), 9);
    expectIntact(store, run.spans);
  });

  it('marks failed requests as errors and keeps the exception event', async () => {
    const { store, url } = await startReceiver();
    await runCheckoutApp(new ProtoExporter({ url }), 3);
    const failing = store.list().filter((t) => t.errorCount > 0);
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ rootService: 'checkout', rootName: 'POST /checkout', spanCount: 3, errorCount: 2 });
    const pay = store.getTrace(failing[0].traceId)!.spans.find((s) => s.name === 'POST /pay')!;
    expect(pay.events[0].attributes['exception.message']).toBe('card declined for order 2');
  });
});
