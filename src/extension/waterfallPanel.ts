// One webview panel per trace: a ready handshake before the first message, span details and search answered
// on request, Go to Code through the code mapping, and panels restored after a reload (the webview keeps only
// the trace id, the selected span and the file it came from; the trace itself is looked up again).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { significantTraceId } from '../core/model/ids';
import type { Span, Trace } from '../core/model/trace';
import { editorLine, type CodeLocation } from '../core/code/codeLocation';
import type { FromWebview, ToWebview, WaterfallViewState } from '../protocol/messages';
import { waterfallHtml } from './waterfallHtml';
import { prepareTrace, type PreparedTrace } from '../core/waterfall/prepareTrace';
import { searchRows } from '../core/waterfall/searchRows';
import { describeSpan } from '../core/waterfall/describeSpan';

export const WATERFALL_VIEW_TYPE = 'traceLens.waterfall';

export interface WaterfallHost {
  /** Where a span's code is, and where it failed. */
  locate(span: Span): Promise<{ code?: CodeLocation; failure?: CodeLocation }>;
  /** The trace a restored panel showed, or why it is gone. */
  restore(state: WaterfallViewState): Promise<Trace | string>;
  /** A request from the page that failed: logged, never an unhandled rejection. */
  fail(message: string): void;
  /** The name column's width the user last dragged to, for every panel. */
  nameWidth: { get(): number | undefined; set(px: number): Thenable<void> };
}

export interface ShowOptions {
  /** The trace file it was read from (a restored panel reads it again). */
  file?: vscode.Uri;
  /** Select this span when the panel opens. */
  spanId?: string;
}

export class WaterfallPanels implements vscode.Disposable {
  private readonly open = new Map<string, WaterfallPanel>();
  private readonly serializer: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: WaterfallHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(WATERFALL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => this.restore(panel, state as WaterfallViewState | undefined),
    });
  }

  /** The span selected in a trace's open panel, as the page last said. */
  selectedSpan(traceId: string): string | undefined {
    return this.open.get(traceId)?.selectedSpanId;
  }

  show(trace: Trace, options: ShowOptions = {}): void {
    const existing = this.open.get(trace.traceId);
    if (existing) {
      existing.reveal(options.spanId);
      return;
    }
    const prepared = prepareTrace(trace);
    const panel = vscode.window.createWebviewPanel(WATERFALL_VIEW_TYPE, panelTitle(prepared), vscode.ViewColumn.Active, panelOptions(this.extensionUri));
    this.attach(panel, prepared, options);
  }

  private attach(panel: vscode.WebviewPanel, prepared: PreparedTrace, options: ShowOptions): void {
    const { traceId } = prepared.trace;
    const waterfall = new WaterfallPanel(panel, this.extensionUri, prepared, options, this.host, () => this.open.delete(traceId));
    this.open.set(traceId, waterfall);
  }

  private async restore(panel: vscode.WebviewPanel, state: WaterfallViewState | undefined): Promise<void> {
    panel.webview.options = panelOptions(this.extensionUri);
    if (!state?.traceId) {
      panel.dispose();
      return;
    }
    const found = await this.host.restore(state).catch((error: Error) => error.message);
    if (typeof found === 'string') {
      this.log.warn(`restoring the waterfall of ${state.traceId}: ${found}`);
      panel.webview.html = pageHtml(panel.webview, this.extensionUri);
      // The page asks for its content with "ready"; it learns the trace is gone.
      const listener = panel.webview.onDidReceiveMessage((m: FromWebview) => {
        if (m.type === 'ready')
          void panel.webview.postMessage({
            type: 'unavailable',
            message: `Trace ${significantTraceId(state.traceId)} is no longer available: ${found}`,
          } satisfies ToWebview);
      });
      panel.onDidDispose(() => listener.dispose());
      return;
    }
    const prepared = prepareTrace(found);
    panel.title = panelTitle(prepared);
    this.attach(panel, prepared, { file: state.file ? vscode.Uri.parse(state.file) : undefined, spanId: state.spanId });
  }

  dispose(): void {
    this.serializer.dispose();
    for (const panel of [...this.open.values()]) panel.dispose();
  }
}

/** Titled by the root the header names (the trace summary's), never a different one. */
function panelTitle({ model }: PreparedTrace): string {
  // 64-bit ids (Zipkin, Jaeger) are padded with 16 zeros: title them by their significant digits.
  return `Trace ${significantTraceId(model.traceId).slice(0, 8)} · ${model.rootName || model.rootService}`.slice(0, 60);
}

function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  return waterfallHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'waterfall.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'waterfall.css')).toString(),
  });
}

function label(location: CodeLocation): string {
  return `${vscode.workspace.asRelativePath(location.file)}${location.line ? `:${location.line}` : ''}`;
}

class WaterfallPanel {
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves when the page said `ready` and has its trace: messages before that wait here, none is dropped. */
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  /** The span the page shows as selected (it asks for its details whenever the selection moves). */
  selectedSpanId: string | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly prepared: PreparedTrace,
    private readonly options: ShowOptions,
    private readonly host: WaterfallHost,
    onDispose: () => void,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    panel.webview.html = pageHtml(panel.webview, extensionUri);
    panel.webview.onDidReceiveMessage(
      (message: FromWebview) => this.receive(message).catch((error: Error) => host.fail(`the waterfall could not answer "${message.type}": ${error.message}`)),
      undefined,
      this.disposables,
    );
    panel.onDidDispose(
      () => {
        onDispose();
        for (const d of this.disposables.splice(0)) d.dispose();
      },
      undefined,
      this.disposables,
    );
  }

  reveal(spanId?: string): void {
    this.panel.reveal();
    const row = this.rowOf(spanId);
    if (row !== undefined) this.post({ type: 'select', row });
  }

  dispose(): void {
    this.panel.dispose();
  }

  private rowOf(spanId: string | undefined): number | undefined {
    if (!spanId) return undefined;
    const index = this.prepared.trace.spans.findIndex((s) => s.spanId === spanId);
    return index >= 0 ? this.prepared.rowOfSpan[index] : undefined;
  }

  /** Sent once the page is ready, in order (a reveal right after opening must not lose its selection). */
  private post(message: ToWebview): void {
    void this.ready.then(() => this.panel.webview.postMessage(message));
  }

  private async receive(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The trace goes first, straight away; everything queued before follows it.
        void this.panel.webview.postMessage({
          type: 'trace',
          model: this.prepared.model,
          file: this.options.file?.toString(),
          selectRow: this.rowOf(this.options.spanId),
          nameWidth: this.host.nameWidth.get(),
        } satisfies ToWebview);
        this.markReady();
        return;
      case 'selectSpan': {
        const span = this.prepared.trace.spans[message.span];
        if (!span) return;
        this.selectedSpanId = span.spanId;
        const { code, failure } = await this.host.locate(span).catch(() => ({ code: undefined, failure: undefined }));
        this.post({
          type: 'details',
          requestId: message.requestId,
          details: describeSpan(this.prepared, message.span, { code: code && label(code), failure: failure && label(failure) }),
        });
        return;
      }
      case 'search':
        this.post({ type: 'searchResults', requestId: message.requestId, rows: searchRows(this.prepared, String(message.query).slice(0, 1000)) });
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(String(message.text).slice(0, 10_000));
        void vscode.window.setStatusBarMessage('Trace Lens: copied', 2000);
        return;
      case 'openTrace':
        // A link within this trace selects its span here; others are looked up like any trace id.
        if (message.traceId === this.prepared.trace.traceId) return this.reveal(String(message.spanId));
        await vscode.commands.executeCommand('traceLens.openTrace', String(message.traceId), message.spanId ? String(message.spanId) : undefined);
        return;
      case 'goToCode':
        await this.goToCode(message.span, message.failure);
        return;
      case 'nameWidth':
        if (Number.isFinite(message.px) && message.px > 0 && message.px < 10_000) await this.host.nameWidth.set(Math.round(message.px));
        return;
    }
  }

  private async goToCode(index: number, failure: boolean): Promise<void> {
    const span = this.prepared.trace.spans[index];
    if (!span) return;
    const located = await this.host.locate(span);
    const location = failure ? located.failure : located.code;
    if (!location) {
      void vscode.window.showWarningMessage(
        `Trace Lens: span "${span.name.slice(0, 80)}" does not map to a file in this workspace (see "Show Unresolved Code Locations").`,
      );
      return;
    }
    const line = editorLine(location);
    // Code opens beside the waterfall, in the editor group that already shows code when there is one.
    const column = vscode.window.visibleTextEditors[0]?.viewColumn ?? vscode.ViewColumn.Beside;
    await vscode.window.showTextDocument(vscode.Uri.file(location.file), { viewColumn: column, selection: new vscode.Range(line, 0, line, 0) });
  }
}
