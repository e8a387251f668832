// A webview page's script and stylesheet, read from media/ once a session and written into the page itself. Loaded
// as resources, each waits on a round trip through the workbench's thread (in code-server, over its socket too)
// before the page can paint: inlined, a 1-span trace's page was ready after a median 232 ms instead of 330 (nine
// opens each, scripts/bench-waterfall-vscode.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PageBundle {
  script: string;
  style: string;
}

const read = new Map<string, PageBundle>();

/** media/<name>.js and media/<name>.css (with what that imports from media/), read once. */
export function pageBundle(mediaDir: string, name: string): PageBundle {
  const base = join(mediaDir, name);
  let bundle = read.get(base);
  if (!bundle) {
    bundle = { script: readFileSync(`${base}.js`, 'utf8'), style: withImports(mediaDir, readFileSync(`${base}.css`, 'utf8')) };
    read.set(base, bundle);
  }
  return bundle;
}

/** An inline stylesheet cannot load what it imports: the imported sheets are written in place of their imports. */
function withImports(mediaDir: string, css: string): string {
  return css.replace(/@import url\('([\w.-]+\.css)'\);/g, (_, file: string) => readFileSync(join(mediaDir, file), 'utf8'));
}
