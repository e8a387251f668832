// Every shared upstream fixture decodes, with counts, ids, roots, durations and errors checked against values
// read from the files independently (see ../shared/fixtures/SOURCES.md).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSpanTree } from '../../src/core/analysis/spanTree';
import { summariseTrace } from '../../src/core/analysis/traceSummary';
import { decodeTraces } from '../../src/core/formats/decode';
import type { FormatName } from '../../src/core/formats/decodeResult';
import { traceEndNs } from '../../src/core/model/trace';
import { decodeOk } from '../support/decodeOk';
import { fixture, FIXTURES_DIR } from '../support/fixtures';

interface Expected {
  format: FormatName;
  traceId: string;
  spans: number;
  errors: number;
  rootName?: string;
  rootService?: string;
  durationNs?: number;
  startUnixNano?: string;
  services?: string[];
  traces?: number;
}

const EXPECTED: Record<string, Expected> = {
  'opentelemetry/trace.json': {
    format: 'otlp-json',
    traceId: '5b8efff798038103d269b633813fc60c',
    spans: 1,
    errors: 0,
    rootName: "I'm a server span",
    rootService: 'my.service',
    durationNs: 1_000_000_000,
    startUnixNano: '1544712660000000000',
  },
  'jaeger/otlp/otlp2jaeger-in.json': {
    format: 'otlp-json',
    traceId: '83a9efd15c1c98a977e0711cc93ee28b',
    spans: 1,
    errors: 0,
    rootName: 'okey-dokey-0',
    durationNs: 123_000,
  },
  'jaeger/otlp/otel_traces_01.json': { format: 'otlp-json', traceId: '00000000000000010000000000000000', spans: 2, errors: 2, traces: 2, durationNs: 5000 },
  'jaeger/otlp/example_trace.json': {
    format: 'otlp-json',
    traceId: '00000000000000000000000000000011',
    spans: 5,
    errors: 0,
    rootService: 'example-service-2',
    services: ['example-service-1', 'example-service-2', 'example-service-3'],
    durationNs: 100_000,
  },
  'jaeger/otlp/link_attributes_trace.json': { format: 'otlp-json', traceId: '00000000000000000000000000000226', spans: 1, errors: 0, durationNs: 2000 },
  'jaeger/api_v3/GetTrace.json': {
    format: 'jaeger-api-v3',
    traceId: '00000000000000000000000000000001',
    spans: 1,
    errors: 1,
    rootName: 'foobar',
    durationNs: 0,
  },
  'tempo/example_trace.v1.json': {
    format: 'tempo-json',
    traceId: '00000000000000000000000000000011',
    spans: 5,
    errors: 0,
    rootService: 'example-service-2',
    durationNs: 100_000,
  },
  'tempo/example_trace.v2.json': {
    format: 'tempo-json',
    traceId: '00000000000000000000000000000011',
    spans: 5,
    errors: 0,
    rootService: 'example-service-2',
    durationNs: 100_000,
  },
  'tempo/link_attributes_trace.v1.json': { format: 'tempo-json', traceId: '00000000000000000000000000000226', spans: 1, errors: 0, durationNs: 2000 },
  'tempo/link_attributes_trace.v2.json': { format: 'tempo-json', traceId: '00000000000000000000000000000226', spans: 1, errors: 0, durationNs: 2000 },
  'jaeger/legacy-json/ui_01.json': {
    format: 'jaeger-json',
    traceId: '00000000000000000000000000000001',
    spans: 5,
    errors: 1,
    durationNs: 5000,
    services: ['service-x', 'service-y'],
  },
  'jaeger/legacy-json/otlp2jaeger-out.json': {
    format: 'jaeger-json',
    traceId: '83a9efd15c1c98a977e0711cc93ee28b',
    spans: 1,
    errors: 0,
    rootName: 'okey-dokey-0',
    durationNs: 123_000,
  },
  'jaeger-ui/genaiTestTrace.json': {
    format: 'jaeger-json',
    traceId: '4a1b2c3d4e5f60718293a4b5c6d7e8f9',
    spans: 57,
    errors: 1,
    rootName: 'POST /api/graphql',
    rootService: 'api-edge',
    durationNs: 44_000_000_000,
  },
  'jaeger-ui/spanAmongEachOtherGroupedAndSpans.json': {
    format: 'jaeger-json',
    traceId: '0df84e36b9e2ee3815d07f0867a5be1f',
    spans: 17,
    errors: 0,
    rootService: 'api-gateway',
    services: ['api-gateway', 'customers-service'],
    durationNs: 3_720_000,
  },
  'zipkin/messaging.json': {
    format: 'zipkin-json',
    traceId: '5aab74dbb904746bb33447baae403ed6',
    spans: 4,
    errors: 0,
    rootName: 'get /',
    rootService: 'frontend',
    durationNs: 3_357_000,
  },
  'zipkin/messaging-kafka.json': {
    format: 'zipkin-json',
    traceId: '00000000000000000562809467078eab',
    spans: 28,
    errors: 3,
    rootName: 'poll',
    durationNs: 649_065_000,
  },
  'zipkin/yelp.json': {
    format: 'zipkin-json',
    traceId: '0000000000000000a03ee8fff1dcd9b9',
    spans: 16,
    errors: 0,
    rootName: 'post /location/update/v4',
    durationNs: 131_848_000,
  },
  'zipkin/envoy.json': {
    format: 'zipkin-json',
    traceId: '0000000000000000978883983d506fa5',
    spans: 1,
    errors: 0,
    rootService: 'unknown',
    durationNs: 127_115_000,
  },
  // Raw extent 161.718 ms; after moving the skewed server half inside its client span only the root remains.
  'zipkin/skew.json': {
    format: 'zipkin-json',
    traceId: '00000000000000001e223ff1f80f1c69',
    spans: 4,
    errors: 0,
    rootName: 'get',
    rootService: 'servicea',
    durationNs: 99_411_000,
  },
  'zipkin/smartthings-oauth-authorization.json': {
    format: 'zipkin-json',
    traceId: '00000000000000008ce82b2e9ed820ba',
    spans: 175,
    errors: 2,
    rootName: 'get /oauth/authorize',
  },
  'zipkin/smartthings-mobile-web-install.json': {
    format: 'zipkin-json',
    traceId: '000000000000000014b60fd9ae504820',
    spans: 1041,
    errors: 2,
    rootName: 'get /login/tokenauth',
  },
};

const NOT_TRACES = ['jaeger/api_v3/FindTraceSummaries.json', 'jaeger/api_v3/GetServices.json', 'jaeger/api_v3/GetOperations.json', 'tempo/search-traceql.json'];

function allFixtureFiles(dir = FIXTURES_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFixtureFiles(path) : path.endsWith('.json') ? [relative(FIXTURES_DIR, path)] : [];
  });
}

describe('shared fixtures', () => {
  it('covers every fixture file', () => {
    expect(allFixtureFiles().sort()).toEqual([...Object.keys(EXPECTED), ...NOT_TRACES].sort());
  });

  for (const [file, want] of Object.entries(EXPECTED)) {
    it(`decodes ${file}`, () => {
      const decoded = decodeOk(fixture(file));
      expect(decoded.format).toBe(want.format);
      expect(decoded.traces).toHaveLength(want.traces ?? 1);
      const trace = decoded.traces[0];
      const summary = summariseTrace(trace);
      expect(trace.traceId).toBe(want.traceId);
      expect(summary.spanCount).toBe(want.spans);
      expect(summary.errorCount).toBe(want.errors);
      if (want.rootName !== undefined) expect(summary.rootName).toBe(want.rootName);
      if (want.rootService !== undefined) expect(summary.rootService).toBe(want.rootService);
      if (want.durationNs !== undefined) expect(summary.durationNs).toBe(want.durationNs);
      if (want.startUnixNano !== undefined) expect(summary.startUnixNano).toBe(want.startUnixNano);
      if (want.services !== undefined) expect(summary.services).toEqual(want.services);
      for (const span of trace.spans) {
        expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(span.startNs).toBeGreaterThanOrEqual(0);
        expect(span.durationNs).toBeGreaterThanOrEqual(0);
      }
      expect(new Set(trace.spans.map((s) => s.spanId)).size).toBe(trace.spans.length);
      expect(Math.min(...trace.spans.map((s) => s.startNs))).toBe(0);
    });
  }

  for (const file of NOT_TRACES) {
    it(`refuses ${file} (a search or list answer, not a trace) with one clear message`, () => {
      const outcome = decodeTraces(fixture(file));
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error).toMatch(/is not a trace \(tried OTLP\/JSON, .*Zipkin v2 JSON\)/);
    });
  }
});

describe('format details', () => {
  it('reads UPPERCASE hex ids, int64 strings and exact nanosecond times (OTLP/JSON spec example)', () => {
    const [trace] = decodeOk(fixture('opentelemetry/trace.json')).traces;
    const span = trace.spans[0];
    expect(span.spanId).toBe('eee19b7ec3c1b174');
    expect(span.parentSpanId).toBe('eee19b7ec3c1b173');
    expect(span.kind).toBe('server');
    expect(span.attributes['my.span.attr']).toBe('some value');
    expect(span.resource.attributes['service.name']).toBe('my.service');
    expect(span.scope).toMatchObject({ name: 'my.library', version: '1.0.0' });
    expect(trace.warnings.map((w) => w.code)).toContain('missing-parent');
  });

  it('reads Tempo base64 ids and enum names into the same trace as the OTLP original', () => {
    const tempo = decodeOk(fixture('tempo/example_trace.v1.json')).traces[0];
    const otlp = decodeOk(fixture('jaeger/otlp/example_trace.json')).traces[0];
    const shape = (t: typeof tempo) =>
      t.spans.map((s) => [s.spanId, s.parentSpanId, s.kind, s.name, s.startNs, s.durationNs, s.status.code, s.events.length]).sort();
    expect(shape(tempo)).toEqual(shape(otlp));
    expect(tempo.startUnixNano).toBe(otlp.startUnixNano);
  });

  it('keeps events, links with their kinds and attributes, and every attribute type', () => {
    const decoded = decodeOk(fixture('jaeger/otlp/otel_traces_01.json'));
    const spans = decoded.traces.flatMap((t) => t.spans);
    const links = spans.flatMap((s) => s.links);
    expect(links.map((l) => l.kind).sort()).toEqual(expect.arrayContaining(['child_of', 'follows_from']));
    const events = spans.flatMap((s) => s.events);
    expect(events.length).toBeGreaterThan(0);
    const values = spans.flatMap((s) => Object.values(s.attributes));
    expect(values.some((v) => typeof v === 'number' && !Number.isInteger(v))).toBe(true);
    expect(values.some((v) => typeof v === 'number' && Number.isInteger(v))).toBe(true);
  });

  it('maps Jaeger references: CHILD_OF is the parent, FOLLOWS_FROM and extra refs become links; keeps int64 beyond 2^53 exact', () => {
    const [trace] = decodeOk(fixture('jaeger/legacy-json/ui_01.json')).traces;
    const withRefs = trace.spans.filter((s) => s.links.length > 0 || s.parentSpanId);
    expect(withRefs.length).toBeGreaterThan(0);
    expect(trace.spans.flatMap((s) => s.links).some((l) => l.kind === 'follows_from')).toBe(true);
    const limit = trace.spans.map((s) => s.attributes.javascript_limit).find((v) => v !== undefined);
    expect(limit).toBe('9223372036854775222');
    expect(trace.warnings.some((w) => w.code === 'reported' && w.message.includes('some span warning'))).toBe(true);
    expect(trace.warnings.some((w) => w.code === 'duplicate-span-id' || w.code === 'duplicate-span')).toBe(true);
    const logs = trace.spans.flatMap((s) => s.events);
    expect(logs.map((e) => e.name)).toContain('some-event');
  });

  it('pads 31-hex Jaeger ids and keeps processes as resources', () => {
    const [trace] = decodeOk(fixture('jaeger-ui/spanAmongEachOtherGroupedAndSpans.json')).traces;
    expect(trace.traceId).toBe('0df84e36b9e2ee3815d07f0867a5be1f');
    expect(new Set(trace.spans.map((s) => s.resource.serviceName))).toEqual(new Set(['api-gateway', 'customers-service']));
  });

  it('splits several traces of one Jaeger api_v3 / OTLP answer by trace id', () => {
    const decoded = decodeOk(fixture('jaeger/otlp/otel_traces_01.json'));
    expect(decoded.traces.map((t) => t.traceId).sort()).toEqual(['00000000000000010000000000000000', '00000000000000020000000000000000']);
    expect(decoded.traces.reduce((n, t) => n + t.spans.length, 0)).toBe(4);
  });

  it('makes Zipkin shared server halves children of their client halves, with unique ids', () => {
    const [trace] = decodeOk(fixture('zipkin/yelp.json')).traces;
    const tree = buildSpanTree(trace);
    expect(tree.warnings).toEqual([]);
    const servers = trace.spans.filter((s) => s.kind === 'server' && s.parentSpanId);
    const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
    for (const server of servers)
      expect(['client', 'unspecified', 'server', 'producer', 'internal', 'consumer']).toContain(byId.get(server.parentSpanId!)!.kind);
    expect(servers.some((s) => byId.get(s.parentSpanId!)!.kind === 'client')).toBe(true);
  });

  it('merges a client span with all its retried server halves (smartthings, 5 halves share one id)', () => {
    const [trace] = decodeOk(fixture('zipkin/smartthings-oauth-authorization.json')).traces;
    expect(trace.warnings.filter((w) => w.code === 'duplicate-span-id')).toEqual([]);
    const client = trace.spans.find((s) => s.name === 'send iot-events360' && s.kind === 'client')!;
    expect(trace.spans.filter((s) => s.parentSpanId === client.spanId && s.name === 'receive iot-events360')).toHaveLength(5);
  });

  it("maps Zipkin's error tag to an error status with the tag as message", () => {
    const [trace] = decodeOk(fixture('zipkin/messaging-kafka.json')).traces;
    const errors = trace.spans.filter((s) => s.status.code === 'error');
    expect(errors).toHaveLength(3);
  });

  it('adjusts clock skew across a CLIENT/SERVER pair (zipkin skew.json) and says so', () => {
    const [trace] = decodeOk(fixture('zipkin/skew.json')).traces;
    const client = trace.spans.find((s) => s.kind === 'client')!;
    const server = trace.spans.find((s) => s.kind === 'server' && s.parentSpanId === client.spanId)!;
    expect(server.startNs).toBeGreaterThanOrEqual(client.startNs);
    expect(server.startNs + server.durationNs).toBeLessThanOrEqual(client.startNs + client.durationNs);
    // The child of the server half moved with it.
    const child = trace.spans.find((s) => s.parentSpanId === server.spanId)!;
    expect(child.startNs - server.startNs).toBe(1000); // 1 µs after its parent in the raw data
    expect(trace.warnings.filter((w) => w.code === 'clock-skew')).toHaveLength(1);
    expect(traceEndNs(trace)).toBe(99_411_000);
  });
});
