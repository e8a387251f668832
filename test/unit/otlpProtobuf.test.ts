import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeTraces } from '../../src/core/formats/decode';
import type { Trace } from '../../src/core/model/trace';
import { decodeOk } from '../support/decodeOk';
import { fixture } from '../support/fixtures';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../support/otelEncode';
import { syntheticBatch } from '../support/syntheticTrace';

/** What survives any OTLP encoding: everything but the representation of kvlist values and 'unspecified' kinds. */
function shape(traces: Trace[]) {
  return traces
    .flatMap((t) =>
      t.spans.map((s) => ({
        trace: t.traceId,
        start: (t.startUnixNano + BigInt(s.startNs)).toString(),
        id: s.spanId,
        parent: s.parentSpanId,
        name: s.name,
        kind: s.kind === 'unspecified' ? 'internal' : s.kind,
        duration: s.durationNs,
        status: s.status.code,
        attributes: s.attributes,
        service: s.resource.serviceName,
        events: s.events,
        links: s.links.map((l) => [l.traceId, l.spanId, l.kind]),
      })),
    )
    .sort((a, b) => (a.trace + a.id < b.trace + b.id ? -1 : 1));
}

const SOURCES = [
  'jaeger/otlp/example_trace.json',
  'jaeger/otlp/otel_traces_01.json',
  'jaeger/otlp/link_attributes_trace.json',
  'jaeger-ui/genaiTestTrace.json',
  'zipkin/smartthings-mobile-web-install.json',
];

describe('OTLP protobuf, checked against the OpenTelemetry SDK serializer', () => {
  for (const file of SOURCES) {
    it(`round-trips ${file} exactly (ids, ns times, attributes, events, links)`, () => {
      const original = decodeOk(fixture(file)).traces;
      const bytes = encodeOtlpProtobuf(original);
      const decoded = decodeOk(bytes);
      expect(decoded.format).toBe('otlp-protobuf');
      expect(shape(decoded.traces)).toEqual(shape(original));
    });
  }

  it('reads gzip-compressed protobuf and JSON the same as plain', () => {
    const original = decodeOk(fixture('jaeger-ui/genaiTestTrace.json')).traces;
    expect(shape(decodeOk(gzipSync(encodeOtlpProtobuf(original))).traces)).toEqual(shape(original));
    expect(shape(decodeOk(gzipSync(encodeOtlpJson(original))).traces)).toEqual(shape(original));
  });

  for (const [encoding, encode] of [
    ['protobuf', encodeOtlpProtobuf],
    ['JSON', encodeOtlpJson],
  ] as const)
    it(`gives the spans of one resource one Resource in ${encoding}, though the export repeats it per ResourceSpans`, () => {
      // Four traces of eight services, each trace with resources of its own: the SDK writes 32 ResourceSpans.
      const original = syntheticBatch(1, 4, 32);
      original[3].spans[0].resource = { ...original[3].spans[0].resource, attributes: { ...original[3].spans[0].resource.attributes, 'host.name': 'other' } };
      const decoded = decodeOk(encode(original));
      const spans = decoded.traces.flatMap((t) => t.spans);
      const resources = new Set(spans.map((s) => s.resource));
      // Eight services, and the one whose host differs in one trace.
      expect(resources.size).toBe(9);
      expect(new Set([...resources].map((r) => r.serviceName)).size).toBe(8);
      expect(shape(decoded.traces)).toEqual(shape(original));
      const other = spans.find((s) => s.resource.attributes['host.name'] === 'other')!;
      expect(spans.filter((s) => s.resource === other.resource).every((s) => s.traceId === original[3].traceId)).toBe(true);
    });

  it('resolves spans that share an id as the JSON decoder does, and leaves an id met in two traces alone', () => {
    const [a, b] = syntheticBatch(7, 2, 12);
    const copy = (span: Trace['spans'][number], changes: Partial<Trace['spans'][number]>) => ({ ...span, ...changes });
    // Both traces hold a span with one id (the synthetic traces number theirs alike): no clash, ids are per trace.
    const rename = (trace: Trace, at: number) => {
      for (const span of trace.spans) if (span.parentSpanId === trace.spans[at].spanId) span.parentSpanId = 'feedfacecafebeef';
      trace.spans[at].spanId = 'feedfacecafebeef';
    };
    rename(a, 2);
    rename(b, 4);
    // In trace a: an exact copy, a server half sharing its client's id (Zipkin's), and a clash of two others.
    const client = a.spans.find((s) => s.kind === 'client')!;
    a.spans.push(
      copy(a.spans[3], {}),
      copy(client, { kind: 'server', name: 'served', parentSpanId: client.spanId }),
      copy(a.spans[5], { spanId: a.spans[6].spanId }),
    );
    const fromProtobuf = decodeOk(encodeOtlpProtobuf([a, b])).traces;
    const fromJson = decodeOk(encodeOtlpJson([a, b])).traces;
    expect(shape(fromProtobuf)).toEqual(shape(fromJson));
    for (const decoded of [fromProtobuf, fromJson]) {
      const trace = (traceId: string) => decoded.find((t) => t.traceId === traceId)!;
      expect(
        trace(a.traceId)
          .warnings.map((w) => w.code)
          .sort(),
      ).toEqual(['duplicate-span', 'duplicate-span-id']);
      expect(trace(b.traceId).warnings).toEqual([]);
      const resolved = trace(a.traceId).spans;
      expect(resolved).toHaveLength(a.spans.length - 1);
      expect(new Set(resolved.map((s) => s.spanId)).size).toBe(resolved.length);
      expect(resolved.find((s) => s.name === 'served')!.parentSpanId).toBe(client.spanId);
      expect(trace(b.traceId).spans.map((s) => s.spanId)).toContain('feedfacecafebeef');
    }
  });

  it('returns the spans before a truncation, with a warning', () => {
    const original = decodeOk(fixture('zipkin/smartthings-mobile-web-install.json')).traces;
    const bytes = encodeOtlpProtobuf(original);
    const decoded = decodeOk(bytes.subarray(0, Math.floor(bytes.length / 2)));
    const spans = decoded.traces.reduce((n, t) => n + t.spans.length, 0);
    expect(spans).toBeGreaterThan(100);
    expect(spans).toBeLessThan(1041);
    expect(decoded.warnings.some((w) => w.code === 'truncated')).toBe(true);
  });

  it('refuses bytes that are no protobuf trace with one message naming the formats tried', () => {
    const outcome = decodeTraces(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/not a trace.*tried OTLP\/JSON.*OTLP protobuf.*Zipkin/) });
  });

  it('keeps epoch nanoseconds exact beyond 2^53', () => {
    const [trace] = decodeOk(encodeOtlpProtobuf(decodeOk(fixture('opentelemetry/trace.json')).traces)).traces;
    expect(trace.startUnixNano).toBe(1544712660000000000n);
    expect(trace.spans[0].durationNs).toBe(1_000_000_000);
  });
});
