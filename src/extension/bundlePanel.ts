// A webview panel for one of Trace Lens's page bundles (media/<bundle>.js and .css): scripts on, only media/
// readable, kept alive while hidden (a report or a map is not rebuilt when its tab comes back).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewHtml } from './webviewHtml';
import { pageBundle } from './pageBundle';

export function createBundlePanel(
  extensionUri: vscode.Uri,
  page: { viewType: string; title: string; bundle: string; pageTitle: string; loading: string },
): vscode.WebviewPanel {
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  const panel = vscode.window.createWebviewPanel(page.viewType, page.title, vscode.ViewColumn.Active, {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [media],
  });
  panel.webview.html = webviewHtml({
    cspSource: panel.webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    bundle: pageBundle(media.fsPath, page.bundle),
    title: page.pageTitle,
    loading: page.loading,
  });
  return panel;
}
