// Comparing two versions whose traces are in a real Jaeger v2 (memory storage), exported by the real
// OpenTelemetry SDK: each version is searched by its resource attribute and fetched, then compared.
import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHeld } from '../../src/core/analysis/compare/compareHeld';
import { createSource } from '../../src/core/sources/sourceConfig';
import { fetchGroup } from '../../src/core/sources/groupFetch';
import type { Trace } from '../../src/core/model/trace';
import { buildCli, runCli } from '../support/cliProcess';
import { jaegerBinary, jaegerUnavailable, startJaeger, type RunningJaeger } from '../support/jaegerServer';

const unavailable = jaegerUnavailable();
if (unavailable) console.log(`SKIPPED real Jaeger compare tests: ${unavailable}`);

const HOUR = 3600_000;
const PER_VERSION = 25;

/** `count` requests of cart at `version` exported to Jaeger; loadCart takes about `ms`, ending a minute ago. */
async function exportVersion(otlpUrl: string, version: string, ms: number): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'cart', 'service.version': version }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` }))],
  });
  const tracer = provider.getTracer('compare-test');
  const base = Date.now() - 60_000;
  for (let i = 0; i < PER_VERSION; i++) {
    const start = base + i * 100;
    const took = ms + (i % 5);
    const root = tracer.startSpan('GET /cart', { kind: SpanKind.SERVER, startTime: start, root: true });
    const child = tracer.startSpan('loadCart', { startTime: start + 1 }, trace.setSpan(context.active(), root));
    child.end(start + 1 + took);
    root.end(start + took + 4);
  }
  await provider.forceFlush();
  await provider.shutdown();
}

describe.skipIf(unavailable !== undefined)('Compare Versions against a real Jaeger v2', () => {
  let jaeger: RunningJaeger;

  beforeAll(async () => {
    jaeger = await startJaeger(jaegerBinary());
    await exportVersion(jaeger.otlpUrl, '1.0', 20);
    await exportVersion(jaeger.otlpUrl, '2.0', 40);
    // Jaeger stores asynchronously after the export returns.
    const source = createSource({ name: 'Jaeger', kind: 'jaeger', url: jaeger.url });
    for (let i = 0; i < 100; i++) {
      const hits = (await source.search({ service: 'cart', lookbackMs: HOUR, limit: 100 })).hits.length;
      if (hits >= 2 * PER_VERSION) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 1_800_000);

  afterAll(() => jaeger?.stop());

  it('fetches each version by its resource attribute and finds the slower call', async () => {
    const source = createSource({ name: 'Jaeger', kind: 'jaeger', url: jaeger.url });
    const query = { service: 'cart', attribute: 'service.version', lookbackMs: HOUR, limit: 200 };
    const [before, after] = await Promise.all([fetchGroup(source, { ...query, value: '1.0' }), fetchGroup(source, { ...query, value: '2.0' })]);
    expect(before.traces).toHaveLength(PER_VERSION);
    expect(after.traces).toHaveLength(PER_VERSION);
    expect(before.notes[0]).toBe(`Jaeger: ${PER_VERSION} traces of cart with service.version=1.0 in the last hour`);
    const traces = new Map<string, Trace>([...before.traces, ...after.traces].map((t) => [t.traceId, t]));
    const held = { ids: () => [...traces.keys()], spans: (id: string) => traces.get(id), trace: (id: string) => traces.get(id) };
    const { report } = await compareHeld(held, { by: 'attribute', attribute: 'service.version', baseline: '1.0', candidate: '2.0' }, 'cart');
    expect([report.baseline.traces, report.candidate.traces]).toEqual([PER_VERSION, PER_VERSION]);
    expect(report.rows[0]).toMatchObject({ name: 'loadCart', verdict: 'slower' });
  });

  it('trace-lens compare takes two trace ids from the backend with --source', async () => {
    const source = createSource({ name: 'Jaeger', kind: 'jaeger', url: jaeger.url });
    const query = { service: 'cart', attribute: 'service.version', lookbackMs: HOUR, limit: 1 };
    const [[fast], [slow]] = await Promise.all(['1.0', '2.0'].map(async (value) => (await fetchGroup(source, { ...query, value })).traces));
    const run = await runCli(await buildCli(), 'compare', fast.traceId, slow.traceId, '--source', 'jaeger', '--url', jaeger.url, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect([out.a.traceId, out.b.traceId]).toEqual([fast.traceId, slow.traceId]);
    expect(out.rows.find((r: { name: string }) => r.name === 'loadCart').change).toBe('slower');
    const missing = await runCli(await buildCli(), 'compare', fast.traceId, 'f'.repeat(32), '--source', 'jaeger', '--url', jaeger.url);
    expect(missing.code).toBe(3);
  });

  it('says how many it fetched when the search stops at its limit', async () => {
    const source = createSource({ name: 'Jaeger', kind: 'jaeger', url: jaeger.url });
    const group = await fetchGroup(source, { service: 'cart', attribute: 'service.version', value: '2.0', lookbackMs: HOUR, limit: 10 });
    expect(group.traces).toHaveLength(10);
    expect(group.notes[0]).toBe('Jaeger: 10 traces of cart with service.version=2.0 in the last hour (the search stops at 10)');
  });
});
