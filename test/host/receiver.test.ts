// The built-in receiver inside the real VS Code: it listens on the workspace's port after start-up, takes spans
// from the real OpenTelemetry SDK, and its commands (copy settings, export, clear) and its port-taken state work.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import * as vscode from 'vscode';
import { until } from './until';
import { waterfallTabs } from './panelTabs';
import { decodeTraces } from '../../src/core/formats/decode';
import type { TraceLensApi } from '../../src/extension/extension';
import type { ReceiverState } from '../../src/extension/receiverController';
import { runCheckoutApp } from '../support/instrumentedApp';
import { encodeOtlpProtobuf } from '../support/otelEncode';
import { syntheticTrace } from '../support/syntheticTrace';

function listening(api: TraceLensApi, port: number): Extract<ReceiverState, { kind: 'listening' }> | undefined {
  const state = api.receiver.state;
  return state.kind === 'listening' && state.port === port ? state : undefined;
}

describe('Built-in OTLP receiver in VS Code', () => {
  let api: TraceLensApi;
  const port = vscode.workspace.getConfiguration('traceLens.receiver').get<number>('port')!;

  before(async () => {
    api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
  });

  it('listens on the configured port after start-up', async () => {
    assert.notEqual(port, 4318, 'the test workspace moves the receiver off the default port');
    const state = await until('the receiver to listen', () => listening(api, port));
    assert.equal(state.endpoint, `http://127.0.0.1:${port}`);
  });

  it('stores what the OpenTelemetry SDK exports', async () => {
    await api.receiver.store.clear();
    await runCheckoutApp(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }), 6, 'host-shop');
    // The store is in the receiver's worker thread: its counts arrive a moment after the export was answered.
    await until('18 spans counted', () => api.receiver.store.size.spans === 18);
    const failing = (await api.receiver.store.list()).filter((t) => t.errorCount > 0);
    assert.equal(failing.length, 2);
    assert.equal(failing[0].rootName, 'POST /checkout');
  });

  it('copies the exporter environment for its endpoint', async () => {
    await vscode.commands.executeCommand('traceLens.copyOtlpEndpoint');
    const text = await vscode.env.clipboard.readText();
    assert.match(text, new RegExp(`^OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${port}$`, 'm'));
    assert.match(text, /^OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf$/m);
  });

  it('exports received traces as OTLP JSON Lines that open again as traces', async () => {
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'exported.otlp.jsonl');
    await vscode.commands.executeCommand('traceLens.exportReceivedTraces', target);
    const outcome = decodeTraces(await vscode.workspace.fs.readFile(target));
    assert.ok(outcome.ok);
    assert.equal(outcome.format, 'otlp-jsonl');
    assert.equal(outcome.traces.length, 6);
    assert.equal(
      outcome.traces.reduce((n, t) => n + t.spans.length, 0),
      18,
    );
  });

  it('saves a received trace from its Traces view row, as it was received, with no waterfall open', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const [row] = (await api.receiver.store.list()).filter((t) => t.errorCount > 0);
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'saved-received.pb');
    await vscode.commands.executeCommand('traceLens.saveTraceAs', { kind: 'trace', row: { ...row, origin: 'received' } }, target);
    const outcome = decodeTraces(await vscode.workspace.fs.readFile(target));
    if (!outcome.ok) throw new Error(outcome.error);
    assert.equal(outcome.format, 'otlp-protobuf');
    const stored = await api.receiver.store.getTrace(row.traceId);
    assert.ok(stored);
    const spans = (trace: { spans: { spanId: string; name: string; durationNs: number; status: { code: string } }[] }) =>
      trace.spans.map((s) => `${s.spanId} ${s.name} ${s.durationNs} ${s.status.code}`).sort();
    assert.deepEqual(
      outcome.traces.map((t) => t.traceId),
      [row.traceId],
    );
    assert.deepEqual(spans(outcome.traces[0]), spans(stored));
  });

  it('names a taken port and recovers when the port is changed back', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const config = vscode.workspace.getConfiguration('traceLens.receiver');
    try {
      await config.update('port', taken, vscode.ConfigurationTarget.Workspace);
      const failed = await until('the port-taken state', () => {
        const s = api.receiver.state;
        return s.kind === 'failed' && s.port === taken ? s : undefined;
      });
      assert.equal(failed.reason, 'in-use');
      assert.match(failed.message, new RegExp(`port ${taken} on 127.0.0.1 is already in use`));
    } finally {
      await config.update('port', port, vscode.ConfigurationTarget.Workspace);
      blocker.close();
    }
    await until('the receiver back on its port', () => listening(api, port));
    // Nothing received before is lost by a restart.
    assert.equal(api.receiver.store.size.spans, 18);
  });

  it('keeps a selection asked for while the waterfall is still loading (messages wait for the page)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const [info] = await api.receiver.store.list();
    const spans = (await api.receiver.store.getTrace(info.traceId))!.spans;
    const [first, second] = [spans.find((s) => !s.parentSpanId)!, spans.find((s) => s.parentSpanId)!];
    // The second open finds the panel the first made, before its page said it is ready.
    await vscode.commands.executeCommand('traceLens.openTrace', info.traceId, first.spanId);
    await vscode.commands.executeCommand('traceLens.openTrace', info.traceId, second.spanId);
    await until('the later selection to show', () => api.waterfalls.selectedSpan(info.traceId) === second.spanId || undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a large received trace from a trace worker (never prepared on this thread), a small one whole', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('no trace worker left', () => api.traceWorkers.threads === 0 || undefined);
    const large = '1a26e1a26e1a26e1a26e1a26e1a26e1a';
    const answer = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeOtlpProtobuf([syntheticTrace(2_500, large)]),
    });
    assert.equal(answer.status, 200);
    await until('the 2,500 spans stored', async () => (await api.receiver.store.list()).find((t) => t.traceId === large && t.spanCount === 2_500));
    await vscode.commands.executeCommand('traceLens.openTrace', large);
    assert.ok(api.waterfalls.has(large), 'the large received trace opened');
    assert.equal(api.traceWorkers.threads, 1, 'it is held by a trace worker');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('its worker let go with its panel', () => api.traceWorkers.threads === 0 || undefined);
    // A trace the receiver holds has its panel at once (its page loads while the trace is written out and read),
    // and the trace fills that panel, and no second tab comes. The order is read where the panels are made: the
    // tabs' own event reaches this thread late, at times after a small trace is found.
    const panels = api.waterfalls;
    const { begin, showData } = panels;
    const order: string[] = [];
    panels.begin = (title) => (order.push('a panel'), begin.call(panels, title));
    panels.showData = (data, options, pending) => (
      order.push(pending ? 'the trace, into that panel' : 'the trace'),
      showData.call(panels, data, options, pending)
    );
    try {
      await vscode.commands.executeCommand('traceLens.openTrace', large);
    } finally {
      for (const own of ['begin', 'showData']) Reflect.deleteProperty(panels, own);
    }
    assert.deepEqual(order, ['a panel', 'the trace, into that panel'], 'the panel showed before the trace was found');
    assert.ok(api.waterfalls.has(large));
    // One panel was made (the order above); its tab reaches this thread by an event of its own.
    await until('its one tab', () => waterfallTabs().length === 1 || undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('its worker let go with its panel', () => api.traceWorkers.threads === 0 || undefined);
    const small = (await api.receiver.store.list()).find((t) => t.spanCount === 3)!;
    await vscode.commands.executeCommand('traceLens.openTrace', small.traceId);
    assert.ok(api.waterfalls.has(small.traceId), 'the small received trace opened');
    assert.equal(api.traceWorkers.threads, 0, 'a small trace comes whole, with no worker');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('replaces a receiver thread that crashed, and stores what is sent next', async () => {
    assert.ok(api.receiver.store.size.spans > 0);
    await api.receiver.store.crashForTest();
    await until('the lost traces forgotten', () => api.receiver.store.size.spans === 0);
    await until('the receiver listening again', () => listening(api, port));
    await runCheckoutApp(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }), 2, 'after-crash');
    await until('the new spans counted', () => api.receiver.store.size.spans === 6);
    assert.equal((await api.receiver.store.list()).length, 2);
  });

  it('clears received traces', async () => {
    await vscode.commands.executeCommand('traceLens.clearReceivedTraces');
    assert.equal(api.receiver.store.size.spans, 0);
    assert.deepEqual(await api.receiver.store.list(), []);
  });
});
