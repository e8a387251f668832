// npm run package: minified bundles, then a .vsix with @vscode/vsce. The bundles carry their dependencies
// (undici included), so the package holds no node_modules; .vscodeignore admits only the manifest, README,
// LICENSE, the bundles, the webviews' CSS, the gutter icon, the extension icon and the README's screenshots and linked page. vsce lists what it holds;
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
  // The README's screenshots travel in the package and its links stay relative: the Extensions page shows them
  // offline (rewritten, they would point at the repository on the network).
  run(['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out]);
  console.log(`package: ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) packageExtension();
