// The waterfall's details pane in real Chromium: a key/value grid whose keys wrap only after their dots, a copy
// action per value, sections that fold (and stay folded for the next span), stack traces with whole lines and
// links for the frames the host placed, an edge that drags, a × that closes, and a ruler whose labels never collide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTrace } from '../../src/core/waterfall/prepareTrace';
import type { Trace } from '../../src/core/model/trace';
import { buildTrace } from '../support/traceBuilder';
import type { SpanDetails } from '../../src/protocol/messages';
import { stackLines } from '../../src/core/waterfall/stackLines';
import { chromiumAvailable, CHROMIUM, openHarness, type Harness } from '../support/webviewHarness';

const STACK = [
  'Error: card declined',
  '    at chargeCard (/srv/shop/payments.mjs:42:11)',
  '    at async Server.handle (/srv/shop/node_modules/express/lib/router/index.js:284:7)',
  '    at async placeOrder (/srv/shop/a/very/long/path/that/must/not/break/in/the/middle/orders.mjs:17:3)',
].join('\n');

/** A failing payment with an exception's stack, and a query below it (spans from the shared builder). */
function detailsTrace(): Trace {
  const trace = buildTrace([
    ['1', undefined, 1_000_000, 48_000_000, 'server'],
    ['2', '1', 2_000_000, 46_000_000, 'server'],
  ]);
  const resource = {
    serviceName: 'payments',
    attributes: { 'service.name': 'payments', 'deployment.environment.name': 'production', 'telemetry.sdk.language': 'nodejs' },
  };
  trace.spans.forEach((span, i) => {
    span.resource = resource;
    span.attributes = { 'http.request.method': 'POST', 'url.path': `/charge/${i + 1}` };
  });
  const [charge, query] = trace.spans;
  charge.name = 'POST /charge';
  charge.status = { code: 'error', message: 'card declined' };
  charge.events = [
    { name: 'exception', offsetNs: 2_000_000, attributes: { 'exception.type': 'Error', 'exception.message': 'card declined', 'exception.stacktrace': STACK } },
  ];
  query.name = 'SELECT cards';
  return trace;
}

/** The host's part: frames in the workspace get a place (here: every application frame, as "shop/<file>:<line>"). */
function placeFrames(d: SpanDetails): SpanDetails {
  return {
    ...d,
    events: d.events.map((e) => {
      const stack = e.attributes.find(([k]) => k === 'exception.stacktrace')?.[1];
      if (!stack) return e;
      return {
        ...e,
        stack: stackLines(stack).map(({ text, frame }) => (frame ? { text, place: `shop/${frame.file.split('/').pop()}:${frame.line}` } : { text })),
      };
    }),
  };
}

const skip = !chromiumAvailable();
if (skip) console.log(`SKIPPED details browser tests: no Chromium at ${CHROMIUM} (bash .ci/run installs it)`);

describe.skipIf(skip)('the details pane', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await openHarness({ width: 1100, height: 800, details: placeFrames });
    await harness.deliver(prepareTrace(detailsTrace()));
    await harness.page.locator('.details h2', { hasText: 'POST /charge' }).waitFor();
  }, 60_000);
  afterAll(() => harness?.close());

  it('lists ids, attributes and resource as a grid whose keys wrap only after their dots', async () => {
    const page = harness.page;
    const summaries = await page.locator('.details summary').allTextContents();
    expect(summaries.slice(0, 3)).toEqual(['Ids (2)', 'Span attributes (2)', 'Resource (3)']);
    await page.evaluate(() => document.documentElement.style.setProperty('--details-width', '260px'));
    // Every piece of a key between its dots is on one line, however narrow the pane.
    const split = await page.evaluate(() =>
      [...document.querySelectorAll('.details .kv dt')].flatMap((dt) =>
        [...dt.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .filter((n) => {
            const range = document.createRange();
            range.selectNodeContents(n);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
          })
          .map((n) => n.textContent),
      ),
    );
    expect(split).toEqual([]);
    const key = page.locator('.details dt', { hasText: 'deployment.environment.name' });
    expect(await key.evaluate((dt) => dt.getBoundingClientRect().height)).toBeGreaterThan(20);
    await page.evaluate(() => document.documentElement.style.removeProperty('--details-width'));
  });

  it('copies one value with its own action', async () => {
    const page = harness.page;
    const row = page.locator('.details dd', { hasText: 'production' });
    await row.hover();
    await row.locator('.copy-value').click();
    expect(harness.received.filter((m) => m.type === 'copy').pop()).toEqual({ type: 'copy', text: 'production' });
    expect(await row.locator('.copy-value').getAttribute('aria-label')).toBe('Copy the value of deployment.environment.name');
  });

  it('shows a stack trace line by line, paths whole, the placed frames as links that open their place', async () => {
    const page = harness.page;
    const lines = page.locator('.details .stack [role=listitem]');
    expect(await lines.count()).toBe(4);
    // Only the application frames the host placed are links; the library frame and the message are text.
    expect(await page.locator('.details .stack .frame-link').allTextContents()).toEqual([
      '    at chargeCard (/srv/shop/payments.mjs:42:11)  → shop/payments.mjs:42',
      '    at async placeOrder (/srv/shop/a/very/long/path/that/must/not/break/in/the/middle/orders.mjs:17:3)  → shop/orders.mjs:17',
    ]);
    // A line never wraps (a link has its place on a second line).
    const heights = await lines.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height / (e.classList.contains('frame-link') ? 2 : 1)));
    expect(Math.max(...heights)).toBeLessThan(Math.min(...heights) * 1.2);
    // The stack is not repeated as one long value in the grid.
    expect(await page.locator('.details .events dt', { hasText: 'exception.stacktrace' }).count()).toBe(0);
    await page.locator('.details .frame-link', { hasText: 'orders.mjs' }).click();
    expect(harness.received.filter((m) => m.type === 'openFrame').pop()).toEqual({ type: 'openFrame', span: 0, event: 0, line: 3 });
  });

  it('keeps a section the user folded folded for the next span', async () => {
    const page = harness.page;
    await page.locator('.details summary', { hasText: 'Resource' }).click();
    expect(await page.locator('.details details.section', { hasText: 'Resource' }).getAttribute('open')).toBeNull();
    await page.locator('.row', { hasText: 'SELECT cards' }).click();
    await page.locator('.details h2', { hasText: 'SELECT cards' }).waitFor();
    expect(await page.locator('.details details.section', { hasText: 'Resource' }).getAttribute('open')).toBeNull();
    expect(await page.locator('.details details.section', { hasText: 'Span attributes' }).getAttribute('open')).toBe('');
    await page.locator('.details summary', { hasText: 'Resource' }).click();
  });

  it('widens when its edge is dragged, and with the arrow keys on the edge', async () => {
    const page = harness.page;
    const width = () => page.evaluate(() => document.querySelector('.details')!.getBoundingClientRect().width);
    const before = await width();
    const edge = (await page.locator('.details-edge').boundingBox())!;
    await page.mouse.move(edge.x + 2, edge.y + 50);
    await page.mouse.down();
    await page.mouse.move(edge.x - 148, edge.y + 50, { steps: 5 });
    await page.mouse.up();
    expect(await width()).toBeGreaterThan(before + 120);
    const dragged = await width();
    await page.locator('.details-edge').focus();
    await page.keyboard.press('ArrowRight');
    expect(await width()).toBeLessThan(dragged - 10);
  });

  it('closes with its ×; moving the selection leaves it closed, Enter opens it again', async () => {
    const page = harness.page;
    await page.locator('.details .close-details').click();
    expect(await page.locator('.details').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('viewport');
    await page.keyboard.press('ArrowUp');
    await page.waitForTimeout(200);
    expect(await page.locator('.details').isVisible()).toBe(false);
    await page.keyboard.press('Enter');
    await page.locator('.details h2', { hasText: 'POST /charge' }).waitFor();
    expect(await page.locator('.details').isVisible()).toBe(true);
  });

  it('puts as many ruler ticks as the width holds, with no two labels overlapping, down to 400 px', async () => {
    const page = harness.page;
    for (const width of [1100, 700, 400]) {
      await page.setViewportSize({ width, height: 800 });
      await page.waitForTimeout(100);
      const boxes = await page.locator('.ruler .tick').evaluateAll((ticks) => ticks.map((t) => t.getBoundingClientRect()).map((r) => [r.left, r.right]));
      expect(boxes.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < boxes.length; i++) expect(boxes[i][0]).toBeGreaterThan(boxes[i - 1][1]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1100, height: 800 });
  });
});

describe.skipIf(skip)('the details pane with a slow host', () => {
  let harness: Harness;
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));

  beforeAll(async () => {
    // The host holds the query's details back (a large trace read from its worker) until the test lets them go.
    harness = await openHarness({ width: 1100, height: 800, details: async (d) => (d.name === 'SELECT cards' ? answered.then(() => d) : d) });
    await harness.deliver(prepareTrace(detailsTrace()));
    await harness.page.locator('.details h2', { hasText: 'POST /charge' }).waitFor();
  }, 60_000);
  afterAll(() => harness?.close());

  it('marks the span shown before as busy, and dimmed, until the selected one arrives', async () => {
    const page = harness.page;
    const opacity = () => page.evaluate(() => Number(getComputedStyle(document.querySelector('.details')!).opacity));
    expect(await opacity()).toBe(1);
    await page.keyboard.press('ArrowDown');
    await page.locator('.details[aria-busy="true"]').waitFor();
    await page.waitForTimeout(400);
    expect(await page.textContent('.details h2')).toBe('POST /charge');
    expect(await opacity()).toBeLessThan(0.7);
    answer();
    await page.locator('.details:not([aria-busy]) h2', { hasText: 'SELECT cards' }).waitFor();
    expect(await opacity()).toBe(1);
  });
});
