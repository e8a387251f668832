// The waterfall webview in real Chromium, outside VS Code: the page the panel loads (same HTML, same CSP, same
// bundle and stylesheet from media/), served from loopback, with acquireVsCodeApi standing in for VS Code's
// message channel. The host side answers with the extension's own waterfallModel functions. Used by the
// hostile-data test and by the waterfall benchmark; the comparison report's page is served the same way.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../src/extension/webviewHtml';
import { pageBundle } from '../../src/extension/pageBundle';
import type { PreparedTrace } from '../../src/core/waterfall/prepareTrace';
import { searchRows } from '../../src/core/waterfall/searchRows';
import { describeSpan } from '../../src/core/waterfall/describeSpan';
import type { FromWebview, SpanDetails, ToWebview, WaterfallRows } from '../../src/protocol/messages';
import type { FromReport, ToReport } from '../../src/protocol/reportMessages';

export const CHROMIUM = process.env.TRACE_LENS_CHROMIUM ?? '/usr/bin/chromium';
const MEDIA = join(__dirname, '..', '..', 'media');

/** Stands in for VS Code: messages go to the Node side through a CDP binding (not script, so the CSP allows it). */
const STUB = `
window.__sent = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({ postMessage: (m) => { window.__sent.push(m.type); window.__toHost(JSON.stringify(m)); }, setState: (s) => { window.__state = s; } });
window.__columns = {};
window.__putColumn = (name, type, base64) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  window.__columns[name] = new globalThis[type](bytes.buffer);
};
window.__deliver = (json) => {
  const message = JSON.parse(json);
  if (message.type === 'trace') message.model.rows = window.__columns;
  if (message.type === 'searchResults') message.rows = Int32Array.from(message.rows);
  if (message.type === 'findings') for (const f of message.findings) f.rows = Int32Array.from(f.rows);
  window.postMessage(message, '*');
};
`;

export interface Harness {
  page: Page;
  browser: Browser;
  browserPid: number;
  /** Sends the model the way the panel does (typed columns), once the page said it is ready. */
  deliver(prepared: PreparedTrace, selectRow?: number, nameWidth?: number): Promise<void>;
  /** Any other message the host sends (findings, a pick), as the panel posts it. */
  send(message: ToWebview): Promise<void>;
  /** Every message the page sent that the harness does not answer (e.g. the name column's width). */
  received: FromWebview[];
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Serves the page of one webview bundle (`waterfall`, `report` or `map`), its script and stylesheet within it. */
function serve(nonce: string, bundle = 'waterfall'): Promise<Server> {
  const server = createServer((_req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const html = webviewHtml({ cspSource: origin, nonce, bundle: pageBundle(MEDIA, bundle) });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html.replace('<script nonce', `<script nonce="${nonce}">${STUB}</script>\n<script nonce`));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function openHarness(
  options: {
    width?: number;
    height?: number;
    theme?: 'vscode-dark' | 'vscode-light' | 'vscode-high-contrast';
    /** What the host adds to a span's details (its stack frames' places, as the panel does), when it answers. */
    details?: (d: SpanDetails) => SpanDetails | Promise<SpanDetails>;
  } = {},
): Promise<Harness> {
  const nonce = randomBytes(16).toString('base64');
  const http = await serve(nonce);
  // Launched as a server so its process (and so its renderer's memory) can be found.
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: ['--no-sandbox', '--js-flags=--max-old-space-size=4096'] });
  const browser = await chromium.connect(server.wsEndpoint());
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 } });
  let prepared: PreparedTrace | undefined;
  let ready!: () => void;
  const received: FromWebview[] = [];
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const send = (message: ToWebview) =>
    page.evaluate(
      (json) => (globalThis as unknown as { __deliver(j: string): void }).__deliver(json),
      JSON.stringify(message, (_k, v) => (v instanceof Int32Array ? Array.from(v) : v)),
    );
  await page.exposeBinding('__toHost', async (_source, json: string) => {
    const message = JSON.parse(json) as FromWebview;
    if (message.type === 'ready') ready();
    else if (message.type === 'selectSpan' && prepared) {
      const details = describeSpan(prepared, message.span);
      await send({ type: 'details', requestId: message.requestId, details: details && ((await options.details?.(details)) ?? details) });
    } else if (message.type === 'search' && prepared)
      await send({ type: 'searchResults', requestId: message.requestId, rows: searchRows(prepared, message.query), done: true });
    else received.push(message);
  });
  const { port } = http.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.evaluate(`document.body.classList.add(${JSON.stringify(options.theme ?? 'vscode-dark')})`);
  return {
    page,
    browser,
    received,
    async deliver(p, selectRow, nameWidth) {
      prepared = p;
      await isReady;
      for (const [name, column] of Object.entries(p.model.rows) as [keyof WaterfallRows, WaterfallRows[keyof WaterfallRows]][]) {
        const base64 = Buffer.from(column.buffer, column.byteOffset, column.byteLength).toString('base64');
        await page.evaluate(([n, type, b64]) => (globalThis as unknown as { __putColumn(a: string, b: string, c: string): void }).__putColumn(n, type, b64), [
          name,
          column.constructor.name,
          base64,
        ] as const);
      }
      await send({ type: 'trace', model: { ...p.model, rows: {} as WaterfallRows }, selectRow, nameWidth });
    },
    browserPid: server.process().pid!,
    async send(message) {
      await send(message);
    },
    async close() {
      await browser.close();
      await server.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** [r, g, b, a] drawn on a page's canvas at a point, in CSS pixels from its top left. */
export function canvasPixel(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  return page.evaluate(`(() => {
    const canvas = document.querySelector(${JSON.stringify(selector)});
    const ratio = canvas.width / canvas.clientWidth;
    return [...canvas.getContext('2d').getImageData(Math.floor(${x} * ratio), Math.floor(${y} * ratio), 1, 1).data];
  })()`);
}

export interface PageHarness<To, From> {
  page: Page;
  /** What the page asked of the host. */
  received: From[];
  show(message: To): Promise<void>;
  close(): Promise<void>;
}

export type ReportHarness = PageHarness<ToReport, FromReport>;

/** The comparison report page, as its panel loads it. */
export function openReportHarness(): Promise<ReportHarness> {
  return openPageHarness('report');
}

/** The page of a webview bundle whose host only sends messages (the report, the service map). */
export async function openPageHarness<To, From extends { type: string }>(bundle: string): Promise<PageHarness<To, From>> {
  const nonce = randomBytes(16).toString('base64');
  const http = await serve(nonce, bundle);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const received: From[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  await page.exposeBinding('__toHost', (_source, json: string) => {
    const message = JSON.parse(json) as From;
    if (message.type === 'ready') ready();
    else received.push(message);
  });
  await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
  await page.evaluate(`document.body.classList.add('vscode-dark')`);
  return {
    page,
    received,
    async show(message) {
      await isReady;
      await page.evaluate((json) => (globalThis as unknown as { __deliver(j: string): void }).__deliver(json), JSON.stringify(message));
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
