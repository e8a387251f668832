// The service map webview in real Chromium (the page, CSP and bundle its panel loads), fed maps the core builds
// from SDK recordings: nodes and edges drawn with their figures, failing and cyclic edges marked, the keyboard
// moving between nodes, details with operations and traces, a trace's path lit, hostile names as text, and a
// graph too large to draw refused with the filter offered.
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceGraph } from '../../src/core/analysis/serviceGraph/serviceGraph';
import type { FromMap, ServiceMap, ToMap } from '../../src/protocol/mapMessages';
import { SdkRecording } from '../support/sdkTrace';
import { serviceNodes } from '../support/serviceMaps';
import { chromiumAvailable, CHROMIUM, openPageHarness, type PageHarness } from '../support/webviewHarness';

const XSS = '<img src=x onerror="window.__pwned=1">';

/** gateway → api → (db, and a hostile-named service), api → gateway (a cycle); every other call to db fails. */
function shop(): ServiceMap {
  const graph = new ServiceGraph();
  for (let i = 0; i < 4; i++) {
    const r = new SdkRecording();
    const root = r.span('GET /', { service: 'gateway', kind: SpanKind.SERVER, start: 0, end: 50 });
    const call = r.span('GET /items', { service: 'gateway', kind: SpanKind.CLIENT, parent: root, start: 1, end: 40 });
    const api = r.span('GET /items', { service: 'api', kind: SpanKind.SERVER, parent: call, start: 2, end: 39 });
    r.span('SELECT items', {
      service: 'api',
      kind: SpanKind.CLIENT,
      parent: api,
      start: 3,
      end: 10,
      error: i % 2 ? 'timeout' : undefined,
      attributes: { 'db.system.name': 'postgresql' },
    });
    const evil = r.span('POST /x', { service: 'api', kind: SpanKind.CLIENT, parent: api, start: 10, end: 12 });
    r.span('POST /x', { service: XSS, kind: SpanKind.SERVER, parent: evil, start: 10, end: 12 });
    const back = r.span('GET /config', { service: 'api', kind: SpanKind.CLIENT, parent: api, start: 12, end: 20 });
    r.span('GET /config', { service: 'gateway', kind: SpanKind.SERVER, parent: back, start: 13, end: 19 });
    const trace = r.trace();
    graph.add(trace);
  }
  return graph.snapshot();
}

const skip = !chromiumAvailable();
if (skip) console.log(`SKIPPED service map browser tests: no Chromium at ${CHROMIUM} (bash .ci/run installs it)`);

describe.skipIf(skip)('service map webview', () => {
  let harness: PageHarness<ToMap, FromMap>;
  const choice = { sources: ['Traces received by Trace Lens', 'Jaeger'], source: 'Traces received by Trace Lens' };

  beforeAll(async () => {
    harness = await openPageHarness<ToMap, FromMap>('map');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('draws services, the database and the callers with figures; failing and cyclic edges marked; names as text', async () => {
    const map = shop();
    await harness.show({ type: 'map', map, choice, code: { 'service:api': ['api/items.py:12'] } });
    const page = harness.page;
    await page.locator('.map-summary', { hasText: '5 nodes · 5 edges · from 4 traces' }).waitFor();
    expect(await page.locator('.node-database', { hasText: 'postgresql' }).count()).toBe(1);
    expect(await page.locator('.node-clients', { hasText: 'clients' }).count()).toBe(1);
    expect(await page.locator('.edge.failing').getAttribute('aria-label')).toBe('api → postgresql: 4 calls · 50.0% failed · p95 7 ms');
    expect((await page.locator('.edge.cycle').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).sort()).toEqual([
      'api → gateway: 4 calls · p95 6 ms',
      'gateway → api: 4 calls · p95 37 ms',
    ]);
    expect(await page.locator('.node', { hasText: XSS }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
  });

  it('moves between nodes by keyboard, shows a node’s operations with their code, an edge’s traces', async () => {
    const page = harness.page;
    await page.locator('.node', { hasText: 'gateway' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^api/);
    await page.keyboard.press('Enter');
    await page.locator('.map-details h2', { hasText: 'api' }).waitFor();
    await page.locator('.map-details button.code-link', { hasText: 'api/items.py:12' }).click();
    expect(harness.received.at(-1)).toEqual({ type: 'openCode', node: 'service:api', operation: 0 });
    await page.locator('.edge.failing').dispatchEvent('click');
    await page.locator('.map-details button.trace-link', { hasText: 'Latest failing trace' }).click();
    expect(harness.received.at(-1)).toMatchObject({ type: 'openTrace' });
    // Read again (the map follows the receiver): the edge stays selected.
    await harness.show({ type: 'map', map: shop(), choice, code: {} });
    await page.locator('.map-details h2', { hasText: 'api → postgresql' }).waitFor();
  });

  it("lights one trace's path, and refuses to draw a graph too large to read, offering the filter", async () => {
    const page = harness.page;
    const map = shop();
    await harness.show({
      type: 'map',
      map,
      choice,
      code: {},
      highlight: { traceId: 'a'.repeat(32), nodes: ['service:gateway', 'service:api'], edges: ['service:gateway\u0000service:api'] },
    });
    await page.locator('.edge.lit').waitFor();
    expect(await page.locator('.node.lit').count()).toBe(2);
    const huge: ServiceMap = {
      ...map,
      nodes: serviceNodes(10_000),
      edges: [],
    };
    await harness.show({ type: 'map', map: huge, choice, code: {} });
    await page.locator('.too-large', { hasText: '10000 nodes are too many to draw readably' }).waitFor();
    await page.locator('input.map-filter').fill('s42');
    await page.locator('input.map-filter').press('Enter');
    await page.locator('.map-summary').waitFor();
    // s42 and s420-s429, s4200-s4299: 111 nodes, drawn.
    expect(await page.locator('.node').count()).toBe(111);
  });
});
