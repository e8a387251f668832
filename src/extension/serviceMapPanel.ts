// "Trace Lens: Show Service Map": one panel (its own bundle, media/map.js, over a typed protocol) with the map of
// one of its sources (serviceMapSources.ts). It follows the receiver while it shows its traces, and can
// light up one trace's path ("Show on Service Map" in the waterfall).
import * as vscode from 'vscode';
import { observeCalls } from '../core/analysis/serviceGraph/callObservations';
import type { ServiceMap } from '../core/analysis/serviceGraph/serviceMap';
import type { CodeClue } from '../core/code/codeClues';
import type { CodeLocation } from '../core/code/codeLocation';
import type { Trace } from '../core/model/trace';
import type { OpenedTraces } from '../core/sources/openedTraces';
import type { FromMap, ToMap } from '../protocol/mapMessages';
import type { ReceivedStore } from './receivedStore';
import type { SourceRegistry } from './sourceRegistry';
import { createBundlePanel } from './bundlePanel';
import { placeLabel, showPlace } from './codePlaces';
import { DEFAULT_MAP_LOOKBACK_MS, mapSourceNames, OPENED_MAP, readServiceMap, RECEIVED_MAP, type MapSources } from './serviceMapSources';
import { release, type TraceFinder } from './traceFinder';

export const MAP_VIEW_TYPE = 'traceLens.serviceMap';
/** The receiver's map is read again this long after its store changed, while it shows. */
const FOLLOW_MS = 1_500;

export class ServiceMapPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private source = RECEIVED_MAP;
  private lookbackMs = DEFAULT_MAP_LOOKBACK_MS;
  private highlighted: Trace | undefined;
  /** The map the page shows: what its code links refer to. */
  private shown: ServiceMap | undefined;
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[];
  private readonly sources: MapSources;

  constructor(
    private readonly extensionUri: vscode.Uri,
    store: ReceivedStore,
    opened: OpenedTraces,
    registry: SourceRegistry,
    private readonly locate: (clues: readonly CodeClue[]) => CodeLocation | undefined,
  ) {
    this.sources = { store, opened, registry };
    const changed = store.onChanged(() => this.follow());
    this.disposables = [{ dispose: () => changed.dispose() }];
  }

  /** "Show Service Map"; given a trace id (the waterfall's "Show on Service Map"), that trace's path lights up. */
  registerCommand(finder: TraceFinder): vscode.Disposable {
    return vscode.commands.registerCommand('traceLens.showServiceMap', async (traceId?: unknown) => {
      const found = typeof traceId === 'string' ? await finder.find(traceId).catch(() => undefined) : undefined;
      // A large trace held by a worker is not read whole here: the map opens without its path.
      if (found?.found && found.trace.kind === 'held') release(found.trace);
      await this.show(found?.found && found.trace.kind === 'host' ? found.trace.trace : undefined);
    });
  }

  /** Opens (or reveals) the map; with a trace, its path lights up. */
  async show(trace?: Trace): Promise<void> {
    this.highlighted = trace;
    if (this.panel) {
      this.panel.reveal();
      await this.send();
      return;
    }
    const panel = createBundlePanel(this.extensionUri, {
      viewType: MAP_VIEW_TYPE,
      title: 'Service Map',
      bundle: 'map',
      pageTitle: 'Service Map',
      loading: 'Reading the service map…',
    });
    this.panel = panel;
    const listeners = [
      panel.webview.onDidReceiveMessage((m: FromMap) => void this.handle(m)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        for (const l of listeners) l.dispose();
      }),
    ];
  }

  private async send(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const sources = await mapSourceNames(this.sources);
    let message: ToMap;
    try {
      const map = await readServiceMap(this.sources, this.source, this.lookbackMs);
      this.shown = map;
      const code: Record<string, (string | null)[]> = {};
      for (const node of map.nodes) {
        if (node.type !== 'service') continue;
        code[node.id] = node.operations.map((op) => {
          const at = this.locate(op.clues);
          return at ? placeLabel(at) : null;
        });
      }
      const isBackend = this.source !== RECEIVED_MAP && this.source !== OPENED_MAP;
      message = {
        type: 'map',
        map,
        code,
        choice: { sources, source: this.source, lookbackMs: isBackend ? this.lookbackMs : undefined },
        highlight: this.path(),
      };
    } catch (error) {
      message = {
        type: 'error',
        message: `Trace Lens could not read the service map from ${this.source}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    await panel.webview.postMessage(message);
  }

  /** The highlighted trace's nodes and edges, as the map names them. */
  private path(): Extract<ToMap, { type: 'map' }>['highlight'] {
    const trace = this.highlighted;
    if (!trace) return undefined;
    const calls = observeCalls(trace);
    const id = (ref: { type: string; name: string }) => `${ref.type}:${ref.name}`;
    return {
      traceId: trace.traceId,
      nodes: [...new Set(calls.flatMap((c) => [id(c.from), id(c.to)]))],
      edges: calls.map((c) => `${id(c.from)}\u0000${id(c.to)}`),
    };
  }

  private follow(): void {
    if (!this.panel?.visible || this.source !== RECEIVED_MAP || this.followTimer) return;
    this.followTimer = setTimeout(() => {
      this.followTimer = undefined;
      void this.send();
    }, FOLLOW_MS);
  }

  private async handle(m: FromMap): Promise<void> {
    switch (m?.type) {
      case 'ready':
      case 'refresh':
        return this.send();
      case 'choose':
        this.source = String(m.source);
        if (Number.isFinite(m.lookbackMs) && m.lookbackMs! > 0) this.lookbackMs = m.lookbackMs!;
        return this.send();
      case 'openTrace':
        await vscode.commands.executeCommand('traceLens.openTrace', String(m.traceId), m.spanId === undefined ? undefined : String(m.spanId));
        return;
      case 'openCode': {
        const op = this.shown?.nodes.find((n) => n.id === m.node)?.operations[Number(m.operation)];
        const at = op && this.locate(op.clues);
        if (!at) return void vscode.window.showInformationMessage('Trace Lens: no code in this workspace is known for that operation.');
        await showPlace(at, vscode.ViewColumn.One);
        return;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.followTimer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
