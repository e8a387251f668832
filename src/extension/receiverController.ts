// Runs the built-in receiver for this window: starts it after activation, restarts it when its settings change,
// and shows its state in the status bar (listening with a span count, or why it could not listen).
import * as vscode from 'vscode';
import { formatCount } from '../core/analysis/formatCount';
import type { SpanStore } from '../core/receiver/spanStore';
import { combinedCounts, ReceiverStartError, TraceReceiver, type StartFailure } from '../core/receiver/traceReceiver';
import { escapeMarkdown } from './markdown';
import { readReceiverSettings, readStoreLimits } from './receiverSettings';
import { changed } from './settings';

export type ReceiverState =
  | { kind: 'off' }
  | { kind: 'starting'; port: number }
  | { kind: 'listening'; port: number; endpoint: string; zipkinEndpoint?: string }
  | { kind: 'failed'; port: number; reason: StartFailure; message: string };

export const RECEIVER_MENU_COMMAND = 'traceLens.receiverMenu';

export class ReceiverController implements vscode.Disposable {
  private receivers: TraceReceiver[] = [];
  private current: ReceiverState = { kind: 'off' };
  private readonly statusBar: vscode.StatusBarItem;
  private readonly stateChanged = new vscode.EventEmitter<ReceiverState>();
  readonly onDidChangeState = this.stateChanged.event;
  private readonly disposables: vscode.Disposable[];
  /** Restarts run one after another: a burst of settings edits must not race two servers for one port. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly store: SpanStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.statusBar = vscode.window.createStatusBarItem('traceLens.receiver', vscode.StatusBarAlignment.Right, 100);
    this.statusBar.name = 'Trace Lens Receiver';
    this.statusBar.command = RECEIVER_MENU_COMMAND;
    const storeChanged = store.onChanged(() => this.render());
    this.disposables = [
      this.statusBar,
      this.stateChanged,
      { dispose: () => storeChanged.dispose() },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (changed(e, 'receiver')) void this.restart();
        if (changed(e, 'store')) store.setLimits(readStoreLimits());
      }),
    ];
  }

  get state(): ReceiverState {
    return this.current;
  }

  restart(): Promise<void> {
    this.queue = this.queue.then(() => this.startFromSettings());
    return this.queue;
  }

  private async startFromSettings(): Promise<void> {
    await this.stopAll();
    const settings = readReceiverSettings();
    if (!settings.enabled) return this.setState({ kind: 'off' });
    this.setState({ kind: 'starting', port: settings.port });
    const log = (message: string) => this.log.warn(`receiver: ${message}`);
    const common = { host: settings.host, allowRemote: settings.allowRemote, maxBodyBytes: settings.maxBodyBytes, log };
    const otlp = new TraceReceiver(this.store, { ...common, protocol: 'otlp', port: settings.port });
    const zipkin = settings.zipkinPort === undefined ? undefined : new TraceReceiver(this.store, { ...common, protocol: 'zipkin', port: settings.zipkinPort });
    this.receivers = zipkin ? [otlp, zipkin] : [otlp];
    try {
      for (const receiver of this.receivers) await receiver.start();
    } catch (error) {
      await this.stopAll();
      if (!(error instanceof ReceiverStartError)) throw error;
      this.log.warn(`receiver: ${error.message}`);
      return this.setState({ kind: 'failed', port: settings.port, reason: error.reason, message: error.message });
    }
    this.log.info(`receiver: listening for OTLP/HTTP on ${otlp.endpoint}/v1/traces${zipkin ? `, Zipkin on ${zipkin.endpoint}/api/v2/spans` : ''}`);
    this.setState({ kind: 'listening', port: otlp.port ?? settings.port, endpoint: otlp.endpoint!, zipkinEndpoint: zipkin?.endpoint });
  }

  private async stopAll(): Promise<void> {
    const stopping = this.receivers;
    this.receivers = [];
    await Promise.all(stopping.map((r) => r.stop()));
  }

  private setState(state: ReceiverState): void {
    this.current = state;
    this.render();
    this.stateChanged.fire(state);
  }

  private render(): void {
    const state = this.current;
    const bar = this.statusBar;
    bar.backgroundColor = undefined;
    switch (state.kind) {
      case 'off':
        bar.hide();
        return;
      case 'starting':
        bar.text = `$(sync~spin) OTLP :${state.port}`;
        bar.tooltip = 'Trace Lens: starting the OTLP receiver…';
        break;
      case 'failed':
        bar.text = `$(warning) OTLP :${state.port} ${state.reason === 'in-use' ? 'in use' : 'off'}`;
        bar.tooltip = new vscode.MarkdownString(
          `**Trace Lens receiver is not running**\n\n${escapeMarkdown(state.message)}\n\nClick to pick another port or retry.`,
        );
        bar.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'listening': {
        const size = this.store.size;
        const counts = combinedCounts(this.receivers);
        bar.text = `$(radio-tower) OTLP :${state.port} · ${formatCount(size.spans)} spans`;
        bar.tooltip = new vscode.MarkdownString(
          [
            `**Trace Lens receiver** on ${state.endpoint}/v1/traces${state.zipkinEndpoint ? ` and ${state.zipkinEndpoint}/api/v2/spans` : ''}`,
            `${size.spans} spans in ${size.traces} traces stored · ${counts.acceptedSpans} received in ${counts.requests} requests`,
            `${counts.rejectedSpans} spans rejected · ${counts.failedRequests} requests refused · ${size.evictedSpans} spans evicted by retention`,
            'Click for actions.',
          ].join('\n\n'),
        );
        break;
      }
    }
    bar.show();
  }

  dispose(): void {
    void this.stopAll();
    for (const d of this.disposables) d.dispose();
  }
}
