// The composition root: registers commands and owns every Disposable. Nothing heavy or networked runs here
// (the receiver starts listening after activate() returns).
import * as vscode from 'vscode';
import { SpanStore } from '../core/receiver/spanStore';
import { CodeInsights } from './codeInsights';
import { registerCodeFeatures } from './codeLenses';
import { pickTrace, readTraceFile } from './openTraceFile';
import { registerReceivedTraceCommands } from './receivedTraces';
import { ReceiverController } from './receiverController';
import { readStoreLimits } from './receiverSettings';
import { registerSourceCommands } from './sourceCommands';
import { SourceRegistry } from './sourceRegistry';
import { registerTraceIdFeatures } from './traceIdFeatures';
import { TraceFinder } from './traceFinder';
import { WaterfallPanels } from './waterfallPanel';

export interface TraceLensApi {
  /** How long activate() took, in milliseconds (reported in the log and used by the host tests). */
  readonly activationMs: number;
  /** The built-in receiver, for tests and for extensions building on Trace Lens. */
  readonly receiver: ReceiverController;
  readonly sources: SourceRegistry;
}

const TRACE_FILE_FILTERS = { 'Trace files': ['json', 'jsonl', 'ndjson', 'pb', 'bin', 'gz'], 'All files': ['*'] };

export function activate(context: vscode.ExtensionContext): TraceLensApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Trace Lens', { log: true });
  const panels = new WaterfallPanels(context.extensionUri);
  const store = new SpanStore(readStoreLimits());
  const receiver = new ReceiverController(store, log);
  const sources = new SourceRegistry(store, context.secrets, log);
  const finder = new TraceFinder(sources);
  const insights = new CodeInsights(store, sources.opened);
  context.subscriptions.push(
    log,
    panels,
    store,
    receiver,
    sources,
    ...registerReceivedTraceCommands(receiver, panels),
    ...registerSourceCommands(sources, finder, panels, log, (traces) => {
      for (const t of traces) sources.opened.remember(t);
      insights.refresh();
    }),
    ...registerTraceIdFeatures(finder),
    insights,
    ...registerCodeFeatures(context.extensionUri, insights),
  );

  const openUri = async (uri: vscode.Uri | undefined) => {
    if (!uri) {
      void vscode.window.showInformationMessage('Trace Lens: open a trace file in the editor, or pick one in the Explorer, then run "Open as Trace".');
      return;
    }
    const traces = await readTraceFile(uri, log);
    for (const t of traces ?? []) sources.opened.remember(t);
    if (traces?.length) insights.refresh();
    const trace = traces && (await pickTrace(traces));
    if (trace) panels.show(trace);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('traceLens.openTraceFile', async () => {
      const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: TRACE_FILE_FILTERS, title: 'Open Trace File' })) ?? [];
      if (uri) await openUri(uri);
    }),
    vscode.commands.registerCommand('traceLens.openAsTrace', (uri?: vscode.Uri) => openUri(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri)),
  );

  // Listening is I/O: it starts after activation returns and never delays the editor's start-up.
  setTimeout(() => void receiver.restart(), 0);
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, receiver, sources };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
