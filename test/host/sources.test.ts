// Backend sources inside the real VS Code: a source configured in user settings answers "Open Trace…",
// and an id nobody has leaves the window working with a "not found" message.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { waterfallTitles } from './panelTabs';
import type { TraceLensApi } from '../../src/extension/extension';
import { until } from './until';

/** Zipkin v2 spans of one trace: a root and `count - 1` children below it, each 1 ms, from service "big". */
function zipkinTrace(traceId: string, count: number): string {
  const start = (Date.now() - 60_000) * 1000;
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId,
    id: (i + 1).toString(16).padStart(16, '0'),
    parentId: i === 0 ? undefined : '0000000000000001',
    name: i === 0 ? 'get /big' : `step ${i}`,
    kind: i === 0 ? 'SERVER' : undefined,
    timestamp: start + i,
    duration: 1000,
    localEndpoint: { serviceName: 'big' },
  }));
  return JSON.stringify(spans);
}

const LARGE_ID = 'feedfacecafe0001';

describe('Backend sources in VS Code', () => {
  let server: Server;
  let api: TraceLensApi;
  const requests: string[] = [];

  before(async () => {
    api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
    // A trace no earlier test opened from its file, so only this source can have it.
    const skew = readFileSync(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'fixtures/zipkin/skew.json').fsPath);
    // A Zipkin v2 API on loopback that has exactly one trace.
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/api/v2/trace/1e223ff1f80f1c69') res.writeHead(200, { 'content-type': 'application/json' }).end(skew);
      else if (req.url === `/api/v2/trace/${LARGE_ID}`) res.writeHead(200, { 'content-type': 'application/json' }).end(zipkinTrace(LARGE_ID, 3000));
      else if (req.url?.startsWith('/api/v2/traces?')) res.writeHead(200, { 'content-type': 'application/json' }).end(`[${skew}]`);
      else if (req.url?.startsWith('/api/v2/trace/'))
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`${req.url.slice('/api/v2/trace/'.length)} not found`);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('Status: 404\nDescription: Not Found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await vscode.workspace.getConfiguration('traceLens').update('sources', [{ name: 'Test Zipkin', kind: 'zipkin', url }], vscode.ConfigurationTarget.Global);
    await until('the source to be configured', async () => (await api.sources.names()).includes('Test Zipkin'));
  });

  after(async () => {
    await vscode.workspace.getConfiguration('traceLens').update('sources', undefined, vscode.ConfigurationTarget.Global);
    server.close();
  });

  it('opens a trace by id from the configured source', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.openTrace', '1E223FF1F80F1C69');
    const title = await until('the waterfall', () => waterfallTitles().find((t) => t.startsWith('Trace 1e223ff1')));
    assert.match(title, /get$/);
    assert.ok(requests.includes('/api/v2/trace/1e223ff1f80f1c69'));
  });

  it('loads the recent traces of a service from a backend so hovers and CodeLens count them', async () => {
    await vscode.commands.executeCommand('traceLens.loadServiceTraces', { source: 'Test Zipkin', service: 'servicea' });
    assert.ok(requests.some((r) => r.startsWith('/api/v2/traces?') && r.includes('serviceName=servicea')));
    assert.equal((await api.sources.opened.getTrace('00000000000000001e223ff1f80f1c69'))?.spans.length, 4);
  });

  it('decodes a large trace from a backend in a worker thread, and hovers and shows it from there', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('no worker left', () => api.traceWorkers.threads === 0);
    // A hover needs the story only: the thread that decoded the answer is let go at once.
    const log = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'big.log');
    await vscode.workspace.fs.writeFile(log, Buffer.from(`GET /big X-B3-TraceId: ${LARGE_ID}\n`));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log, new vscode.Position(0, 30));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /3,?000 spans/);
    assert.match(text, /from Test Zipkin/);
    assert.equal(api.traceWorkers.threads, 0);
    await vscode.commands.executeCommand('traceLens.openTrace', LARGE_ID);
    await until('the waterfall', () => waterfallTitles().find((t) => t.startsWith(`Trace ${LARGE_ID.slice(0, 8)}`)));
    // 3,000 spans are more than come back whole: the trace stays in the thread that decoded it.
    assert.equal(api.traceWorkers.threads, 1);
    await vscode.commands.executeCommand('traceLens.openTrace', LARGE_ID, '0000000000000bb8');
    await until('the span selected in the held trace', () => api.waterfalls.selectedSpan(`0000000000000000${LARGE_ID}`) === '0000000000000bb8');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('its worker let go with its panel', () => api.traceWorkers.threads === 0);
  });

  it('reports an id that no source has without opening anything', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.openTrace', '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.deepEqual(waterfallTitles(), []);
    assert.ok(requests.includes('/api/v2/trace/4bf92f3577b34da6a3ce929d0e0e4736'));
  });
});
