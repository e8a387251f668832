// The waterfall webview in real Chromium (the page, CSP and bundle the panel loads): hostile span data stays
// inert text and keeps the layout; the keyboard, collapse, depth, search and error navigation work on a real
// fixture trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTrace } from '../../src/core/waterfall/prepareTrace';
import { timeTicks } from '../../src/core/waterfall/timeTicks';
import { similarRuns } from '../../src/core/waterfall/similarRuns';
import { previewModel } from '../../src/core/waterfall/previewModel';
import type { Span, Trace } from '../../src/core/model/trace';
import { decodeOk } from '../support/decodeOk';
import { fixture } from '../support/fixtures';
import { canvasPixel, chromiumAvailable, CHROMIUM, openHarness, type Harness } from '../support/webviewHarness';

const MEGABYTE = 'A'.repeat(1024 * 1024);
const XSS_NAME = '<img src=x onerror="window.__pwned=1;alert(1)">';
const SCRIPT_SERVICE = '</script><script>window.__pwned=2</script>';
const BIDI_NAME = 'invoice\u202Egpj.exe\u2066hidden\u2069';

function hostileTrace(): Trace {
  const traceId = 'ab'.repeat(16);
  const resource = { serviceName: SCRIPT_SERVICE, attributes: { 'service.name': SCRIPT_SERVICE, 'host.name': '<b onmouseover=window.__pwned=4>host</b>' } };
  const span = (id: number, parent: number | undefined, name: string, extra: Partial<Span> = {}): Span => ({
    traceId,
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent === undefined ? undefined : parent.toString(16).padStart(16, '0'),
    name,
    kind: 'server',
    startNs: id * 1000,
    durationNs: 1_000_000 - id * 2000,
    status: { code: 'unset' },
    attributes: {},
    events: [],
    links: [],
    resource,
    ...extra,
  });
  return {
    traceId,
    startUnixNano: 1_700_000_000_000_000_000n,
    warnings: [{ code: 'clock-skew', message: '<iframe src="javascript:window.__pwned=5"></iframe>' } as Trace['warnings'][number]],
    spans: [
      span(1, undefined, XSS_NAME, {
        attributes: { 'url.full': 'javascript:window.__pwned=3', 'http.route': '</script><svg onload=window.__pwned=6>', big: MEGABYTE },
        status: { code: 'error', message: '<img src=x onerror=window.__pwned=7>' },
        events: [{ name: '<svg/onload=window.__pwned=8>', offsetNs: 10, attributes: { 'exception.message': '"><script>window.__pwned=9</script>' } }],
      }),
      span(2, 1, BIDI_NAME),
      span(3, 1, MEGABYTE),
    ],
  };
}

const skip = !chromiumAvailable();

/** A real 1,041-span production trace (Zipkin), prepared as a trace worker prepares it. */
const productionTrace = () => prepareTrace(decodeOk(fixture('zipkin/smartthings-mobile-web-install.json')).traces[0]);
/** The selected row's number (-1: none). */
const selectedRow = (page: Harness['page']) => page.evaluate(() => Number(document.querySelector<HTMLElement>('.row.selected')?.dataset.row ?? -1));
/** Until the whole production trace shows (not its first rows). */
const wholeTraceShown = (page: Harness['page']) => page.waitForFunction(() => document.querySelector('.span-count')?.textContent === '1,041 spans');
if (skip) console.log(`SKIPPED waterfall browser tests: no Chromium at ${CHROMIUM} (bash .ci/run installs it)`);

describe.skipIf(skip)('waterfall webview with hostile span data', () => {
  let harness: Harness;
  const dialogs: string[] = [];

  beforeAll(async () => {
    harness = await openHarness({ width: 1000, height: 700 });
    harness.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await harness.deliver(prepareTrace(hostileTrace()));
    await harness.page.waitForSelector('.row');
  }, 60_000);
  afterAll(() => harness?.close());

  it('shows every string as text and runs nothing', async () => {
    const page = harness.page;
    await page.click('.row[data-row="0"] .span-name');
    await page.waitForSelector('.details h2');
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      violations: (window as unknown as { __violations: string[] }).__violations,
      injected: document.querySelectorAll('img, svg, iframe, b, a[href], script:not([src]):not([nonce])').length,
      scripts: document.querySelectorAll('script').length,
      rowText: document.querySelector('.row[data-row="0"]')!.textContent,
      serviceChip: document.querySelector('.service')!.textContent,
      details: document.querySelector('.details')!.textContent!,
    }));
    expect(dialogs).toEqual([]);
    expect(state.pwned).toBeUndefined();
    expect(state.violations).toEqual([]);
    expect(state.injected).toBe(0);
    expect(state.scripts).toBe(2); // the harness's stand-in for VS Code and the bundle
    expect(state.rowText).toContain(XSS_NAME);
    expect(state.serviceChip).toBe(SCRIPT_SERVICE);
    expect(state.details).toContain('javascript:window.__pwned=3');
    expect(state.details).toContain('"><script>window.__pwned=9</script>');
    // The 1 MB attribute is cut, with its real length stated.
    expect(state.details).toContain('(1,048,576 characters)');
    expect(state.details.length).toBeLessThan(20_000);
  });

  it('shows bidi controls as visible codes instead of letting them reorder the text', async () => {
    const text = await harness.page.evaluate(() => document.body.textContent!);
    expect(text).toContain('invoice⟨U+202E⟩gpj.exe⟨U+2066⟩hidden⟨U+2069⟩');
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps its layout: fixed row height, nothing wider than the panel', async () => {
    const layout = await harness.page.evaluate(() => ({
      rows: [...document.querySelectorAll<HTMLElement>('.row')].map((r) => r.getBoundingClientRect()),
      header: document.querySelector('.header')!.getBoundingClientRect().height,
      details: document.querySelector('.details')!.getBoundingClientRect().width,
      scrollWidth: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    expect(layout.rows).toHaveLength(3);
    for (const r of layout.rows) {
      expect(r.height).toBe(22);
      expect(r.right).toBeLessThanOrEqual(layout.width);
    }
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.width);
    expect(layout.header).toBeLessThan(250);
    expect(layout.details).toBeLessThanOrEqual(521);
  });

  it('shows a hostile finding title as text, and picks its spans out with F', async () => {
    await harness.send({
      type: 'findings',
      findings: [{ fingerprint: 'f1', kind: 'n-plus-one-query', severity: 'warning', title: XSS_NAME, rows: Int32Array.from([1, 2]) }],
    });
    await harness.page.waitForSelector('.finding');
    expect(await harness.page.textContent('.finding')).toBe(`⚠ ${XSS_NAME}`);
    expect(await harness.page.$$('.findings-bar img')).toHaveLength(0);
    await harness.page.focus('.viewport');
    await harness.page.keyboard.press('f');
    await harness.page.waitForSelector('.finding[aria-pressed="true"]');
    expect(await harness.page.$$eval('.row.match', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.row)))).toEqual([1, 2]);
    expect(await harness.page.textContent('.search-status')).toBe('2 spans of the finding');
    // F again moves round the list (one finding: it is let go), and the highlight goes with it.
    await harness.page.keyboard.press('f');
    expect(await harness.page.$$('.row.match')).toHaveLength(0);
    // Its repeats fold into their first row ("× 2") and come back.
    const shownRows = () => harness.page.$$eval('.row', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.row)).sort());
    await harness.page.click('.fold');
    await harness.page.waitForSelector('.fold-count');
    expect(await shownRows()).toEqual([0, 1]);
    expect(await harness.page.textContent('.row[data-row="1"] .fold-count')).toBe('× 2');
    await harness.page.click('.fold');
    await harness.page.waitForSelector('.row[data-row="2"]');
    expect(await harness.page.$$('.fold-count')).toHaveLength(0);
    expect(await harness.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('finds hostile text by search without rendering it', async () => {
    await harness.page.keyboard.press('/');
    await harness.page.keyboard.type('onerror');
    await harness.page.waitForFunction(() => document.querySelector('.search-status')?.textContent?.includes('of'));
    expect(await harness.page.textContent('.search-status')).toBe('1 of 1');
    expect(await harness.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('lists hostile names among the statistics as text, the long one cut, within the panel', async () => {
    const page = harness.page;
    await page.locator('button.stats-toggle').click();
    const cells = await page.$$eval('.op-stats-table td', (tds) => tds.map((td) => td.textContent!));
    expect(cells).toContain(XSS_NAME);
    expect(cells).toContain(SCRIPT_SERVICE);
    expect(cells).toContain('invoice⟨U+202E⟩gpj.exe⟨U+2066⟩hidden⟨U+2069⟩');
    expect(cells.find((text) => text.startsWith('AAAA'))).toMatch(/… \(1,048,576 characters\)$/);
    expect(await page.$$('.op-stats img, .op-stats script, .op-stats svg, .op-stats iframe')).toHaveLength(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.locator('button.stats-toggle').click();
  });
});

describe.skipIf(skip)('waterfall webview keyboard, collapse, search and errors', () => {
  let harness: Harness;
  let trace: Trace;
  const visibleRows = () => harness.page.evaluate(() => document.querySelector<HTMLElement>('.spacer')!.offsetHeight / 22);
  const selected = () => selectedRow(harness.page);

  beforeAll(async () => {
    // A real 1,041-span trace from Zipkin's test data (see ../shared/fixtures/SOURCES.md).
    trace = decodeOk(fixture('zipkin/smartthings-mobile-web-install.json')).traces[0];
    harness = await openHarness();
    await harness.deliver(prepareTrace(trace));
    await harness.page.waitForSelector('.row');
    await harness.page.focus('.viewport');
  }, 60_000);
  afterAll(() => harness?.close());

  it('opens on the span where the failure began, with the keyboard on the rows', async () => {
    const origin = prepareTrace(trace).model.failureOriginRow;
    expect(trace.spans[prepareTrace(trace).model.rows.span[origin]].name).toBe('get circuitbreakers/_entitytype_/_entityid_');
    await harness.page.waitForSelector('.row.selected');
    expect(await selected()).toBe(origin);
    expect(await harness.page.evaluate(() => document.activeElement?.classList.contains('viewport'))).toBe(true);
  });

  it('tells a screen reader which row is selected and what it is, and names every control', async () => {
    const page = harness.page;
    const origin = prepareTrace(trace).model.failureOriginRow;
    // Focus stays on the tree; the selected row is its active descendant, spoken by its label.
    expect(await page.getAttribute('.viewport', 'aria-activedescendant')).toBe(`row-${origin}`);
    const row = page.locator(`#row-${origin}`);
    expect(await row.getAttribute('aria-label')).toMatch(/^get circuitbreakers\/_entitytype_\/_entityid_, [\w-]+, (server|client), [\d.]+ (ms|µs|s), failed/);
    expect(await row.getAttribute('aria-selected')).toBe('true');
    const tree = await page.locator('.viewport').ariaSnapshot();
    expect(tree).toMatch(/- tree "Spans":/);
    expect(tree).toMatch(/- treeitem "get circuitbreakers\/_entitytype_\/_entityid_, [^"]*failed[^"]*" \[level=\d+\] \[selected\]/);
    const toolbar = await page.locator('.toolbar:not(.findings)').first().ariaSnapshot();
    for (const name of ['Previous match', 'Next match', 'Previous error', 'Next error', 'Search spans', 'Levels shown']) expect(toolbar).toContain(`"${name}"`);
    expect(await page.getAttribute('.search-status', 'role')).toBe('status');
  });

  it('outlines the critical path, with a legend that hides and shows it (and the C key)', async () => {
    const page = harness.page;
    // The root is always on the path.
    await page.focus('.viewport');
    await page.keyboard.press('Home');
    const outline = () => page.evaluate(() => getComputedStyle(document.querySelector('.row.critical .bar')!).boxShadow);
    expect(await outline()).toMatch(/2px/);
    await page.locator('button.critical-toggle').click();
    expect(await page.getAttribute('button.critical-toggle', 'aria-pressed')).toBe('false');
    expect(await outline()).toBe('none');
    await page.focus('.viewport');
    await page.keyboard.press('c');
    expect(await page.getAttribute('button.critical-toggle', 'aria-pressed')).toBe('true');
    expect(await outline()).toMatch(/2px/);
  });

  it('reads time on round ticks, with grid lines through the rows at each', async () => {
    const page = harness.page;
    const labels = await page.locator('.ruler .tick').allTextContents();
    const model = prepareTrace(trace).model;
    expect(labels).toEqual(timeTicks(0, model.durationNs).ticks.map((t) => t.label));
    expect(labels[0]).toBe('0');
    expect(labels.slice(1).every((l) => /^\d+(\.\d+)? (ns|µs|ms|s)$/.test(l))).toBe(true);
    const { step } = timeTicks(0, model.durationNs);
    const size = await page.evaluate(() => getComputedStyle(document.querySelector('.row .track')!).backgroundSize);
    expect(Number.parseFloat(size)).toBeCloseTo((step / model.durationNs) * 100, 3);
  });

  it('keeps the names of deep spans in view: indentation compresses past eight levels and the depth shows', async () => {
    const page = harness.page;
    await page.focus('.viewport');
    await page.keyboard.press('End');
    // The rows at the end are drawn on the next frame: measured before it, a row being replaced is all zeros.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    const deep = await page.locator('.row').evaluateAll((rows) =>
      rows
        .map((row) => {
          const column = row.querySelector('.name-col')!.getBoundingClientRect();
          const name = row.querySelector('.span-name')!.getBoundingClientRect();
          return { depth: Number(row.getAttribute('aria-level')) - 1, shown: row.querySelector('.depth')?.textContent, room: column.right - name.left };
        })
        .filter((r) => r.depth > 8),
    );
    expect(deep.length).toBeGreaterThan(0);
    for (const row of deep) {
      expect(row.shown).toBe(String(row.depth));
      // The name starts well inside its column (at 12 px a level it started past the column's end).
      expect(row.room).toBeGreaterThan(40);
    }
  });

  it('names a span beside its bar where the timeline has room', async () => {
    const page = harness.page;
    await page.focus('.viewport');
    await page.keyboard.press('Home');
    const model = prepareTrace(trace).model;
    const { startNs, durationNs, name } = model.rows;
    // After a bar that ends by 70% of the timeline, before one that starts after 30%, else none (a wide bar).
    const expected = (r: number) => {
      const [start, end] = [startNs[r] / model.durationNs, (startNs[r] + durationNs[r]) / model.durationNs].map((f) => f * 100);
      return end <= 70 ? `after ${model.strings[name[r]]}` : start >= 30 ? `before ${model.strings[name[r]]}` : 'none';
    };
    const shown = await page.locator('.row').evaluateAll((rows) =>
      rows.map((row) => {
        const label = row.querySelector('.bar-name');
        return [
          Number((row as HTMLElement).dataset.row),
          label ? `${label.classList.contains('after') ? 'after' : 'before'} ${label.textContent}` : 'none',
        ] as const;
      }),
    );
    expect(shown.length).toBeGreaterThan(10);
    for (const [r, text] of shown) expect(text).toBe(expected(r));
    expect(shown.some(([, t]) => t !== 'none')).toBe(true);
  });

  it('renders only the rows in view', async () => {
    expect(await visibleRows()).toBe(trace.spans.length);
    const inDom = await harness.page.locator('.row').count();
    expect(inDom).toBeGreaterThan(20);
    expect(inDom).toBeLessThan(80);
  });

  it('moves with the arrow keys, collapses with Left and expands with Right', async () => {
    const page = harness.page;
    await page.keyboard.press('Home');
    expect(await selected()).toBe(0);
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(1);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    expect(await visibleRows()).toBe(1);
    expect(await page.textContent('.row[data-row="0"] .hidden-count')).toBe(`+${trace.spans.length - 1}`);
    await page.keyboard.press('ArrowRight');
    expect(await visibleRows()).toBe(trace.spans.length);
    await page.keyboard.press('ArrowRight');
    expect(await selected()).toBe(1);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await selected()).toBe(0);
  });

  it('collapses by depth with the number keys and expands all with 0', async () => {
    const page = harness.page;
    await page.keyboard.press('1');
    expect(await visibleRows()).toBe(1);
    await page.keyboard.press('2');
    const roots = prepareTrace(trace).model.rows.depth.filter((d) => d <= 1).length;
    expect(await visibleRows()).toBe(roots);
    await page.keyboard.press('0');
    expect(await visibleRows()).toBe(trace.spans.length);
  });

  it('opens details with Enter and searches with /, Enter stepping through matches', async () => {
    const page = harness.page;
    await page.keyboard.press('Enter');
    // The pane may still hold the span shown before, marked busy until the host answers for this one.
    await page.waitForSelector('.details:not([aria-busy]) h2');
    expect(await page.textContent('.details h2')).toBe(trace.spans[prepareTrace(trace).model.rows.span[0]].name);
    await page.keyboard.press('/');
    const name = trace.spans[500].name;
    const expected = trace.spans.filter((s) => s.name.toLowerCase().includes(name.toLowerCase())).length;
    await page.keyboard.type(name);
    await page.waitForFunction(() => / of /.test(document.querySelector('.search-status')?.textContent ?? ''));
    expect(await page.textContent('.search-status')).toBe(`1 of ${expected}`);
    if (expected > 1) {
      await page.keyboard.press('Enter');
      expect(await page.textContent('.search-status')).toBe(`2 of ${expected}`);
    }
    await page.keyboard.press('Escape');
    expect(await page.inputValue('.search')).toBe('');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('viewport');
  });

  it('fits a narrow panel: rows take the width, details open below them on Enter', async () => {
    const page = harness.page;
    await page.setViewportSize({ width: 460, height: 700 });
    await page.focus('.viewport');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Home');
    expect(await page.locator('.details').isVisible()).toBe(false);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.details:not([aria-busy]) h2');
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      rows: document.querySelector('.viewport')!.getBoundingClientRect(),
      details: document.querySelector('.details')!.getBoundingClientRect(),
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(460);
    expect(layout.details.top).toBeGreaterThanOrEqual(layout.rows.bottom - 1);
    expect(layout.details.width).toBeGreaterThan(400);
    // Below the rows it has room to read (a flex column once squeezed it to nothing), and its × closes it.
    expect(layout.details.height).toBeGreaterThan(120);
    await page.locator('.details .close-details').click();
    expect(await page.locator('.details').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('viewport');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('draws the rows a taller panel shows once it grows', async () => {
    const page = harness.page;
    // How far below the viewport's bottom the last drawn row ends (negative: rows missing at the bottom).
    const overhang = () =>
      page.evaluate(() => {
        const viewport = document.querySelector('.viewport')!.getBoundingClientRect();
        const rows = [...document.querySelectorAll('.rows .row')].map((row) => row.getBoundingClientRect().bottom);
        return { rows: rows.length, below: Math.max(...rows) - viewport.bottom };
      });
    await page.focus('.viewport');
    await page.keyboard.press('Home');
    await page.setViewportSize({ width: 1280, height: 360 });
    await page.waitForFunction(() => document.querySelector('.viewport')!.clientHeight < 300);
    const short = await overhang();
    await page.setViewportSize({ width: 1280, height: 1200 });
    await page.waitForFunction((before) => document.querySelectorAll('.rows .row').length > before, short.rows);
    const tall = await overhang();
    expect(short.below).toBeGreaterThanOrEqual(0);
    expect(tall.below).toBeGreaterThanOrEqual(0);
    expect(tall.rows).toBeGreaterThan(short.rows);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lets the name column be dragged wider, tells the host, and titles every name with its whole text', async () => {
    const page = harness.page;
    const nameWidth = () => page.evaluate(() => document.querySelector('.row .name-col')!.getBoundingClientRect().width);
    const before = await nameWidth();
    const handle = await page.locator('.ruler .name-divider').boundingBox();
    await page.mouse.move(handle!.x + 3, handle!.y + 5);
    await page.mouse.down();
    await page.mouse.move(handle!.x + 203, handle!.y + 5, { steps: 5 });
    await page.mouse.up();
    expect(await nameWidth()).toBeGreaterThan(before + 150);
    await expect.poll(() => harness.received.filter((m) => m.type === 'nameWidth').length).toBeGreaterThan(0);
    const title = await page.locator('.row .name-col').first().getAttribute('title');
    expect(title).toMatch(/^\S.*: \S/);
  });

  it('folds runs of alike siblings into one "× N" row with R (or the toolbar), a badge click unfolds one, R again all', async () => {
    const page = harness.page;
    const runs = similarRuns(prepareTrace(trace).model.rows);
    expect(runs.length).toBeGreaterThan(0);
    const hidden = runs.reduce((sum, run) => sum + run.length - 1, 0);
    await page.focus('.viewport');
    await page.keyboard.press('0');
    const all = await visibleRows();
    await page.keyboard.press('r');
    expect(await page.getAttribute('.repeats-toggle', 'aria-pressed')).toBe('true');
    // Each run's later rows (and what is below them) are hidden; its first row says how many it stands for.
    expect(await visibleRows()).toBeLessThanOrEqual(all - hidden);
    await harness.send({ type: 'select', row: runs[0][0] });
    const badge = page.locator('.row.selected .fold-count');
    await badge.waitFor();
    expect(await badge.textContent()).toBe(`× ${runs[0].length}`);
    const folded = await visibleRows();
    await badge.click();
    expect(await visibleRows()).toBeGreaterThan(folded);
    await page.locator('.repeats-toggle').click();
    expect(await page.getAttribute('.repeats-toggle', 'aria-pressed')).toBe('false');
    expect(await visibleRows()).toBe(all);
    await page.focus('.viewport');
  });

  it('steps through errors with E, revealing them inside collapsed subtrees', async () => {
    const page = harness.page;
    const model = prepareTrace(trace).model;
    const errorRows = [...model.rows.flags.keys()].filter((r) => model.rows.flags[r] & 1);
    const errorButton = page.locator('.next-error');
    if (errorRows.length === 0) {
      expect(await errorButton.isDisabled()).toBe(true);
      return;
    }
    await page.keyboard.press('1');
    await page.keyboard.press('Home');
    await page.keyboard.press('e');
    expect(await selected()).toBe(errorRows.find((r) => r > 0) ?? errorRows[0]);
  });
});

describe.skipIf(skip)('a large trace shown by its first rows while the rest comes', () => {
  it('paints the preview with what it is, then every row in its place', async () => {
    const harness = await openHarness();
    try {
      const prepared = productionTrace();
      await harness.deliver({ ...prepared, model: previewModel(prepared.model, 100) });
      const count = () => harness.page.textContent('.span-count');
      await harness.page.waitForSelector('.row');
      expect(await count()).toBe('the first 100 of 1,041 spans; the rest is on its way…');
      // The rows shown are the whole trace's rows of the same numbers.
      const shown = () => harness.page.$$eval('.row', (rows) => rows.map((r) => [Number(r.dataset.row), r.querySelector('.span-name')?.textContent] as const));
      const { rows, strings } = prepared.model;
      const previewed = await shown();
      expect(previewed.length).toBeGreaterThan(5);
      for (const [row, name] of previewed) expect(name).toBe(strings[rows.name[row]]);
      await harness.deliver(prepared);
      await wholeTraceShown(harness.page);
      // The whole trace opens where its failure began, past the preview's rows.
      expect((await shown()).map(([row]) => row)).toContain(prepared.model.failureOriginRow);
      expect(await harness.page.evaluate(() => document.querySelector<HTMLElement>('.spacer')!.offsetHeight / 22)).toBe(1041);
    } finally {
      await harness.close();
    }
  }, 60_000);

  it('says its statistics are of the first rows while the rest comes, and of every span once they have, still shown', async () => {
    const harness = await openHarness();
    try {
      const prepared = productionTrace();
      const page = harness.page;
      await harness.deliver({ ...prepared, model: previewModel(prepared.model, 100) });
      await page.waitForSelector('.row');
      await page.locator('button.stats-toggle').click();
      expect(await page.locator('.op-stats-note').textContent()).toMatch(/^\d+ operations? in the first 100 of 1,041 spans \(the rest is on its way\)\./);
      const spansListed = () =>
        page.$$eval('.op-stats-table tbody tr td:nth-child(3)', (cells) => cells.reduce((sum, c) => sum + Number(c.textContent!.replace(/,/g, '')), 0));
      expect(await spansListed()).toBe(100);
      await harness.deliver(prepared);
      await wholeTraceShown(page);
      // The view the user chose stays.
      expect(await page.locator('.op-stats').isVisible()).toBe(true);
      expect(await page.locator('button.stats-toggle').getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('.op-stats-note').textContent()).toMatch(/^\d+ operations in 1,041 spans\./);
      expect(await spansListed()).toBe(1041);
    } finally {
      await harness.close();
    }
  }, 60_000);

  it('keeps the row the user selected and the row they had scrolled to', async () => {
    const harness = await openHarness();
    try {
      const prepared = productionTrace();
      await harness.deliver({ ...prepared, model: previewModel(prepared.model, 100) });
      const page = harness.page;
      await page.waitForSelector('.row');
      await page.evaluate(() => (document.querySelector<HTMLElement>('.viewport')!.scrollTop = 30 * 22 + 5));
      await page.locator('.row[data-row="36"]').click();
      const selected = () => selectedRow(page);
      await expect.poll(selected).toBe(36);
      await harness.deliver(prepared);
      await wholeTraceShown(page);
      expect(await selected()).toBe(36);
      // The row at the top of the view is row 30 again, scrolled 5 px into it; the failure's row (past the preview) is not pulled into view.
      expect(await page.evaluate(() => document.querySelector<HTMLElement>('.viewport')!.scrollTop)).toBe(30 * 22 + 5);
      expect(prepared.model.failureOriginRow).toBeGreaterThan(100);
    } finally {
      await harness.close();
    }
  }, 60_000);

  it('opens on a span asked for when the user did not move among the first rows', async () => {
    const harness = await openHarness();
    try {
      const prepared = productionTrace();
      const origin = prepared.model.failureOriginRow;
      // First rows reaching past where the failure began: they open on it.
      await harness.deliver({ ...prepared, model: previewModel(prepared.model, origin + 50) });
      const page = harness.page;
      const selected = () => selectedRow(page);
      await expect.poll(selected).toBe(origin);
      await harness.deliver(prepared, 20);
      await wholeTraceShown(page);
      expect(await selected()).toBe(20);
    } finally {
      await harness.close();
    }
  }, 60_000);
});

describe.skipIf(skip)('the overview', () => {
  it('outlines the rows in view, following the scroll', async () => {
    const harness = await openHarness({ width: 1000, height: 700 });
    try {
      await harness.deliver(productionTrace());
      await harness.page.waitForSelector('.row');
      // Where the outline's left edge is drawn on the overview (48 px tall): its first and last painted pixel.
      const outline = () =>
        harness.page.evaluate(() => {
          const canvas = document.querySelector<HTMLCanvasElement>('canvas.minimap-overlay')!;
          const ratio = canvas.height / 48;
          const column = canvas.getContext('2d')!.getImageData(0, 0, 1, canvas.height).data;
          const painted = [...Array(canvas.height).keys()].filter((y) => column[y * 4 + 3] > 0).map((y) => Math.floor(y / ratio));
          return painted.length ? [painted[0], painted[painted.length - 1]] : [];
        });
      const scrollTo = (fraction: number) =>
        harness.page.evaluate((f) => {
          const viewport = document.querySelector<HTMLElement>('.viewport')!;
          viewport.scrollTop = f * (viewport.scrollHeight - viewport.clientHeight);
        }, fraction);
      await scrollTo(0);
      await expect.poll(outline).toEqual([0, expect.any(Number)]);
      expect((await outline())[1]).toBeLessThan(6);
      await scrollTo(1);
      await expect.poll(async () => (await outline())[0]).toBeGreaterThan(42);
      expect((await outline())[1]).toBe(47);
    } finally {
      await harness.close();
    }
  }, 60_000);
});

describe.skipIf(skip)('waterfall webview past the browser’s scroll-height limit', () => {
  // 2M rows of 22 px are 44M px: past the ~33.5M px Chromium lays out. Every row must still be reachable.
  const ROWS = 2_000_000;
  let harness: Harness;

  beforeAll(async () => {
    harness = await openHarness({ width: 1000, height: 700 });
    await harness.page.waitForFunction(() => (window as unknown as { __sent: string[] }).__sent.includes('ready'));
    // Columns built in the page (sending 2M rows through the test channel would take longer than the test).
    await harness.page.evaluate((n) => {
      const span = new Int32Array(n).map((_, i) => i);
      const rows = {
        span,
        parent: new Int32Array(n).fill(-1),
        subtreeEnd: span.map((i) => i + 1),
        depth: new Int32Array(n),
        startNs: new Float64Array(n).map((_, i) => i),
        durationNs: new Float64Array(n).fill(1),
        service: new Int32Array(n),
        name: span.slice(),
        kind: new Uint8Array(n),
        flags: new Uint8Array(n),
        eventStart: new Int32Array(n + 1),
        eventNs: new Float64Array(0),
      };
      const names = Array.from({ length: n }, (_, i) => `op-${i}`);
      const model = {
        traceId: 'cd'.repeat(16),
        startEpochMs: 0,
        durationNs: n,
        rootService: 's',
        rootName: 'op-0',
        services: ['s'],
        errorCount: 0,
        failureOriginRow: -1,
        warnings: [],
        strings: names,
        rows,
      };
      window.postMessage({ type: 'trace', model }, '*');
    }, ROWS);
    await harness.page.waitForSelector('.row');
  }, 120_000);
  afterAll(() => harness?.close());

  const rendered = () =>
    harness.page.evaluate(() => {
      const view = document.querySelector('.viewport')!.getBoundingClientRect();
      return [...document.querySelectorAll<HTMLElement>('.row')]
        .filter((r) => {
          const box = r.getBoundingClientRect();
          return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
        })
        .map((r) => Number(r.dataset.row));
    });
  const scrollTo = (fraction: number) =>
    harness.page.evaluate(async (f) => {
      const viewport = document.querySelector<HTMLElement>('.viewport')!;
      viewport.scrollTop = f * (viewport.scrollHeight - viewport.clientHeight);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    }, fraction);

  it('scrolls to the last row, and to the middle, with the scrollbar', async () => {
    await scrollTo(1);
    expect(await rendered()).toContain(ROWS - 1);
    await scrollTo(0.5);
    const middle = await rendered();
    expect(Math.abs(middle[0] - ROWS / 2)).toBeLessThan(50);
    // Rows in view are consecutive, one row-height apart: none overlap, none is skipped.
    expect(middle).toEqual(middle.map((_, i) => middle[0] + i));
    await scrollTo(0);
    expect((await rendered())[0]).toBe(0);
  });

  it('brings the last row into view with End and the first with Home', async () => {
    await harness.page.focus('.viewport');
    await harness.page.keyboard.press('End');
    await expect.poll(rendered).toContain(ROWS - 1);
    await harness.page.keyboard.press('Home');
    await expect.poll(async () => (await rendered())[0]).toBe(0);
  });
});

const ms = 1_000_000;
/** A root of 100 ms with two async children that overlap in time (10-80 and 20-90 ms), and one grandchild. */
function overlapping(): Trace {
  const traceId = 'ef'.repeat(16);
  const resource = { serviceName: 'api', attributes: { 'service.name': 'api' } };
  const span = (id: number, parent: number | undefined, name: string, start: number, duration: number, error = false): Span => ({
    traceId,
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent === undefined ? undefined : parent.toString(16).padStart(16, '0'),
    name,
    kind: 'internal',
    startNs: start * ms,
    durationNs: duration * ms,
    status: { code: error ? 'error' : 'unset' },
    attributes: {},
    events: [],
    links: [],
    resource,
  });
  return {
    traceId,
    startUnixNano: 1_700_000_000_000_000_000n,
    warnings: [],
    spans: [
      span(1, undefined, 'GET /report', 0, 100),
      span(2, 1, 'fetch users', 10, 70),
      span(3, 1, 'fetch orders', 20, 70, true),
      span(4, 3, 'SELECT orders', 30, 20),
    ],
  };
}

describe.skipIf(skip)('the trace as a flame graph', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await openHarness({ width: 1000, height: 700 });
    await harness.deliver(prepareTrace(overlapping()));
    await harness.page.locator('button.flame-toggle').click();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const pixel = (x: number, y: number) => canvasPixel(harness.page, 'canvas.flame-chart-canvas', x, y);
  const drawn = (p: number[]) => p[3] > 0;
  const lane = (n: number) => n * 18 + 9;

  it('replaces the rows, and gives overlapping async siblings a lane each instead of stretching their parent', async () => {
    const page = harness.page;
    expect(await page.locator('.viewport').isHidden()).toBe(true);
    expect(await page.locator('button.flame-toggle').getAttribute('aria-pressed')).toBe('true');
    const width = (await page.locator('canvas.flame-chart-canvas').boundingBox())!.width;
    // Lane 0: the root across the whole width. Lanes 1 and 2: the two siblings at their own times (10-80, 20-90 ms).
    // The chart paints on the frame after it shows: looked at until it has.
    await expect.poll(async () => drawn(await pixel(width * 0.99, lane(0)))).toBe(true);
    expect(drawn(await pixel(width * 0.15, lane(1)))).toBe(true);
    expect(drawn(await pixel(width * 0.85, lane(1)))).toBe(false);
    expect(drawn(await pixel(width * 0.15, lane(2)))).toBe(false);
    expect(drawn(await pixel(width * 0.85, lane(2)))).toBe(true);
    // Lane 3: the grandchild at 30-50 ms, nothing after it.
    expect(drawn(await pixel(width * 0.4, lane(3)))).toBe(true);
    expect(drawn(await pixel(width * 0.6, lane(3)))).toBe(false);
  });

  it('says what a frame is on hover; a click selects its span (the details pane) and zooms to it', async () => {
    const page = harness.page;
    const box = (await page.locator('canvas.flame-chart-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + lane(2));
    const tip = page.locator('.flame-tip');
    await tip.waitFor({ state: 'visible' });
    expect(await tip.textContent()).toBe('fetch ordersapi · 70 ms · failed');
    await page.mouse.click(box.x + box.width * 0.5, box.y + lane(2));
    await page.locator('.details', { hasText: 'fetch orders' }).waitFor();
    await page.locator('.zoom-reset').waitFor({ state: 'visible' });
    // Zoomed to 16.5-93.5 ms: the sibling's 80 ms end now sits at 82% of the width, and 10 ms (the root's start) is off the left.
    // The chart repaints on the frame after the button shows: looked at until it does (or the poll times out).
    await expect.poll(async () => drawn(await pixel(box.width * 0.8, lane(1)))).toBe(true);
    expect(drawn(await pixel(box.width * 0.84, lane(1)))).toBe(false);
    await page.locator('.zoom-reset').click();
    await expect.poll(async () => drawn(await pixel(box.width * 0.85, lane(1)))).toBe(false);
    await page.locator('button.flame-toggle').click();
    expect(await page.locator('.viewport').isVisible()).toBe(true);
    await page.locator('button.flame-toggle').click();
  });

  it('dims what a search did not match', async () => {
    const page = harness.page;
    const box = (await page.locator('canvas.flame-chart-canvas').boundingBox())!;
    const before = await pixel(box.width * 0.99, lane(0));
    await page.locator('input.search').fill('SELECT');
    await page.locator('.search-status', { hasText: '1 of 1' }).waitFor();
    // The chart repaints on the frame after the status: looked at until it does (or the poll times out).
    await expect.poll(async () => (await pixel(box.width * 0.99, lane(0)))[3]).toBeLessThan(before[3]);
  });
});

describe.skipIf(skip)('the trace’s statistics by operation', () => {
  let harness: Harness;
  /** Each listed operation's cells, in the table's order. */
  const table = () =>
    harness.page.evaluate(() =>
      [...document.querySelectorAll('.op-stats-table tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
    );

  beforeAll(async () => {
    harness = await openHarness({ width: 1000, height: 700 });
    await harness.deliver(prepareTrace(overlapping()));
    await harness.page.waitForSelector('.row');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('replaces the rows with a table of each operation, the most self time first', async () => {
    const page = harness.page;
    await page.locator('button.stats-toggle').click();
    expect(await page.locator('.viewport').isHidden()).toBe(true);
    expect(await page.locator('button.stats-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('button.stats-toggle').textContent()).toBe('Waterfall');
    expect(await page.locator('.op-stats-table th').allTextContents()).toEqual([
      'Service',
      'Operation',
      'Spans',
      'Failed',
      'Total',
      'Average',
      'Min',
      'Max',
      'Self ▾',
      'Self %',
    ]);
    // fetch users 10-80 ms, fetch orders 20-90 ms (failed) with SELECT orders 30-50 ms under it; the root's
    // children cover 10-90 ms of its 100.
    expect(await table()).toEqual([
      ['api', 'fetch users', '1', '0', '70 ms', '70 ms', '70 ms', '70 ms', '70 ms', '43.8%'],
      ['api', 'fetch orders', '1', '1', '70 ms', '70 ms', '70 ms', '70 ms', '50 ms', '31.3%'],
      ['api', 'GET /report', '1', '0', '100 ms', '100 ms', '100 ms', '100 ms', '20 ms', '12.5%'],
      ['api', 'SELECT orders', '1', '0', '20 ms', '20 ms', '20 ms', '20 ms', '20 ms', '12.5%'],
    ]);
    expect(await page.locator('.op-stats-note').textContent()).toBe('4 operations in 4 spans. A click on an operation shows its longest span.');
  });

  it('sorts by a column when its header is pressed, and turns the order when pressed again', async () => {
    const page = harness.page;
    await page.locator('.op-stats-sort', { hasText: 'Operation' }).click();
    expect((await table()).map((row) => row[1])).toEqual(['fetch orders', 'fetch users', 'GET /report', 'SELECT orders']);
    await page.locator('.op-stats-sort', { hasText: 'Operation' }).click();
    expect((await table()).map((row) => row[1])).toEqual(['SELECT orders', 'GET /report', 'fetch users', 'fetch orders']);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toBe('Operation ▾');
    // The table was made anew; the keyboard is still on the header pressed.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Operation ▾');
  });

  it('shows an operation’s longest span among the rows, with its details, when its row is clicked', async () => {
    const page = harness.page;
    await page.locator('.op-stats-row', { hasText: 'SELECT orders' }).click();
    expect(await page.locator('.viewport').isVisible()).toBe(true);
    expect(await page.locator('.op-stats').isHidden()).toBe(true);
    expect(await page.locator('button.stats-toggle').textContent()).toBe('Statistics');
    await page.locator('.row.selected', { hasText: 'SELECT orders' }).waitFor();
    await page.locator('.details', { hasText: 'SELECT orders' }).waitFor();
  });

  it('takes the flame graph’s place when asked for from it, and its key S shows it from the rows', async () => {
    const page = harness.page;
    await page.locator('button.flame-toggle').click();
    await page.locator('button.stats-toggle').click();
    expect(await page.locator('.flame-chart').isHidden()).toBe(true);
    expect(await page.locator('button.flame-toggle').textContent()).toBe('Flame graph');
    expect(await page.locator('.op-stats').isVisible()).toBe(true);
    await page.locator('button.stats-toggle').click();
    await page.focus('.viewport');
    await page.keyboard.press('s');
    expect(await page.locator('.op-stats').isVisible()).toBe(true);
  });
});
