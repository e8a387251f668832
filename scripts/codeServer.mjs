// Starts a real VS Code (code-server) on 127.0.0.1 and a headless Debian Chromium driven by playwright-core.
// Shared by the host-test and UI-test runners. Everything started here is stopped by `stop()`.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { provision } from './provision.mjs';

export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
export const FIXTURES = join(ROOT, '..', 'shared', 'fixtures');

/**
 * A port nobody listens on, below Linux's ephemeral range (32768-60999): a port the kernel handed out is free again
 * once closed, and the kernel could hand it to another socket (code-server's, the browser's) before the server
 * meant to have it started. That happened once: the extension's receiver found its port taken.
 */
export async function freePort() {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (await tryPort(port)) return port;
  }
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

/**
 * A fresh workspace folder holding copies of the shared fixtures (test data only). Its settings move the
 * built-in receiver to a free port, so tests never depend on 4318 being free on the machine.
 */
export function makeWorkspace(run, receiverPort) {
  const workspace = join(run, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  cpSync(FIXTURES, join(workspace, 'fixtures'), { recursive: true });
  cpSync(join(ROOT, 'test', 'sample-workspace'), join(workspace, 'sample'), { recursive: true });
  for (const app of ['flask-blog', 'express-realworld']) {
    cpSync(join(ROOT, 'test', 'corpus', 'apps', app), join(workspace, 'apps', app), {
      recursive: true,
      filter: (source) => !/node_modules|traces\.jsonl$/.test(source),
    });
  }
  writeFileSync(join(workspace, 'not-a-trace.json'), '{"name": "package", "version": "1.0.0"}\n');
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'traceLens.receiver.port': receiverPort }, null, 2));
  return workspace;
}

/**
 * Installs a built extension the way a user's VS Code holds it: a folder in the extensions directory. `root` is
 * this repository, or another checkout's (a benchmark's "before"), or a helper extension's folder.
 */
function installBuiltExtension(extensionsDir, root = ROOT) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const target = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  mkdirSync(target, { recursive: true });
  for (const item of [
    'package.json',
    'README.md',
    'extension.js',
    'dist/extension.js',
    'dist/routeWorker.js',
    'dist/traceWorker.js',
    'dist/receiverWorker.js',
    'media',
  ])
    if (existsSync(join(root, item))) cpSync(join(root, item), join(target, item), { recursive: true });
}

/**
 * `machineSettings` go where code-server (always a remote window) reads machine-scoped settings from: the
 * Machine settings, not the User settings, which VS Code ignores for that scope in remote windows.
 */
export async function startVsCode({
  smokeTestDriver = false,
  installExtension = false,
  /** Where the installed extension is built (another checkout measures a "before"). */
  extensionRoot = ROOT,
  /** Folders of helper extensions installed beside it (a benchmark's probe). */
  extraExtensions = [],
  vsix,
  userSettings = {},
  machineSettings = {},
  folder,
  receiverPort: givenPort,
  browser = true,
} = {}) {
  const tools = provision();
  // Unix socket paths are limited to 108 characters: keep the run folder short.
  const run = mkdtempSync('/tmp/tl-');
  const tmp = join(run, 't');
  const userData = join(run, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(tmp);
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.startupEditor': 'none',
      'chat.disableAIFeatures': true,
      'workbench.enableExperiments': false,
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      // The demo's services listen on loopback ports and demo/ sits in this repository: no prompts about either.
      'remote.autoForwardPorts': false,
      'git.openRepositoryInParentFolders': 'never',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      ...userSettings,
    }),
  );
  const receiverPort = givenPort ?? (await freePort());
  mkdirSync(join(userData, 'Machine'), { recursive: true });
  // A given folder is opened as it is: the receiver's port goes into the Machine settings instead of its .vscode.
  writeFileSync(
    join(userData, 'Machine', 'settings.json'),
    JSON.stringify(folder ? { 'traceLens.receiver.port': receiverPort, ...machineSettings } : machineSettings),
  );
  const workspace = folder ?? makeWorkspace(run, receiverPort);
  const extensionsDir = join(run, 'extensions');
  mkdirSync(extensionsDir);
  if (installExtension) installBuiltExtension(extensionsDir, extensionRoot);
  for (const extra of extraExtensions) installBuiltExtension(extensionsDir, extra);
  // A packaged extension goes in the way a user installs one.
  if (vsix)
    execFileSync(tools.node, [tools.codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userData, '--install-extension', vsix], {
      stdio: 'pipe',
      env: { ...process.env, XDG_CONFIG_HOME: join(run, 'config') },
    });
  const port = await freePort();
  const args = [
    tools.codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--disable-proxy',
    '--reconnection-grace-time',
    '5',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const env = { ...process.env, XDG_CONFIG_HOME: join(run, 'config'), XDG_DATA_HOME: join(run, 'data'), TMPDIR: tmp };
  const child = spawn(tools.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let serverLog = '';
  child.stdout.on('data', (d) => (serverLog += d));
  child.stderr.on('data', (d) => (serverLog += d));
  const url = `http://127.0.0.1:${port}`;
  const browserDir = join(run, 'browser');
  let context;
  const stop = async () => {
    await context?.close().catch(() => {});
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(run, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, 60_000);
    if (!browser) return { url, port, receiverPort, workspace, run, stop, serverLog: () => serverLog };
    context = await chromium.launchPersistentContext(browserDir, {
      executablePath: tools.chromium,
      headless: true,
      viewport: { width: 1400, height: 900 },
      // Copy and paste go through the browser's clipboard, as for a person using code-server.
      permissions: ['clipboard-read', 'clipboard-write'],
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- code-server log ---\n${serverLog.slice(-4000)}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return { url, port, receiverPort, page, workspace, run, stop, serverLog: () => serverLog };
}
