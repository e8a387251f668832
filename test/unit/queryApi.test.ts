// The receiver answers Jaeger's query API over what it holds: our own Jaeger client (the one every backend
// feature uses) reads it as it reads a real Jaeger, on spans the OpenTelemetry SDK recorded and exported to the
// receiver. Reads come only from this machine, never for a web page, and never on the Zipkin port.
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStore } from '../../src/core/receiver/spanStore';
import { isLoopbackAddress, TraceReceiver } from '../../src/core/receiver/traceReceiver';
import { createSource } from '../../src/core/sources/sourceConfig';
import type { TraceSource } from '../../src/core/sources/traceSource';
import { SdkRecording, SpanKind } from '../support/sdkTrace';
import { FIXTURES_DIR } from '../support/fixtures';

const HOUR = 3_600_000;

/** Three checkouts, the frontend calling payments; the last is slow (400 ms) and fails there with a 500. */
function checkouts(): SdkRecording {
  const r = new SdkRecording();
  for (let i = 0; i < 3; i++) {
    const ms = i === 2 ? 400 : 50;
    const start = Date.now() - 60_000 + i * 1000 - 1_764_000_000_000;
    const root = r.span('POST /checkout', { service: 'frontend', kind: SpanKind.SERVER, start, end: start + ms + 20 });
    const call = r.span('POST /charge', { service: 'frontend', parent: root, kind: SpanKind.CLIENT, start: start + 5, end: start + ms + 15 });
    r.span('chargeCard', {
      service: 'payments',
      parent: call,
      kind: SpanKind.SERVER,
      start: start + 10,
      end: start + ms + 10,
      attributes: { 'http.response.status_code': i === 2 ? 500 : 200 },
      error: i === 2 ? 'card declined' : undefined,
    });
  }
  return r;
}

describe("the receiver answers Jaeger's query API", () => {
  const store = new SpanStore();
  const otlp = new TraceReceiver(store, { protocol: 'otlp', host: '127.0.0.1', port: 0, answersQueries: true });
  const zipkin = new TraceReceiver(store, { protocol: 'zipkin', host: '127.0.0.1', port: 0 });
  let jaeger: TraceSource;
  let ids: string[];

  beforeAll(async () => {
    await otlp.start();
    await zipkin.start();
    const recording = checkouts();
    ids = recording.traces().map((t) => t.traceId);
    const sent = await fetch(`${otlp.endpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: recording.exportRequest(),
    });
    expect(sent.status).toBe(200);
    jaeger = createSource({ name: 'Editor', kind: 'jaeger', url: otlp.endpoint! });
  });
  afterAll(async () => {
    await Promise.all([otlp.stop(), zipkin.stop()]);
    store.dispose();
  });

  it('names its services and operations, and is healthy as a Jaeger api_v3', async () => {
    expect(await jaeger.services()).toEqual(['frontend', 'payments']);
    expect(await jaeger.operations('payments')).toEqual(['chargeCard']);
    expect(await jaeger.health()).toEqual({ ok: true, detail: 'Jaeger api_v3, 2 services' });
  });

  it('answers a trace by id whole, and "not found" for one it does not hold', async () => {
    const trace = await jaeger.getTrace(ids[2], { lookbackMs: HOUR });
    expect(trace?.spans.map((s) => s.name).sort()).toEqual(['POST /charge', 'POST /checkout', 'chargeCard']);
    expect(trace?.spans.find((s) => s.name === 'chargeCard')).toMatchObject({ status: { code: 'error', message: 'card declined' }, durationNs: 400e6 });
    expect(await jaeger.getTrace('ab'.repeat(16))).toBeUndefined();
  });

  it('searches by service, operation, duration and attribute, as a Jaeger does', async () => {
    const hits = async (query: object) =>
      (await jaeger.search({ service: 'payments', lookbackMs: HOUR, limit: 20, ...query })).hits.map((h) => h.traceId).sort();
    expect(await hits({})).toEqual([...ids].sort());
    expect(await hits({ operation: 'chargeCard', minDurationNs: 100e6 })).toEqual([ids[2]]);
    expect(await hits({ attributes: { 'http.response.status_code': '500' } })).toEqual([ids[2]]);
    expect(await hits({ maxDurationNs: 100e6, limit: 1 })).toHaveLength(1);
    expect(await hits({ operation: 'refund' })).toEqual([]);
  });

  it("speaks Jaeger 2.19's names too: camelCase parameters, trace summaries shaped as Jaeger's own, operations by kind", async () => {
    const get = async (path: string) => {
      const response = await fetch(`${otlp.endpoint}${path}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const since = encodeURIComponent(new Date(Date.now() - HOUR).toISOString());
    const camel = await get(`/api/v3/traces?query.serviceName=payments&query.durationMin=100ms&query.startTimeMin=${since}&query.searchDepth=5`);
    expect(camel.status).toBe(200);
    const found = camel.body as { result: { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] } };
    const traceIds = new Set(found.result.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.traceId))));
    expect([...traceIds]).toEqual([ids[2]]);
    expect((await get('/api/v3/traces?query.durationMin=100ms')).body).toEqual({ error: { httpCode: 400, message: 'query.serviceName is required' } });
    const summaries = await get('/api/v3/trace-summaries?query.serviceName=payments&query.durationMin=100ms');
    // Every field of Jaeger's own answer (its snapshot, in the shared fixtures), with this trace's values.
    const upstream = JSON.parse(readFileSync(join(FIXTURES_DIR, 'jaeger/api_v3/FindTraceSummaries.json'), 'utf8')) as { summaries: object[] };
    const [one, ...more] = (summaries.body as { summaries: Record<string, unknown>[] }).summaries;
    expect(more).toEqual([]);
    expect(Object.keys(one).sort()).toEqual([...Object.keys(upstream.summaries[0]), 'orphanSpanCount'].sort());
    expect(one).toMatchObject({
      traceId: ids[2],
      rootServiceName: 'frontend',
      rootOperationName: 'POST /checkout',
      spanCount: 3,
      errorSpanCount: 1,
      orphanSpanCount: 0,
      services: [
        { name: 'frontend', spanCount: 2, errorSpanCount: 0 },
        { name: 'payments', spanCount: 1, errorSpanCount: 1 },
      ],
    });
    expect(BigInt(one.maxEndTimeUnixNano as string) - BigInt(one.minStartTimeUnixNano as string)).toBe(420_000_000n);
    // No match: Jaeger's empty object, not a 404.
    expect(await get('/api/v3/trace-summaries?query.serviceName=payments&query.operationName=refund')).toEqual({ status: 200, body: {} });
    expect((await get('/api/v3/operations?service=frontend')).body).toEqual({
      operations: [
        { name: 'POST /charge', spanKind: 'client' },
        { name: 'POST /checkout', spanKind: 'server' },
      ],
    });
    expect((await get('/api/v3/operations?service=frontend&spanKind=server')).body).toEqual({ operations: [{ name: 'POST /checkout', spanKind: 'server' }] });
  });

  it("gives the services' calls as Jaeger's dependency graph", async () => {
    expect(await jaeger.dependencies!(HOUR)).toEqual([{ parent: 'frontend', child: 'payments', callCount: 3, errorCount: 1 }]);
    // Over the window asked: the checkouts started a minute ago, so the last 30 s has none.
    expect(await jaeger.dependencies!(30_000)).toEqual([]);
  });

  it('only reads: refuses a write, a web page, another host name, a malformed query; the Zipkin port answers none', async () => {
    const at = (path: string, init?: RequestInit) => fetch(`${otlp.endpoint}${path}`, init);
    const post = await at('/api/v3/services', { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
    const page = await at('/api/v3/services', { headers: { origin: 'http://localhost:3000' } });
    expect([page.status, page.headers.get('access-control-allow-origin'), await page.text()]).toEqual([403, null, 'traces are not read by web pages\n']);
    // A page that rebinds its name to 127.0.0.1 sends that name as Host (fetch cannot set Host; node:http can).
    const rebound = await new Promise<number | undefined>((resolve, reject) =>
      get(`${otlp.endpoint}/api/v3/services`, { headers: { host: 'attacker.example' } }, (res) => resolve(res.resume().statusCode)).on('error', reject),
    );
    expect(rebound).toBe(403);
    expect((await at('/api/v3/traces?query.service_name=payments&query.duration_min=slow')).status).toBe(400);
    expect((await at('/api/v3/traces/%E0%A4%A')).status).toBe(400);
    expect((await at('/api/v3/traces')).status).toBe(400);
    expect((await at('/api/v3/nothing')).status).toBe(404);
    expect((await fetch(`${zipkin.endpoint}/api/v3/services`)).status).toBe(404);
  });

  it('answers no read unless asked to, and says how to turn it on', async () => {
    const closed = new TraceReceiver(store, { protocol: 'otlp', host: '127.0.0.1', port: 0 });
    await closed.start();
    try {
      const answer = await fetch(`${closed.endpoint}/api/v3/services`);
      expect([answer.status, await answer.text()]).toEqual([
        404,
        "the receiver's query API is off: turn on traceLens.receiver.answerQueries (user settings), or run trace-lens receive --answer-queries\n",
      ]);
      const health = await createSource({ name: 'Editor', kind: 'jaeger', url: closed.endpoint! }).health();
      expect(health.ok).toBe(false);
      expect(health.detail).toContain("the receiver's query API is off");
    } finally {
      await closed.stop();
    }
  });

  it('tells a peer on this machine from one elsewhere, in either address family', () => {
    // (The receiver's own check, asked from another address, is the test below where this machine has one.)
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.3.2.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.5', '::ffff:192.168.1.2', 'fe80::1', ''].some(isLoopbackAddress)).toBe(false);
  });
});

/** This machine's address on a network (not loopback), where it has one: a peer there is not "this machine". */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
if (!lanAddress) console.log('SKIPPED the receiver asked from a network address: this machine has no non-loopback IPv4 address');

describe.skipIf(!lanAddress)('a receiver opened to the network', () => {
  it('takes spans from another address but answers it no reads', async () => {
    const store = new SpanStore();
    const receiver = new TraceReceiver(store, { protocol: 'otlp', host: '0.0.0.0', port: 0, allowRemote: true, answersQueries: true });
    await receiver.start();
    try {
      const base = `http://${lanAddress}:${receiver.port}`;
      const sent = await fetch(`${base}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: checkouts().exportRequest(),
      });
      expect(sent.status).toBe(200);
      const read = await fetch(`${base}/api/v3/services`);
      expect([read.status, await read.text()]).toEqual([403, 'traces are read only from this machine\n']);
      expect((await fetch(`http://127.0.0.1:${receiver.port}/api/v3/services`)).status).toBe(200);
    } finally {
      await receiver.stop();
      store.dispose();
    }
  });
});
