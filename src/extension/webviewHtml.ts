// The pages of Trace Lens's webviews (the waterfall, the comparison report): a strict Content-Security-Policy
// (scripts only by nonce, styles and images only from the extension's media/ folder, nothing else), no inline
// handlers. Pure, so the benchmark and the hostile-data test load exactly the page the panel loads.

export interface WebviewPage {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The page's title, and what it says until its script has drawn. */
  title?: string;
  loading?: string;
}

export function webviewHtml(page: WebviewPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${page.cspSource} data:; style-src ${page.cspSource}; script-src 'nonce-${page.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${page.styleUri}" rel="stylesheet">
<title>${page.title ?? 'Trace'}</title>
</head>
<body>
<div id="app" aria-live="polite">${page.loading ?? 'Loading trace…'}</div>
<script nonce="${page.nonce}" src="${page.scriptUri}"></script>
</body>
</html>`;
}
