// Trace ids in a log file inside the real VS Code: ids of traces the receiver holds get a hover with the trace's
// story and a link that opens the waterfall; clipboard and cursor commands use the same recogniser.
import * as assert from 'node:assert/strict';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import * as vscode from 'vscode';
import { waterfallTitles } from './panelTabs';
import type { TraceLensApi } from '../../src/extension/extension';
import { runCheckoutApp } from '../support/instrumentedApp';
import { until } from './until';

const UNKNOWN = '4bf92f3577b34da6a3ce929d0e0e4736';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('Trace ids in editors', () => {
  let api: TraceLensApi;
  let failing: string;
  let ok: string;
  let log: vscode.Uri;

  before(async () => {
    api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
    const port = vscode.workspace.getConfiguration('traceLens.receiver').get<number>('port')!;
    await until('the receiver', () => api.receiver.state.kind === 'listening');
    await api.receiver.store.clear();
    await runCheckoutApp(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }), 3, 'log-shop');
    const traces = await api.receiver.store.list();
    failing = traces.find((t) => t.errorCount > 0)!.traceId;
    ok = traces.find((t) => t.errorCount === 0)!.traceId;
    log = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'app.log');
    const lines = [
      `2026-11-23 10:02:11,123 ERROR [checkout] payment failed trace_id=${failing} span_id=b7ad6b7169203331`,
      `2026-11-23 10:02:12,004 INFO  [checkout] upstream traceparent=00-${ok}-b7ad6b7169203331-01`,
      `2026-11-23 10:02:13,500 WARN  [checkout] retry trace_id=${UNKNOWN}`,
      'commit 9d59409acf479dfa0df1aa568182e43e43df8bb5 deployed',
    ];
    await vscode.workspace.fs.writeFile(log, Buffer.from(lines.join('\n') + '\n'));
  });

  it('hovers an id with the story of its trace and command links', async () => {
    const at = new vscode.Position(0, 70);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log, at);
    const text = hoverText(hovers);
    assert.match(text, /from Local receiver/);
    assert.match(text, /log\\-shop · \*\*POST /);
    assert.match(text, /3 spans · 1 service · \$\(error\) 2 errors/);
    // The failure is where it started (the payment call), not the root it propagated to.
    assert.match(text, /Failed in: log\\-shop · POST \/pay: card declined/);
    assert.match(text, /\[Open Waterfall\]\(command:traceLens\.openTrace\?/);
  });

  it('says which sources were asked for an id nobody has', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log, new vscode.Position(2, 60));
    assert.match(hoverText(hovers), /not found in Local receiver, Opened and loaded traces/);
  });

  it('links every id (not the git SHA) and a link opens the waterfall', async () => {
    // As a person sees it: links are computed for a log file shown in an editor.
    await vscode.window.showTextDocument(log);
    const links = await until('links in the log file', async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', log);
      return found.length ? found : undefined;
    });
    assert.deepEqual(
      links.map((l) => l.range.start.line),
      [0, 1, 2],
    );
    const target = links[0].target!;
    assert.equal(target.scheme, 'command');
    assert.equal(target.path, 'traceLens.openTrace');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(target.path, ...JSON.parse(decodeURIComponent(target.query)));
    await until('the waterfall from the link', () => waterfallTitles().find((t) => t.startsWith(`Trace ${failing.slice(0, 8)}`)));
  });

  it('hovers ids in an output channel too', async () => {
    const channel = vscode.window.createOutputChannel('Checkout service');
    try {
      channel.appendLine(`[checkout] charge failed trace_id=${failing}`);
      channel.show(true);
      const doc = await until(
        'the output channel document',
        () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.getText().includes(failing)),
        10_000,
      );
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 45));
      assert.match(hoverText(hovers), /3 spans/);
    } finally {
      channel.dispose();
    }
  });

  it('finds a trace opened from a file, with no backend', async () => {
    await vscode.commands.executeCommand('traceLens.openAsTrace', vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'fixtures/zipkin/yelp.json'));
    const headers = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'headers.log');
    await vscode.workspace.fs.writeFile(headers, Buffer.from('GET /location HTTP/1.1 X-B3-TraceId: a03ee8fff1dcd9b9 X-B3-SpanId: a03ee8fff1dcd9b9\n'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', headers, new vscode.Position(0, 40));
    assert.match(hoverText(hovers), /from Opened and loaded traces/);
    assert.match(hoverText(hovers), /16 spans/);
  });

  it('opens the trace at the cursor and from the clipboard', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await vscode.window.showTextDocument(log);
    editor.selection = new vscode.Selection(1, 70, 1, 70);
    await vscode.commands.executeCommand('traceLens.openTraceAtCursor');
    await until('the waterfall at the cursor', () => waterfallTitles().find((t) => t.startsWith(`Trace ${ok.slice(0, 8)}`)));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.env.clipboard.writeText(`curl -H 'traceparent: 00-${failing}-00f067aa0ba902b7-01' http://localhost:8080/checkout`);
    await vscode.commands.executeCommand('traceLens.openTraceFromClipboard');
    await until('the waterfall from the clipboard', () => waterfallTitles().find((t) => t.startsWith(`Trace ${failing.slice(0, 8)}`)));
  });
});
