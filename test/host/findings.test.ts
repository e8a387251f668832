// Findings in the real VS Code: traces the receiver takes from the OpenTelemetry SDK are analysed in its thread
// once they settle, and a trace file's in its worker; the findings show as a CodeLens and a hover at the loop's
// line, in the Problems panel when asked, in the findings store the view lists, and leave with their traces.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './until';
import type { TraceLensApi } from '../../src/extension/extension';
import { recordQueryLoop, SdkRecording, SpanKind } from '../support/sdkTrace';
import { toOtlpJsonLines } from '../../src/core/formats/otlpJsonWriter';
import { readStoreLimits } from '../../src/extension/receiverSettings';

function workspaceFile(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, relative);
}

/** One request whose handler (loadCart, at sample/src/orders.ts:7 once mapped) runs `repeats` queries in a row. */
function nPlusOne(repeats: number, service = 'cart'): SdkRecording {
  const r = new SdkRecording();
  recordQueryLoop(r, 'loadCart', {
    repeats,
    service,
    kind: SpanKind.SERVER,
    loopAttributes: { 'code.file.path': '/app/src/orders.ts', 'code.line.number': 7, 'code.function.name': 'loadCart' },
    query: (i) => ({ 'db.system.name': 'postgresql', 'db.query.text': `SELECT sku FROM cart_items WHERE cart_id = ${i}` }),
  });
  return r;
}

describe('Findings in VS Code', () => {
  let api: TraceLensApi;
  const port = vscode.workspace.getConfiguration('traceLens.receiver').get<number>('port')!;
  const orders = workspaceFile('sample/src/orders.ts');

  before(async () => {
    api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
    await until('the receiver to listen', () => api.receiver.state.kind === 'listening');
    await api.receiver.store.clear();
  });

  it('finds an N+1 in what the receiver takes, and shows it as a lens and a hover at the loop', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: nPlusOne(8).exportRequest(),
    });
    assert.equal(response.status, 200);
    const group = await until('the N+1 found once the trace settled', () => api.findings.all().find((g) => g.kind === 'n-plus-one-query'));
    assert.equal(group.title, 'N+1 query: 8 × SELECT sku FROM cart_items WHERE cart_id = ? (144 ms)');
    assert.equal(group.service, 'cart');
    await vscode.window.showTextDocument(orders, { preview: false });
    const lens = await until('a finding lens in orders.ts', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', orders);
      return lenses.find((l) => l.command?.title.includes('N+1 query'));
    });
    // The mapped loop: loadCart's declaration at line 7 (0-based 6).
    assert.equal(lens.range.start.line, 6);
    assert.match(lens.command!.title, /N\+1 query: 8 × SELECT sku FROM cart_items WHERE cart_id = \? \(144 ms\) · 1 trace · Show trace/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', orders, new vscode.Position(6, 5));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    // Markdown escapes the "+" of span text.
    assert.match(text, /N\\?\+1 query: 8 ×/);
    assert.match(text, /A fix would save about 126 ms per request/);
    // Its Open Trace (the view's and the lens's command) shows the exemplar trace, held by the receiver's thread.
    await vscode.commands.executeCommand('traceLens.findings.openTrace', group.fingerprint);
    assert.ok(api.waterfalls.has(group.exemplars[0].traceId), 'the finding opened its trace');
  });

  it('lists it in the Problems panel when asked, and forgets it when its trace leaves', async () => {
    await vscode.workspace.getConfiguration('traceLens').update('diagnostics.enabled', true, vscode.ConfigurationTarget.Workspace);
    try {
      const diagnostic = await until('a finding in the Problems panel', () =>
        vscode.languages.getDiagnostics(orders).find((d) => d.code === 'n-plus-one-query'),
      );
      assert.equal(diagnostic.source, 'Trace Lens');
      assert.equal(diagnostic.range.start.line, 6);
      await api.receiver.store.clear();
      // Other suites' opened traces keep their findings: this trace's is the one that must go.
      await until('the N+1 gone once the store is cleared', () => !api.findings.all().some((g) => g.service === 'cart'));
      await until('its Problems entry gone', () => !vscode.languages.getDiagnostics(orders).some((d) => d.code === 'n-plus-one-query'));
    } finally {
      await vscode.workspace.getConfiguration('traceLens').update('diagnostics.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('says when received traces left the store before they were analysed, and what to change', async () => {
    await api.receiver.store.clear();
    await api.receiver.store.setLimits({ maxSpans: 1000, maxBytes: 2 ** 30 });
    try {
      // Three traces of about 600 spans at once into a store of 1,000: the first leave long before they settle.
      for (const service of ['cart-a', 'cart-b', 'cart-c']) {
        const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: nPlusOne(600, service).exportRequest(),
        });
        assert.equal(response.status, 200);
      }
      // The store's counts reach the view a moment after each eviction: the note may say one trace first.
      const message = await until('the Findings view’s note on both traces', () =>
        api.findingsView.message?.startsWith('2 ') ? api.findingsView.message : undefined,
      );
      assert.match(message, /^2 received traces left the store before they were analysed: .*\(6 s after their last span\)\. Raise traceLens\.store\.maxSpans/);
      await api.receiver.store.clear();
      await until('the note gone once the store is cleared', () => api.findingsView.message === undefined);
    } finally {
      await api.receiver.store.setLimits(readStoreLimits());
    }
  });

  it('finds them in trace files (small ones and large ones held by a worker), and opens a finding with its trace', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const small = nPlusOne(6, 'small-cart').traces()[0];
    const smallFile = workspaceFile('n-plus-one-small.otlp.jsonl');
    await vscode.workspace.fs.writeFile(smallFile, Buffer.from(toOtlpJsonLines([small])));
    await vscode.commands.executeCommand('traceLens.openAsTrace', smallFile);
    assert.deepEqual(
      (await api.findings.ofTrace(small.traceId)).map((f) => f.kind),
      ['n-plus-one-query'],
    );
    // A log line's trace id: its hover names the trace's top finding.
    const log = workspaceFile('findings.log');
    await vscode.workspace.fs.writeFile(log, Buffer.from(`cart loaded trace_id=${small.traceId}\n`));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log, new vscode.Position(0, 25));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Finding: N\\?\+1 query: 6 ×/);
    // Over 2,000 spans the trace stays in its worker: its findings are asked for once its rows show.
    const large = nPlusOne(2_500, 'large-cart').traces()[0];
    const largeFile = workspaceFile('n-plus-one-large.otlp.jsonl');
    await vscode.workspace.fs.writeFile(largeFile, Buffer.from(toOtlpJsonLines([large])));
    await vscode.commands.executeCommand('traceLens.openAsTrace', largeFile);
    const found = await until('the large trace’s findings from its worker', async () => (await api.findings.ofTrace(large.traceId))[0]);
    assert.equal(found.title, 'N+1 query: 2500 × SELECT sku FROM cart_items WHERE cart_id = ? (45 s)');
    assert.equal(found.spanCount, 2_500);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.findings.openTrace', found.fingerprint);
    assert.ok(api.waterfalls.has(large.traceId), 'the finding opened its trace');
  });
});
