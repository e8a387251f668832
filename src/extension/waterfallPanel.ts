// One webview panel per trace: strict CSP with a nonce, scripts only from media/, a ready handshake before the
// first message, span details fetched on selection.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { significantTraceId } from '../core/model/ids';
import type { FromWebview, ToWebview } from '../protocol/messages';
import { prepareTrace, spanDetails, type PreparedTrace } from './waterfallModel';
import type { Trace } from '../core/model/trace';

export const WATERFALL_VIEW_TYPE = 'traceLens.waterfall';

export class WaterfallPanels implements vscode.Disposable {
  private readonly open = new Map<string, WaterfallPanel>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(trace: Trace): void {
    const existing = this.open.get(trace.traceId);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = new WaterfallPanel(this.extensionUri, prepareTrace(trace), () => this.open.delete(trace.traceId));
    this.open.set(trace.traceId, panel);
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
  }
}

class WaterfallPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;

  constructor(extensionUri: vscode.Uri, private readonly prepared: PreparedTrace, onDispose: () => void) {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const { model } = prepared;
    // 64-bit ids (Zipkin, Jaeger) are padded with 16 zeros: title them by their significant digits.
    const shortId = significantTraceId(model.traceId).slice(0, 8);
    this.panel = vscode.window.createWebviewPanel(WATERFALL_VIEW_TYPE, `Trace ${shortId} · ${model.rootName || model.rootService}`.slice(0, 60), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    this.panel.webview.html = this.html(media);
    this.panel.webview.onDidReceiveMessage((message: FromWebview) => this.receive(message), undefined, this.disposables);
    this.panel.onDidDispose(
      () => {
        onDispose();
        this.disposeOwned();
      },
      undefined,
      this.disposables,
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    this.panel.dispose();
  }

  private disposeOwned(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private receive(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'trace', model: this.prepared.model });
        return;
      case 'selectSpan':
        if (this.ready) this.post({ type: 'details', requestId: message.requestId, details: spanDetails(this.prepared, message.span) });
        return;
      case 'copy':
        void vscode.env.clipboard.writeText(String(message.text).slice(0, 10_000));
        return;
    }
  }

  private html(media: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'waterfall.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'waterfall.css'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet">
<title>Trace</title>
</head>
<body>
<div id="app" aria-live="polite">Loading trace…</div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}
