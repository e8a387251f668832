// The end-to-end scenario over `npm run demo`: the demo's VS Code opened in a browser, its shop under load, and
// what a person sees: the latency CodeLens over the slow function, the error mark on the failing line, a
// hover on a trace id in the shop's log with that request's summary, and its waterfall one click away.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './codeServer.mjs';
import { startDemo } from './demo.mjs';
import {
  assertMapTextContrast,
  hoverUntil,
  lensesAbove,
  pickInQuickInput,
  printExtensionLog,
  quickOpen,
  report,
  runCommand,
  step,
  waterfallShowing,
  webviewShowing,
} from './workbench.mjs';

const ARTIFACTS = join(ROOT, 'test', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const demo = await startDemo({ browser: true, loadIntervalMs: 250, log: (line) => console.log(`    ${line}`) });
let failed = false;
try {
  const { page } = demo;
  await step('opening the printed URL shows the shop with Trace Lens listening', async () => {
    await page.goto(`${demo.url}/?folder=${encodeURIComponent(demo.workspace)}`);
    await page.locator('.statusbar-item', { hasText: `OTLP :${demo.receiverPort}` }).waitFor({ timeout: 60_000 });
    // The shop's spans arrive once the receiver listens: the status bar counts them.
    await page.locator('.statusbar-item', { hasText: /OTLP :\d+ · \d/ }).waitFor({ timeout: 60_000 });
  });

  await step('a latency CodeLens sits over priceItems, the slow function in orders.mjs', async () => {
    await quickOpen(page, 'orders.mjs');
    await page
      .locator('.codelens-decoration', { hasText: /p50 .* calls/ })
      .first()
      .waitFor({ timeout: 45_000 });
    // The lens above `async function priceItems` is the one whose line follows it.
    const placed = await lensesAbove(page, 'async function priceItems');
    if (!placed?.length || !/p50 .* · \d+ calls/.test(placed[0])) throw new Error(`the lens over priceItems reads ${JSON.stringify(placed)}`);
    console.log(`    lens: ${placed[0]}`);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-codelens.png') });
  });

  await step('the throw in payments.mjs carries the error mark, and its hover says what failed', async () => {
    await quickOpen(page, 'payments.mjs');
    const throwLine = page.locator('.view-line', { hasText: "throw Object.assign(new Error('card declined by issuer')" });
    await throwLine.waitFor();
    await page.locator('.glyph-margin-widgets .codicon, .glyph-margin-widgets [class*="cgmr"]').first().waitFor({ timeout: 60_000 });
    const gutter = await page.evaluate(() => {
      const line = [...document.querySelectorAll('.view-line')].find((l) =>
        l.textContent.replace(/\u00a0/g, ' ').includes("throw Object.assign(new Error('card declined"),
      );
      const marks = [...document.querySelectorAll('.glyph-margin-widgets > div')].map((m) => m.getBoundingClientRect().top);
      const top = line.getBoundingClientRect().top;
      return marks.filter((t) => Math.abs(t - top) < 3).length;
    });
    if (gutter !== 1) throw new Error(`${gutter} gutter marks on the throw line`);
    const hover = page.locator('.monaco-hover', { hasText: 'card declined by issuer' });
    await hoverUntil(page, throwLine, hover);
    const text = await hover.textContent();
    if (!/\d+ (?:time|failure)/.test(text)) throw new Error(`the hover reads "${text}"`);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-gutter.png') });
  });

  await step('hovering a trace id in logs/shop.log shows that request; Open Waterfall opens it', async () => {
    // Logs are git-ignored, so Quick Open does not list them: open it from the Explorer, as a person would.
    const explorer = page.locator('.explorer-folders-view');
    const logFile = explorer.locator('.monaco-list-row', { hasText: 'shop.log' });
    if (!(await logFile.count())) await explorer.locator('.monaco-list-row', { hasText: /^logs$/ }).click();
    await logFile.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'shop.log' }).waitFor({ timeout: 15_000 });
    // The editor draws spaces as no-break spaces: \s matches both.
    const errorLine = page.locator('.view-line', { hasText: /\[frontend\]\scheckout\sfailed\sfor\s\S+:\scard\sdeclined/ }).first();
    await errorLine.waitFor({ timeout: 30_000 });
    const id = /trace_id=([0-9a-f]{32})/.exec(await errorLine.textContent())[1];
    const hover = page.locator('.monaco-hover', { hasText: 'Open Waterfall' });
    await hoverUntil(page, errorLine.locator('span', { hasText: id }).last(), hover);
    const text = await hover.textContent();
    // The hover names where the request failed (the payments service), not the root it propagated to.
    if (!text.includes('GET /checkout') || !text.includes('Failed in: payments · chargeCard: card declined by issuer'))
      throw new Error(`the hover reads "${text}"`);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-hover.png') });
    await hover.locator('a', { hasText: 'Open Waterfall' }).click();
    const waterfall = await waterfallShowing(page, 'spans');
    await waterfall.locator('.error-count.has-errors').waitFor();
    await waterfall.locator('.row.error', { hasText: 'chargeCard' }).first().click();
    await waterfall.locator('.go-to-failure, .go-to-code').first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'demo-waterfall.png') });
  });

  await step(
    'the N+1 finding sits over the priceItems loop; the Findings view lists it, the retry storm, the broken hand-off and where the failures began',
    async () => {
      await runCommand(page, 'View: Close All Editors');
      await quickOpen(page, 'orders.mjs');
      await page.locator('.codelens-decoration', { hasText: 'N+1 query' }).first().waitFor({ timeout: 60_000 });
      // The loop's span is priceItems: its finding's lens sits over the line that opens it.
      const placed = await lensesAbove(page, "return traced(tracer, 'priceItems'");
      const lens = placed.find((l) => l.includes('N+1 query'));
      if (!lens || !/N\+1 query: \d+ × SELECT price FROM products WHERE id = \? \(.+\) · \d+ traces? · Show trace/.test(lens))
        throw new Error(`the lenses over priceItems read ${JSON.stringify(placed)}`);
      console.log(`    lens: ${lens}`);
      await page.screenshot({ path: join(ARTIFACTS, 'demo-finding-lens.png') });
      await runCommand(page, 'Trace Lens: Focus on Findings View');
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Findings' }) });
      for (const kind of ['N+1 query', 'Retry storm', 'Broken propagation', 'Failure began in payments · chargeCard'])
        await view.locator('.monaco-list-row', { hasText: kind }).first().waitFor({ timeout: 60_000 });
      // The group reads as its latest trace: one whose app stalled between two attempts (a loaded machine) reads as
      // backing off. The demo retries at once, so a later trace says "no backoff"; the view follows within seconds.
      const stormRow = view.locator('.monaco-list-row', { hasText: 'Retry storm:' }).first();
      const noBackoff = /attempts of 127\.0\.0\.1:\d+ POST \/charge \(\d+ failed, no backoff/;
      let storm = '';
      for (const deadline = Date.now() + 60_000; !noBackoff.test(storm) && Date.now() < deadline; await page.waitForTimeout(500))
        storm = await stormRow.textContent();
      if (!noBackoff.test(storm)) throw new Error(`the retry storm reads "${storm}"`);
      await page.screenshot({ path: join(ARTIFACTS, 'demo-findings-view.png') });
    },
  );

  await step("a finding's Open Trace shows its trace with the finding pressed and its repeated spans picked out", async () => {
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Findings' }) });
    const row = view.locator('.monaco-list-row', { hasText: 'N+1 query:' }).first();
    // The view redraws as findings come (at most once a second): a click caught by a redraw is clicked again.
    let waterfall;
    for (let attempt = 1; !waterfall; attempt++) {
      await row.hover();
      await row.locator('.action-label[aria-label="Open Trace"]').click();
      waterfall = await waterfallShowing(page, 'spans', 10_000).catch((error) => {
        if (attempt === 3) throw error;
      });
    }
    const pressed = waterfall.locator('.finding[aria-pressed="true"]', { hasText: 'N+1 query' });
    await pressed.waitFor({ timeout: 15_000 });
    const picked = await waterfall.locator('.row.match', { hasText: 'SELECT products' }).count();
    const status = await waterfall.locator('.search-status').textContent();
    if (picked < 5 || !/\d+ spans of the finding/.test(status)) throw new Error(`${picked} rows picked out; status "${status}"`);
    // The loop's queries run one after another: every one of them is on the critical path (not every other).
    const critical = await waterfall.locator('.row.match.critical', { hasText: 'SELECT products' }).count();
    if (critical !== picked) throw new Error(`${critical} of the ${picked} repeated queries are on the critical path`);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-finding-waterfall.png') });
  });

  await step('the service map shows frontend → orders → payments and the database with figures; the failing edge opens a failing trace', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Trace Lens: Show Service Map');
    const map = await webviewShowing(page, '.map-summary', /\d+ nodes/, 30_000);
    for (const name of ['frontend', 'orders', 'payments', 'postgresql']) await map.locator('.node', { hasText: name }).first().waitFor({ timeout: 30_000 });
    for (const [from, to] of [
      ['frontend', 'orders'],
      ['orders', 'payments'],
      ['orders', 'postgresql'],
    ])
      await map.locator(`.edge[aria-label^="${from} → ${to}: "]`).waitFor({ timeout: 30_000 });
    const failing = map.locator('.edge.failing[aria-label^="orders → payments: "]');
    await failing.waitFor({ timeout: 30_000 });
    console.log(`    edge: ${await failing.getAttribute('aria-label')}`);
    // The database's and the queue's filled boxes too: their names and captions read on them.
    await assertMapTextContrast(map);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-map.png') });
    await failing.dispatchEvent('click');
    await map.locator('.map-details button.trace-link', { hasText: 'Latest failing trace' }).click();
    const waterfall = await waterfallShowing(page, 'spans');
    await waterfall.locator('.error-count.has-errors').waitFor();
  });

  await step('a checkout trace shows as a flame graph and by operation, saves as a file, and "Compare with…" compares it with another', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Trace Lens: Focus on Traces View');
    const traces = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Traces' }) });
    // A row redrawn as traces arrive can lose a click, or give it to the row that took its place: as a person
    // would, click again if no checkout opened.
    let waterfall;
    for (let attempt = 1; !waterfall; attempt++) {
      await traces.locator('.monaco-list-row', { hasText: 'frontend: GET /checkout' }).first().click();
      waterfall = await webviewShowing(page, '.root-name', 'GET /checkout', 10_000).catch((error) => {
        if (attempt === 3) throw error;
      });
    }
    await waterfall.locator('button.flame-toggle').click();
    await waterfall.locator('canvas.flame-chart-canvas').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'demo-flame.png') });
    // Where its time went by operation (a row a service and span name: the N+1's queries are one). The row
    // clicked can be a trace whose first spans came a moment ago, so any operation will do.
    await waterfall.locator('button.stats-toggle').click();
    await waterfall.locator('.op-stats-row').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'demo-statistics.png') });
    // Save As… in its header: VS Code's save dialog (its own, in the browser) offers trace-<id>.json in the
    // shop's folder, taken as offered.
    const spans = Number((await waterfall.locator('.span-count').textContent()).replace(/\D/g, ''));
    const traceId = (await waterfall.locator('button.trace-id').textContent()).trim();
    await waterfall.locator('button.save-as').click();
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.notification-toast', { hasText: 'saved trace' }).waitFor({ timeout: 15_000 });
    const savedPath = join(demo.workspace, `trace-${traceId.slice(0, 8)}.json`);
    const saved = JSON.parse(readFileSync(savedPath, 'utf8'));
    const savedSpans = saved.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length;
    rmSync(savedPath);
    if (savedSpans !== spans) throw new Error(`the saved file holds ${savedSpans} spans, the waterfall ${spans}`);
    await waterfall.locator('button.compare-with').click();
    // The picker lists the other checkouts first: the first is taken.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'trace B, the same operation first' }).waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'frontend: GET /checkout' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const compared = await webviewShowing(page, 'h1', /^A: frontend: GET \/checkout .* → B: frontend: GET \/checkout/, 30_000);
    await compared.locator('canvas.flame-canvas').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'demo-compare-traces.png') });
  });

  await step('after the release, "Compare Versions…" shows chargeCard first among what got slower, and its CodeLens says by how much', async () => {
    await demo.release();
    // Latency is judged on 20 traces a side or more: 30 requests of the new version, and a moment for their spans.
    const releasedAt = demo.counts().sent;
    while (demo.counts().sent < releasedAt + 30) await page.waitForTimeout(500);
    await page.waitForTimeout(2_000);
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Trace Lens: Compare Versions…');
    await pickInQuickInput(page, 'payments', 'A service: its own spans say its version');
    await pickInQuickInput(page, 'service.version', 'An attribute whose values are the versions, or a moment');
    await pickInQuickInput(page, '1.4.2', 'The baseline: what the candidate is compared against');
    await pickInQuickInput(page, '1.5.0', 'The candidate: the newer version');
    const compared = await webviewShowing(page, 'h1', 'service.version: 1.4.2 → 1.5.0', 60_000);
    const first = (await compared.locator('table.rows tbody tr').first().textContent()) ?? '';
    if (!/^slower \+\d+%payments · chargeCard/.test(first)) throw new Error(`the first change reads "${first}"`);
    console.log(`    first change: ${first.slice(0, 160)}`);
    await compared.locator('canvas.flame-canvas').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'demo-compare.png') });
    await quickOpen(page, 'payments.mjs');
    await page
      .locator('.codelens-decoration', { hasText: /p50 \+\d+% vs 1\.4\.2/ })
      .first()
      .waitFor({ timeout: 30_000 });
    const placed = await lensesAbove(page, 'async function chargeCard');
    const lens = placed?.find((l) => /p50 \+\d+% vs 1\.4\.2/.test(l));
    if (!lens) throw new Error(`the lenses over chargeCard read ${JSON.stringify(placed)}`);
    console.log(`    lens: ${lens}`);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-compare-lens.png') });
  });
} catch {
  failed = true;
  printExtensionLog(demo.run);
  await demo.page.screenshot({ path: join(ARTIFACTS, 'demo-failure.png') }).catch(() => {});
} finally {
  console.log(`    load: ${JSON.stringify(demo.counts())}`);
  await demo.stop();
}
report('demo test', failed);
process.exit(failed ? 1 : 0);
