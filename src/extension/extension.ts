// The composition root: registers commands and owns every Disposable. Nothing heavy or networked runs here
// (the receiver starts listening after activate() returns).
import * as vscode from 'vscode';
import { CodeInsights } from './codeInsights';
import { registerCodeFeatures } from './codeLenses';
import { TraceOpener } from './openTrace';
import { registerReceivedTraceCommands } from './receivedTraces';
import { ReceiverController } from './receiverController';
import { readStoreLimits } from './receiverSettings';
import { registerSourceCommands } from './sourceCommands';
import { SourceRegistry } from './sourceRegistry';
import { registerTraceIdFeatures } from './traceIdFeatures';
import { TraceFinder } from './traceFinder';
import { WaterfallPanels } from './waterfallPanel';
import { SourcesView } from './sourcesView';
import { TracesView } from './tracesView';
import { TraceWorkers } from './traceWorkers';
import { ReceivedStore } from './receivedStore';
import { FindingsStore } from './findingsStore';
import { FindingsView } from './findingsView';
import { registerFindingFeatures } from './findingFeatures';
import { LensRefresh } from './lensRefresh';
import { ActiveComparison } from './activeComparison';
import { ComparePanels } from './comparePanels';
import { registerCompareCommands } from './compareCommands';
import { registerAgentTools } from './agentTools';
import { registerMcpConfigCommand } from './mcpConfig';
import { ServiceMapPanel } from './serviceMapPanel';
import { registerSaveTrace } from './saveTrace';

/** When the spare trace worker starts: after the window's own start, which it would slow. */
const SPARE_AFTER_MS = 2_000;

export interface TraceLensApi {
  /** How long activate() took, in milliseconds (reported in the log and used by the host tests). */
  readonly activationMs: number;
  /** The built-in receiver, for tests and for extensions building on Trace Lens. */
  readonly receiver: ReceiverController;
  readonly sources: SourceRegistry;
  readonly waterfalls: WaterfallPanels;
  /** The worker threads trace files are decoded and held in. */
  readonly traceWorkers: TraceWorkers;
  /** The findings of every trace held, grouped across traces. */
  readonly findings: FindingsStore;
  /** The Findings view's note above its rows (e.g. traces that went unanalysed), as it shows. */
  readonly findingsView: Pick<FindingsView, 'message'>;
  /** The code statistics (CodeLens, hovers) over every span held. */
  readonly insights: CodeInsights;
}

const NAME_WIDTH_KEY = 'traceLens.waterfall.nameWidth';

export function activate(context: vscode.ExtensionContext): TraceLensApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Trace Lens', { log: true });
  const store = new ReceivedStore(readStoreLimits(), (message) => log.warn(`receiver: ${message}`));
  const receiver = new ReceiverController(store, log);
  const sources = new SourceRegistry(store, context.secrets, log);
  const traceWorkers = new TraceWorkers();
  const finder = new TraceFinder(sources, traceWorkers);
  const insights = new CodeInsights(store, sources.opened, log);
  const findings = new FindingsStore(store, (clues) => insights.locateClues(clues));
  const lensRefresh = new LensRefresh();
  const comparison = new ActiveComparison((clues) => insights.locateClues(clues));
  const comparePanels = new ComparePanels(context.extensionUri, (clues) => insights.locateClues(clues));
  const serviceMap = new ServiceMapPanel(context.extensionUri, store, sources.opened, sources, (clues) => insights.locateClues(clues));
  sources.opened.forgotten = (traceId) => findings.remove(traceId);
  // Restored panels find their trace through the opener (declared next), which opens traces into the panels.
  const panels: WaterfallPanels = new WaterfallPanels(
    context.extensionUri,
    {
      locate: (span) => insights.locate(span),
      locateFrame: (frame) => insights.locateFrame(frame),
      restore: (state) => opener.restore(state),
      fail: (message) => log.warn(message),
      timed: (message) => log.info(message),
      findingsOf: (traceId) => findings.ofTrace(traceId),
      nameWidth: { get: () => context.globalState.get<number>(NAME_WIDTH_KEY), set: (px) => context.globalState.update(NAME_WIDTH_KEY, px) },
    },
    log,
  );
  const traces = new TracesView(store, sources.opened);
  const findingsView = new FindingsView(
    findings,
    () => store.size.traces + sources.opened.all().length + sources.opened.digests().length,
    () => store.status.leftUnanalysed,
  );
  const opener = new TraceOpener(
    finder,
    panels,
    sources.opened,
    traceWorkers,
    findings,
    log,
    () => {
      insights.refresh();
      traces.refresh();
      findingsView.describe();
    },
    store,
  );
  context.subscriptions.push(
    log,
    panels,
    traceWorkers,
    store,
    receiver,
    sources,
    ...registerReceivedTraceCommands({ controller: receiver }),
    ...opener.register(),
    ...registerSourceCommands({ registry: sources, log, loaded: (traces) => opener.remember(traces) }),
    ...registerTraceIdFeatures(finder, sources.opened, (traceId) => findings.ofTrace(traceId)),
    insights,
    findings,
    insights.onDidChange(() => findings.relocate()),
    insights.onDidChange(() => comparison.relocate()),
    comparison,
    comparePanels,
    serviceMap,
    serviceMap.registerCommand(finder),
    registerSaveTrace({ panels, store, opened: sources.opened }),
    ...registerCompareCommands({ store, registry: sources, opened: sources.opened, panels: comparePanels, active: comparison }),
    findings.onDidChange(() => panels.updateFindings()),
    findingsView,
    store.onChanged(() => findingsView.describe()),
    lensRefresh,
    ...registerFindingFeatures(findings, panels, lensRefresh),
    ...registerCodeFeatures(context.extensionUri, insights, comparison, lensRefresh),
    ...registerAgentTools({ finder, registry: sources, received: store, insights, findings }),
    registerMcpConfigCommand(context.extensionUri, receiver),
    traces,
    new SourcesView(receiver, sources),
  );

  // Listening is I/O: it starts after activation returns and never delays the editor's start-up.
  setTimeout(() => void receiver.restart(), 0);
  // A trace worker waits ready once the window has started: the session's first open does not wait for one.
  const spare = setTimeout(() => traceWorkers.prepareSpare(), SPARE_AFTER_MS);
  context.subscriptions.push({ dispose: () => clearTimeout(spare) });
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, receiver, sources, waterfalls: panels, traceWorkers, findings, findingsView, insights };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
