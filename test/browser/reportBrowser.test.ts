// The comparison report webview in real Chromium (the page, CSP and bundle its panel loads), fed reports the core
// makes: regressions first with links to code and to a trace of each side, a differential flame graph that
// colours the slowed call, zooms on click and explains itself on hover; hostile span names stay inert text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupReport, traceReport } from '../../src/core/analysis/compare/compareReport';
import { GroupSampling } from '../../src/core/analysis/compare/groupSampling';
import type { Span, Trace } from '../../src/core/model/trace';
import { buildSpan } from '../support/traceBuilder';
import { canvasPixel, chromiumAvailable, CHROMIUM, openReportHarness, type ReportHarness } from '../support/webviewHarness';

const XSS = '<img src=x onerror="window.__pwned=1">';
let counter = 0;

/** GET /cart → SELECT cart (queryMs) and a hostile-named render step. */
function request(version: string, queryMs: number, withAudit = false): Trace {
  const traceId = (++counter).toString(16).padStart(32, '0');
  const resource = { serviceName: 'cart', attributes: { 'service.name': 'cart', 'service.version': version } };
  const span = (id: string, parent: string | undefined, name: string, startNs: number, durationNs: number, attributes: Span['attributes'] = {}) =>
    buildSpan(attributes, {
      traceId,
      spanId: id.padStart(16, '0'),
      parentSpanId: parent?.padStart(16, '0'),
      name,
      kind: 'internal',
      startNs,
      durationNs,
      resource,
    });
  const q = queryMs * 1e6;
  const spans = [
    span('1', undefined, 'GET /cart', 0, q + 6e6),
    span('2', '1', 'SELECT cart', 1e6, q, { 'code.file.path': '/app/cart.py', 'code.line.number': 12 }),
    span('3', '1', XSS, q + 2e6, 3e6),
  ];
  if (withAudit) spans.push(span('4', '1', 'audit', q + 5e6, 1e6));
  return { traceId, startUnixNano: BigInt(1_700_000_000_000_000_000 + counter), spans, warnings: [] };
}

const skip = !chromiumAvailable();
if (skip) console.log(`SKIPPED report browser tests: no Chromium at ${CHROMIUM} (bash .ci/run installs it)`);

describe.skipIf(skip)('comparison report webview', () => {
  let harness: ReportHarness;

  beforeAll(async () => {
    harness = await openReportHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const pixel = (x: number, y: number) => canvasPixel(harness.page, 'canvas.flame-canvas', x, y);
  const reddish = ([r, g, b]: number[]) => r > g + 40 && r > b + 40;

  it('lists the regression first with its code and a trace of each side, colours it red in the flame graph, and keeps hostile names as text', async () => {
    const sampling = new GroupSampling();
    for (let i = 0; i < 30; i++) sampling.add('baseline', request('1.0', 20 + (i % 5)));
    for (let i = 0; i < 30; i++) sampling.add('candidate', request('1.1', 40 + (i % 5)));
    const { report, clues, placeClues } = groupReport(sampling, { by: 'attribute', attribute: 'service.version', baseline: '1.0', candidate: '1.1' }, 'cart');
    // A code place per row, then per place in the code, as the panel sends them.
    const places = [...clues, ...placeClues!].map((c) => (c.length ? { label: 'cart.py:12' } : null));
    await harness.show({ type: 'report', report, places });
    const page = harness.page;
    await page.locator('h1', { hasText: 'cart · service.version: 1.0 → 1.1' }).waitFor();
    const first = page.locator('table.rows tbody tr').first();
    expect(await first.textContent()).toMatch(/^slower \+\d+%cart · SELECT cart/);
    await first.locator('button.code-link', { hasText: 'cart.py:12' }).click();
    const query = report.rows.findIndex((r) => r.name === 'SELECT cart');
    expect(harness.received.at(-1)).toEqual({ type: 'openCode', row: query });
    await first.locator('button.trace-link', { hasText: '1.1' }).click();
    expect(harness.received.at(-1)).toEqual({ type: 'openTrace', ...report.rows[query].b!.exemplar });
    // The same change by place in the code: its link names the place after the rows.
    const byPlace = page.locator('table.rows', { has: page.locator('caption', { hasText: 'By place in the code' }) });
    const placeRow = byPlace.locator('tbody tr').first();
    expect(await placeRow.textContent()).toMatch(/^slower \+\d+%cart · cart\.py:12/);
    await placeRow.locator('button.code-link').click();
    expect(harness.received.at(-1)).toEqual({ type: 'openCode', row: report.rows.length + report.places.findIndex((p) => p.name === 'cart.py:12') });
    // The hostile name is a row's text, and ran nothing.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    // The flame graph: the root across the top, the slowed query red in the row below, its figures on hover.
    const canvas = page.locator('canvas.flame-canvas');
    await canvas.waitFor();
    const box = (await canvas.boundingBox())!;
    // It paints on the frame after it is laid out: looked at until it has.
    await expect.poll(async () => reddish(await pixel(box.width * 0.2, 30))).toBe(true);
    await page.mouse.move(box.x + box.width * 0.2, box.y + 30);
    const tip = page.locator('.flame-tip');
    await tip.waitFor({ state: 'visible' });
    expect(await tip.textContent()).toMatch(/SELECT cart.*1\.0: p50 2\d(\.\d)? ms.*1\.1: p50 4\d(\.\d)? ms/);
  });

  it('compares two traces: the added call only in B, the slower query first; a click zooms the flame graph to a call', async () => {
    const { report } = traceReport(request('1', 20), request('1', 60, true));
    await harness.show({ type: 'report', report, places: report.rows.map(() => null) });
    const page = harness.page;
    await page.locator('h1', { hasText: /^A: cart: GET \/cart \(26 ms\) → B: cart: GET \/cart \(66 ms\)$/ }).waitFor();
    const rows = await page.locator('table.rows tbody tr').allTextContents();
    expect(rows[0]).toMatch(/^slowercart · SELECT cart/);
    expect(rows.some((r) => r.startsWith('only in Bcart · audit'))).toBe(true);
    expect(rows.some((r) => r.includes(XSS))).toBe(false);
    const box = (await page.locator('canvas.flame-canvas').boundingBox())!;
    // Under the root: the query (60 of 66 ms), then the render step (unchanged, grey) at 91-95% of the width.
    // Zoomed to the query, the query fills the row; Escape shows all again.
    const render = () => pixel(box.width * 0.93, 30);
    expect(reddish(await render())).toBe(false);
    await page.mouse.click(box.x + box.width * 0.1, box.y + 30);
    await expect.poll(async () => reddish(await render())).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(async () => reddish(await render())).toBe(false);
  });
});
