// Trace files decode in worker threads: the extension host's thread answers other requests meanwhile, a cancelled
// open frees its thread, and a thread that crashes costs only its own file.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './until';
import { waterfallTabs } from './panelTabs';
import type { TraceLensApi } from '../../src/extension/extension';
import { syntheticTrace } from '../support/syntheticTrace';
import { encodeOtlpProtobuf } from '../support/otelEncode';
import { decodeTraces } from '../../src/core/formats/decode';
import type { Trace } from '../../src/core/model/trace';

const LARGE_ID = '5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed';
const SMALL_ID = '0000000000000000a03ee8fff1dcd9b9';

function workspaceFile(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, relative);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('Trace files in worker threads', () => {
  let api: TraceLensApi;
  const large = workspaceFile('large-100k.otlp.pb');
  const small = workspaceFile('fixtures/zipkin/yelp.json');

  before(async () => {
    api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
    await vscode.workspace.fs.writeFile(large, encodeOtlpProtobuf([syntheticTrace(100_000, LARGE_ID)]));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // A small file: its trace comes back to the host whole, so hovers find it.
    await vscode.commands.executeCommand('traceLens.openAsTrace', small);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('answers a hover while a 100k-span file is decoding, before that trace’s panel shows', async () => {
    const log = workspaceFile('worker-order.log');
    await vscode.workspace.fs.writeFile(log, Buffer.from(`request failed trace_id=${SMALL_ID.slice(16)}\n`));
    const opening = vscode.commands.executeCommand('traceLens.openAsTrace', large);
    await until('the large file decoding in a worker', () => api.traceWorkers.threads === 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log, new vscode.Position(0, 30));
    const panelShownBeforeHover = api.waterfalls.has(LARGE_ID);
    assert.match(hoverText(hovers), /16 spans/);
    assert.equal(panelShownBeforeHover, false, 'the hover waited for the large trace');
    await opening;
    assert.ok(api.waterfalls.has(LARGE_ID), 'the large trace opened');
    // Its trace stays in its worker while the panel is open, and the panel answers from there.
    assert.equal(api.traceWorkers.threads, 1);
    await vscode.commands.executeCommand('traceLens.openTrace', LARGE_ID, '0000000000000007');
    await until('the span selected in the worker-held trace', () => api.waterfalls.selectedSpan(LARGE_ID) === '0000000000000007');
  });

  it('keeps everything else when a worker crashes, and the next open gets a new one', async () => {
    api.traceWorkers.crashNextOpen = true;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the large trace’s worker let go with its panel', () => api.traceWorkers.threads === 0);
    await vscode.commands.executeCommand('traceLens.openAsTrace', large);
    assert.equal(api.waterfalls.has(LARGE_ID), false, 'the crashed open showed nothing');
    assert.equal(api.traceWorkers.threads, 0, 'the crashed worker is gone');
    await vscode.commands.executeCommand('traceLens.openAsTrace', large);
    assert.ok(api.waterfalls.has(LARGE_ID), 'the next open worked');
    // Another file crashing leaves this panel and its worker alone.
    api.traceWorkers.crashNextOpen = true;
    await vscode.commands.executeCommand('traceLens.openAsTrace', workspaceFile('fixtures/jaeger/otlp/example_trace.json'));
    assert.equal(api.traceWorkers.threads, 1);
    await vscode.commands.executeCommand('traceLens.openTrace', LARGE_ID, '0000000000000009');
    await until('the span selected after the other worker crashed', () => api.waterfalls.selectedSpan(LARGE_ID) === '0000000000000009');
  });

  it('counts a large opened trace in CodeLens, through the digest its worker makes', async () => {
    const counted = syntheticTrace(2_500, 'c0de'.repeat(8));
    for (const span of counted.spans)
      Object.assign(span.attributes, { 'code.file.path': '/app/src/orders.ts', 'code.line.number': 7, 'code.function.name': 'loadCart' });
    const file = workspaceFile('load-cart.otlp.pb');
    await vscode.workspace.fs.writeFile(file, encodeOtlpProtobuf([counted]));
    await vscode.commands.executeCommand('traceLens.openAsTrace', file);
    assert.ok(api.waterfalls.has(counted.traceId));
    const orders = workspaceFile('sample/src/orders.ts');
    await vscode.window.showTextDocument(orders, { preview: false });
    const lens = await until(
      'a CodeLens over loadCart counting the file’s spans',
      async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', orders);
        return lenses.find((l) => l.range.start.line === 5 && l.command?.title.includes('2.5k calls'));
      },
      30_000,
    );
    assert.match(lens.command!.title, /0% errors/);
    // Its panel closed, its worker gone: a hover still tells its story, and its id opens it again from its file.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('its worker let go', () => api.traceWorkers.threads === 0);
    const log = workspaceFile('load-cart.log');
    await vscode.workspace.fs.writeFile(log, Buffer.from(`cart loaded trace_id=${counted.traceId}\n`));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log, new vscode.Position(0, 30));
    assert.match(hoverText(hovers), /2,?500 spans/);
    await vscode.commands.executeCommand('traceLens.openTrace', counted.traceId, counted.spans[9].spanId);
    await until('the span selected in the trace read again', () => api.waterfalls.selectedSpan(counted.traceId) === counted.spans[9].spanId);
  });

  it('saves the trace a waterfall shows, held in its worker or on the host, as a file that opens as that trace', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.openAsTrace', large);
    await until('the large trace shown', () => api.waterfalls.has(LARGE_ID));
    await vscode.commands.executeCommand('traceLens.openAsTrace', small);
    await until('the small trace shown', () => api.waterfalls.has(SMALL_ID));
    const saved = async (traceId: string, name: string) => {
      const target = workspaceFile(name);
      await vscode.commands.executeCommand('traceLens.saveTraceAs', traceId, target);
      const outcome = decodeTraces(await vscode.workspace.fs.readFile(target));
      if (!outcome.ok) throw new Error(outcome.error);
      return outcome;
    };
    // The 100k-span trace from the worker that decoded it, as protobuf (a .pb name).
    const fromWorker = await saved(LARGE_ID, 'saved-large.pb');
    assert.equal(fromWorker.format, 'otlp-protobuf');
    assert.deepEqual(
      fromWorker.traces.map((t) => [t.traceId, t.spans.length]),
      [[LARGE_ID, 100_000]],
    );
    // The Zipkin trace the host holds, as OTLP/JSON: the same spans as the file it was opened from.
    const fromHost = await saved(SMALL_ID, 'saved-small.json');
    assert.equal(fromHost.format, 'otlp-json');
    const original = decodeTraces(await vscode.workspace.fs.readFile(small));
    if (!original.ok) throw new Error(original.error);
    const spans = (trace: Trace) => trace.spans.map((span) => `${span.spanId} ${span.name} ${span.durationNs}`).sort();
    assert.deepEqual(spans(fromHost.traces[0]), spans(original.traces[0]));
    // No waterfall shows a trace of this id: said, not thrown.
    await vscode.commands.executeCommand('traceLens.saveTraceAs', 'f'.repeat(32), workspaceFile('saved-none.json'));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(workspaceFile('saved-none.json'))));
  });

  it('frees the worker of a cancelled open and shows nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('no worker left', () => api.traceWorkers.threads === 0);
    const opening = vscode.commands.executeCommand('traceLens.openAsTrace', large);
    await until('the large file decoding in a worker', () => api.traceWorkers.threads === 1);
    api.traceWorkers.cancelOpens();
    await opening;
    assert.equal(api.traceWorkers.threads, 0, 'the cancelled worker is gone');
    assert.equal(api.waterfalls.has(LARGE_ID), false);
    await until('the panel opened for it closed again', () => waterfallTabs().length === 0);
  });

  it('opens the panel while the file is read; closing it cancels the read and frees its worker', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('no worker left', () => api.traceWorkers.threads === 0);
    const opening = vscode.commands.executeCommand('traceLens.openAsTrace', large);
    await until('the large file decoding in a worker', () => api.traceWorkers.threads === 1);
    await until('its panel open while it decodes', () => waterfallTabs().length === 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await opening;
    assert.equal(api.traceWorkers.threads, 0, 'the read was cancelled and its worker is gone');
    assert.equal(api.waterfalls.has(LARGE_ID), false);
    await until('no waterfall tab', () => waterfallTabs().length === 0);
  });
});
