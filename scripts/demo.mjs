// npm run demo: a real VS Code (code-server) on 127.0.0.1 with Trace Lens installed from its .vsix (as `npm run
// package` builds it), opened on demo/shop; the shop's three services (instrumented with the OpenTelemetry SDK,
// exporting to Trace Lens's receiver); and a gentle load loop that starts once the receiver listens (the
// receiver runs in VS Code's extension host, which starts when a browser opens the URL).
// Ctrl+C stops everything it started. The end-to-end test drives the same demo through startDemo().
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, ROOT, startVsCode } from './codeServer.mjs';
import { packageExtension } from './package.mjs';

export const SHOP = join(ROOT, 'demo', 'shop');
const SERVICES = ['payments', 'orders', 'frontend'];
/** The zero-setup port, when it is free. */
const OTLP_PORT = 4318;

function portIsFree(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function waitForListener(port, shouldStop) {
  while (!shouldStop()) {
    if (!(await portIsFree(port))) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * Requests a person would make: mostly small orders, some large (slow), some with a declined card (failing),
 * some with a card whose processor is busy (retried until it answers).
 */
function* requests() {
  for (let i = 0; ; i++) {
    const items = i % 5 === 4 ? 12 : 1 + (i % 3);
    const card = i % 7 === 3 ? 'declined' : i % 6 === 1 ? 'busy' : 'visa';
    yield `/checkout?user=user-${100 + (i % 13)}&items=${items}&card=${card}`;
  }
}

/** The release the shop moves to: its payments screen each charge for fraud, and chargeCard gets slower. */
export const NEXT_VERSION = '1.5.0';

/**
 * `releaseAfterMs`: when the shop moves to NEXT_VERSION on its own (undefined: only when release() is called).
 */
export async function startDemo({ browser = false, loadIntervalMs = 1000, releaseAfterMs, log = console.log } = {}) {
  const receiverPort = (await portIsFree(OTLP_PORT)) ? OTLP_PORT : await freePort();
  const ports = { PAYMENTS_PORT: await freePort(), ORDERS_PORT: await freePort(), FRONTEND_PORT: await freePort() };
  rmSync(join(SHOP, 'logs'), { recursive: true, force: true });
  const vsix = packageExtension({ quiet: true });
  const vscode = await startVsCode({ vsix, folder: SHOP, receiverPort, browser });
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}`,
  };
  let stopped = false;
  let restarting = false;
  const startServices = (version) =>
    SERVICES.map((name) => {
      const child = spawn(process.execPath, [join(SHOP, `${name}.mjs`)], {
        env: { ...env, ...(version && { SHOP_VERSION: version }) },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('exit', (code, signal) => {
        if (!stopped && !restarting) log(`demo: the ${name} service exited (${signal ?? code})`);
      });
      return child;
    });
  const stopServices = (children) =>
    Promise.all(
      children.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((r) => child.once('exit', r).kill('SIGTERM')))),
    );
  let children = startServices();
  /** The shop's services restart as NEXT_VERSION (they flush their spans on the way out). */
  const release = async () => {
    restarting = true;
    await stopServices(children);
    children = startServices(NEXT_VERSION);
    restarting = false;
    log(`demo: the shop is now version ${NEXT_VERSION} (chargeCard screens for fraud, and is slower)`);
  };
  const releaseTimer = releaseAfterMs === undefined ? undefined : setTimeout(() => void release(), releaseAfterMs);
  let sent = 0;
  let failed = 0;
  const load = (async () => {
    if (!(await waitForListener(receiverPort, () => stopped))) return;
    log(`demo: Trace Lens is listening on :${receiverPort}; sending a request every ${loadIntervalMs} ms`);
    for (const path of requests()) {
      if (stopped) return;
      const res = await fetch(`http://127.0.0.1:${ports.FRONTEND_PORT}${path}`).catch(() => undefined);
      sent++;
      if (!res?.ok) failed++;
      await new Promise((r) => setTimeout(r, loadIntervalMs));
    }
  })();
  const stop = async () => {
    stopped = true;
    clearTimeout(releaseTimer);
    await stopServices(children);
    await load;
    await vscode.stop();
  };
  return { ...vscode, receiverPort, ports, stop, release, counts: () => ({ sent, failed }) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('demo: starting VS Code (code-server) with Trace Lens and the demo shop…');
  const demo = await startDemo({ releaseAfterMs: 3 * 60_000 });
  console.log(`
  Open ${demo.url}/?folder=${encodeURIComponent(demo.workspace)}

  Trace Lens listens for OTLP on 127.0.0.1:${demo.receiverPort}; the shop's services export there, and a request
  goes out every second once it listens. Within a minute: a latency CodeLens over priceItems in orders.mjs (the
  slow path), an error mark on the throw in payments.mjs (the declined card), and hovers on the trace ids in
  logs/shop.log, one click from their waterfall. After three minutes the shop moves to version ${NEXT_VERSION}, whose
  chargeCard is slower: run "Trace Lens: Compare Versions…" and look at the lens over chargeCard in payments.mjs.

  Ctrl+C stops everything.
`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    const { sent, failed } = demo.counts();
    console.log(`\ndemo: stopping (${sent} requests sent, ${failed} failed on purpose or otherwise)`);
    await demo.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
