// The pages of Trace Lens's webviews (the waterfall, the comparison report, the map): a strict
// Content-Security-Policy (the page's own script and stylesheet only, by nonce; images only from the extension's
// media/ folder; nothing else), no inline handlers. Pure, so the benchmark and the hostile-data test load exactly
// the page the panel loads.
import type { PageBundle } from './pageBundle';

export interface WebviewPage {
  cspSource: string;
  nonce: string;
  /** Written into the page (pageBundle.ts). */
  bundle: PageBundle;
  /** The page's title, and what it says until its script has drawn. */
  title?: string;
  loading?: string;
}

export function webviewHtml(page: WebviewPage): string {
  const { script, style } = page.bundle;
  // The HTML parser ends an element's text at its end tag, wherever that stands in the code.
  if (/<\/script/i.test(script)) throw new Error('a webview script holds "</script", which would end it early');
  if (/<\/style/i.test(style)) throw new Error('a webview stylesheet holds "</style", which would end it early');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${page.cspSource} data:; style-src 'nonce-${page.nonce}'; script-src 'nonce-${page.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${page.nonce}">${style}</style>
<title>${page.title ?? 'Trace'}</title>
</head>
<body>
<div id="app" aria-live="polite">${page.loading ?? 'Loading trace…'}</div>
<script nonce="${page.nonce}">${script}</script>
</body>
</html>`;
}
