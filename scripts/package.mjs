// npm run package: minified bundles, then a .vsix with @vscode/vsce. The bundles carry their dependencies
// (undici included), so the package holds no node_modules; .vscodeignore admits only the manifest, README,
// LICENSE, the bundles, the webview's CSS, the gutter icon and the extension icon. vsce lists what it holds;
// the size is printed last. The demo installs this package, so the end-to-end test runs what users install.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './codeServer.mjs';

export function packageExtension({ quiet = false } = {}) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const out = join(ROOT, 'dist', `${manifest.name}-${manifest.version}.vsix`);
  const run = (args) => execFileSync(process.execPath, args, { cwd: ROOT, stdio: quiet ? 'pipe' : 'inherit' });
  run(['scripts/build.mjs', '--production']);
  run(['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--out', out]);
  console.log(`package: ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) packageExtension();
