// Comparing in the real VS Code: traces the OpenTelemetry SDK exports to the receiver in two versions, compared
// in the receiver's thread; the report opens as a panel, the slowed function's CodeLens gains its delta until the
// comparison is cleared; two traces compare from their ids; what cannot be compared opens nothing; an operation's
// traces merge into one flame graph.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { compareTabs } from './panelTabs';
import { SpanKind } from '@opentelemetry/api';
import { until } from './until';
import type { TraceLensApi } from '../../src/extension/extension';
import { SdkRecording } from '../support/sdkTrace';

const orders = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'sample/src/orders.ts');

/** `count` requests of cart at `version`: loadCart (sample/src/orders.ts:7 once mapped) takes about `ms`. */
function requests(version: string, count: number, ms: number): SdkRecording {
  const r = new SdkRecording({ 'service.version': version });
  for (let i = 0; i < count; i++) {
    const start = i * 1000;
    const took = ms + (i % 5);
    const root = r.span('GET /cart', { service: 'cart', kind: SpanKind.SERVER, start, end: start + took + 4, attributes: { 'http.route': '/cart' } });
    r.span('loadCart', {
      service: 'cart',
      parent: root,
      start: start + 1,
      end: start + 1 + took,
      attributes: { 'code.file.path': '/app/src/orders.ts', 'code.line.number': 7, 'code.function.name': 'loadCart' },
    });
  }
  return r;
}

async function lensTitles(): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', orders());
  return lenses.map((l) => l.command?.title ?? '');
}

describe('Compare in VS Code', () => {
  let api: TraceLensApi;
  const port = vscode.workspace.getConfiguration('traceLens.receiver').get<number>('port')!;

  before(async () => {
    api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
    await until('the receiver to listen', () => api.receiver.state.kind === 'listening');
    await api.receiver.store.clear();
    for (const recording of [requests('1.0', 25, 20), requests('2.0', 25, 40)]) {
      const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: recording.exportRequest(),
      });
      assert.equal(response.status, 200);
    }
    await until('the 50 traces stored', () => api.receiver.store.size.traces === 50);
  });

  after(async () => {
    await vscode.commands.executeCommand('traceLens.clearComparison');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.receiver.store.clear();
  });

  it('compares two versions in a report panel, and the slowed function’s CodeLens says by how much until cleared', async () => {
    await vscode.window.showTextDocument(orders(), { preview: false });
    await until('the latency lens on loadCart', async () => (await lensTitles()).find((t) => / · 50 calls/.test(t)));
    await vscode.commands.executeCommand('traceLens.compareVersions', { service: 'cart', attribute: 'service.version', baseline: '1.0', candidate: '2.0' });
    await until('the report panel', () => compareTabs().find((t) => t.label === 'Compare 1.0 → 2.0'));
    const delta = await until('the delta on the lens', async () => (await lensTitles()).find((t) => / · p50 \+\d+% vs 1\.0$/.test(t)));
    // loadCart's median went from 22 to 42 ms.
    const percent = Number(/\+(\d+)%/.exec(delta)![1]);
    assert.ok(percent > 80 && percent < 100, delta);
    await vscode.commands.executeCommand('traceLens.clearComparison');
    await until('the delta gone', async () => !(await lensTitles()).some((t) => t.includes('vs 1.0')));
  });

  it('compares two received traces by id, and opens nothing for what cannot be compared', async () => {
    const [a, b] = (await api.receiver.store.list()).map((t) => t.traceId);
    const before = compareTabs().length;
    await vscode.commands.executeCommand('traceLens.compareTraces', a, b);
    await until('the two-trace report', () => compareTabs().find((t) => t.label === `Compare ${a.slice(0, 8)} → ${b.slice(0, 8)}`));
    // An attribute no trace carries, and a trace nobody holds: a warning, no panel.
    await vscode.commands.executeCommand('traceLens.compareVersions', { service: 'cart', attribute: 'deployment.environment.name' });
    await vscode.commands.executeCommand('traceLens.compareTraces', a, 'f'.repeat(32));
    assert.equal(compareTabs().length, before + 1);
  });

  it('merges every received trace of an operation into its flame graph', async () => {
    await vscode.commands.executeCommand('traceLens.operationFlameGraph', 'cart', 'GET /cart');
    await until('the flame graph panel', () => compareTabs().find((t) => t.label === 'Flame graph: GET /cart'));
  });
});
