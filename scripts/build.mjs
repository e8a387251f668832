// Bundles: the extension host (node, cjs, vscode external), the CLI, the webview (browser), and the test and
// benchmark entry points. `--production` minifies and drops source maps.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, sourcesContent: false, minify: production, logLevel: 'warning', legalComments: 'none' };
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] };

const hostSuite = readdirSync('test/host')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test/host', f));

await Promise.all([
  build({ ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' }),
  build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // Worker threads of the extension host: heavy reading off the thread every extension shares.
  build({ ...node, entryPoints: ['src/core/code/routes/routeWorker.ts'], outfile: 'dist/routeWorker.js' }),
  build({ ...node, entryPoints: ['src/core/workers/traceWorker.ts'], outfile: 'dist/traceWorker.js' }),
  build({ ...node, entryPoints: ['src/core/workers/receiverWorker.ts'], outfile: 'dist/receiverWorker.js' }),
  build({ ...common, platform: 'browser', format: 'iife', target: 'chrome120', entryPoints: ['src/webview/main.ts'], outfile: 'media/waterfall.js' }),
  build({ ...common, platform: 'browser', format: 'iife', target: 'chrome120', entryPoints: ['src/webview/report/main.ts'], outfile: 'media/report.js' }),
  build({ ...common, platform: 'browser', format: 'iife', target: 'chrome120', entryPoints: ['src/webview/map/main.ts'], outfile: 'media/map.js' }),
  production
    ? Promise.resolve()
    : build({
        ...node,
        entryPoints: ['test/host/index.ts', 'test/host/electron.ts', ...hostSuite],
        outdir: 'dist/test/host',
        external: ['vscode', 'mocha', '@vscode/test-electron'],
      }),
  production
    ? Promise.resolve()
    : build({
        ...node,
        entryPoints: [
          'bench/decode.ts',
          'bench/ingest.ts',
          'bench/ids.ts',
          'bench/codeLens.ts',
          'bench/routes.ts',
          'bench/adversarial.ts',
          'bench/waterfall.ts',
          'bench/findings.ts',
          'bench/compare.ts',
          'bench/serviceMap.ts',
        ],
        outdir: 'dist/bench',
        external: ['vscode', 'playwright-core'],
      }),
]);
