import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageBundle } from '../../src/extension/pageBundle';
import { webviewHtml } from '../../src/extension/webviewHtml';

const MEDIA = join(__dirname, '..', '..', 'media');
const page = (bundle: { script: string; style: string }) => webviewHtml({ cspSource: 'https://media.example', nonce: 'n0nce', bundle });

describe('a webview page', () => {
  it('holds its script and stylesheet, with what the stylesheet imports, and loads no other code or style', () => {
    const html = page(pageBundle(MEDIA, 'waterfall'));
    expect(html).toContain(readFileSync(join(MEDIA, 'waterfall.js'), 'utf8'));
    expect(html).toContain(readFileSync(join(MEDIA, 'canvasTip.css'), 'utf8'));
    expect(html).not.toContain('@import');
    expect(html).not.toMatch(/<script[^>]* src=|<link /);
    const policy = /content="(default-src[^"]*)"/.exec(html)?.[1];
    expect(policy).toBe("default-src 'none'; img-src https://media.example data:; style-src 'nonce-n0nce'; script-src 'nonce-n0nce';");
  });

  it('refuses a script or stylesheet that would end its element early', () => {
    expect(() => page({ script: 'const s = "</SCRIPT><img src=x>";', style: '' })).toThrow(/holds "<\/script"/);
    expect(() => page({ script: '', style: 'a { content: "</style>" }' })).toThrow(/holds "<\/style"/);
  });
});
