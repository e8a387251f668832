// Runs the built-in receiver for this window (in its worker thread): starts it after activation, restarts it when
// its settings change or its thread was replaced, and shows its state in the status bar (listening with a span
// count, or why it could not listen).
import * as vscode from 'vscode';
import { formatCount } from '../core/analysis/formatCount';
import type { StartFailure } from '../core/receiver/traceReceiver';
import type { ReceivedStore } from './receivedStore';
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
  private current: ReceiverState = { kind: 'off' };
  private readonly statusBar: vscode.StatusBarItem;
  private readonly stateChanged = new vscode.EventEmitter<ReceiverState>();
  readonly onDidChangeState = this.stateChanged.event;
  private readonly disposables: vscode.Disposable[];
  /** Restarts run one after another: a burst of settings edits must not race two servers for one port. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly store: ReceivedStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.statusBar = vscode.window.createStatusBarItem('traceLens.receiver', vscode.StatusBarAlignment.Right, 100);
    this.statusBar.name = 'Trace Lens Receiver';
    this.statusBar.command = RECEIVER_MENU_COMMAND;
    this.disposables = [
      this.statusBar,
      this.stateChanged,
      store.onChanged(() => this.render()),
      store.onLost((reason) => {
        void vscode.window.showWarningMessage(
          `Trace Lens: the receiver's worker thread stopped (${reason}). The traces it held are gone; it is listening again.`,
        );
        void this.restart();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (changed(e, 'receiver')) void this.restart();
        if (changed(e, 'store')) this.applyStoreLimits();
      }),
    ];
  }

  private applyStoreLimits(): void {
    const limits = readStoreLimits();
    this.store.setLimits(limits).then(
      () => this.log.info(`receiver: the store keeps up to ${limits.maxSpans.toLocaleString('en-US')} spans and ${limits.maxBytes / 2 ** 20} MiB`),
      (error: Error) => this.log.warn(`receiver: the new store limits: ${error.message}`),
    );
  }

  get state(): ReceiverState {
    return this.current;
  }

  restart(): Promise<void> {
    this.queue = this.queue.then(() => this.startFromSettings());
    return this.queue;
  }

  private async startFromSettings(): Promise<void> {
    const { enabled, ...settings } = readReceiverSettings();
    if (!enabled) {
      await this.store.stop().catch(() => undefined);
      return this.setState({ kind: 'off' });
    }
    this.setState({ kind: 'starting', port: settings.port });
    const answer = await this.store.listen(settings).catch((error: Error) => ({ ok: false as const, reason: 'other' as const, message: error.message }));
    if (!answer.ok) {
      this.log.warn(`receiver: ${answer.message}`);
      return this.setState({ kind: 'failed', port: settings.port, reason: answer.reason, message: answer.message });
    }
    this.log.info(
      `receiver: listening for OTLP/HTTP on ${answer.endpoint}/v1/traces${answer.zipkinEndpoint ? `, Zipkin on ${answer.zipkinEndpoint}/api/v2/spans` : ''}`,
    );
    this.setState({ kind: 'listening', port: answer.port, endpoint: answer.endpoint, zipkinEndpoint: answer.zipkinEndpoint });
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
        const counts = this.store.status;
        const { size } = counts;
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
    for (const d of this.disposables) d.dispose();
  }
}
