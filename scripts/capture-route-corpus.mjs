// Re-captures the route-mapping corpus: each app in test/corpus/apps runs under its stack's standard
// OpenTelemetry auto-instrumentation (opentelemetry-instrument for Python, auto-instrumentations-node for Node),
// every request in its ground-truth.json is sent three times, and `trace-lens receive --out` keeps what the app
// exported as traces.jsonl beside it. `npm test` then measures the mapping on those files without running apps.
// Usage: npm run build && node scripts/capture-route-corpus.mjs [app-name…]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './codeServer.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const APPS = join(ROOT, 'test', 'corpus', 'apps');
const CLI = join(ROOT, 'dist', 'cli.js');
const CACHE = process.env.TRACE_LENS_CACHE ?? join(homedir(), '.cache', 'trace-lens');
const VENV = join(CACHE, 'corpus-venv');
const PYTHON_PACKAGES = [
  'flask==3.1.*',
  'fastapi',
  'uvicorn',
  'django',
  'opentelemetry-distro',
  'opentelemetry-exporter-otlp-proto-http',
  'opentelemetry-instrumentation-flask',
  'opentelemetry-instrumentation-fastapi',
  'opentelemetry-instrumentation-django',
];
const JAVA_AGENT_VERSION = '2.31.1';
const JAVA_AGENT = join(CACHE, 'otel-javaagent', `opentelemetry-javaagent-${JAVA_AGENT_VERSION}.jar`);
const REPEAT = 3;

function log(message) {
  process.stderr.write(`[corpus] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.status ?? result.error?.message})`);
}

async function waitFor(url, child, what) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer at ${url}`);
}

function prepare(dir, truth) {
  if (existsSync(join(dir, 'pom.xml'))) {
    if (!existsSync(JAVA_AGENT))
      run('mvn', [
        '-q',
        'dependency:copy',
        `-Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:${JAVA_AGENT_VERSION}`,
        `-DoutputDirectory=${dirname(JAVA_AGENT)}`,
      ]);
    run('mvn', ['-q', '-DskipTests', 'package'], { cwd: dir });
    const jar = readdirSync(join(dir, 'target')).find((f) => f.endsWith('.jar'));
    return {
      command: 'java',
      args: [`-javaagent:${JAVA_AGENT}`, '-jar', join('target', jar), '--server.port={port}', '--server.address=127.0.0.1'],
      env: {},
      stop: 'SIGTERM',
    };
  }
  if (existsSync(join(dir, 'go.mod'))) {
    run('go', ['build', '-o', join('target', 'app'), '.'], { cwd: dir, env: { ...process.env, GOFLAGS: '-mod=mod' } });
    // The app flushes its batcher on SIGINT (signal.Notify then provider.Shutdown).
    return { command: join(dir, 'target', 'app'), args: [], env: {}, stop: 'SIGINT' };
  }
  if (existsSync(join(dir, 'package.json'))) {
    if (!existsSync(join(dir, 'node_modules'))) run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: dir });
    if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.build) run('npm', ['run', 'build'], { cwd: dir });
    // `node --require @opentelemetry/auto-instrumentations-node/register <entry>`, from the ground truth.
    const [, ...args] = truth.start.split(' ');
    return { command: process.execPath, args, env: { OTEL_NODE_RESOURCE_DETECTORS: 'env' }, stop: 'SIGTERM' };
  }
  if (!existsSync(join(VENV, 'bin', 'opentelemetry-instrument'))) {
    run('python3', ['-m', 'venv', VENV]);
    run(join(VENV, 'bin', 'pip'), ['install', '-q', ...PYTHON_PACKAGES]);
  }
  // The app's own command line (opentelemetry-instrument flask … / uvicorn …) from its ground truth.
  // Python runs its exit hooks (the exporter's last flush) on SIGINT, not on SIGTERM.
  const [command, ...args] = truth.start.split(' ');
  return { command: join(VENV, 'bin', command), args, env: { PATH: `${join(VENV, 'bin')}:${process.env.PATH}` }, stop: 'SIGINT' };
}

async function capture(name) {
  const dir = join(APPS, name);
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8'));
  const start = prepare(dir, truth);
  const out = join(dir, 'traces.jsonl');
  const receiver = spawn(process.execPath, [CLI, 'receive', '--port', '0', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  receiver.stdout.on('data', (d) => (said += d));
  const endpoint = await new Promise((resolve, reject) => {
    receiver.stdout.on('data', () => {
      const m = /listening for OTLP\/HTTP on (http:\/\/[\d.:]+)/.exec(said);
      if (m) resolve(m[1]);
    });
    receiver.on('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
  });
  const port = await freePort();
  const app = spawn(
    start.command,
    start.args.map((a) => a.replace('{port}', String(port))),
    {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        ...start.env,
        // What the app needs set before the instrumentation loads it (DJANGO_SETTINGS_MODULE).
        ...truth.env,
        PORT: String(port),
        OTEL_SERVICE_NAME: truth.service,
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(base, app, name);
  for (let i = 0; i < REPEAT; i++) {
    for (const route of truth.routes) {
      const body =
        route.method === 'GET' || route.method === 'DELETE'
          ? undefined
          : JSON.stringify({ user: { email: 'jake@jake.jake', password: 'secret' }, article: { title: 't' } });
      const res = await fetch(base + route.request, {
        method: route.method,
        body,
        redirect: 'manual',
        headers: { authorization: 'Token secret', 'content-type': 'application/json' },
      });
      await res.arrayBuffer();
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  // The SDKs flush on this signal; a server that goes on listening after its flush is then killed.
  app.kill(start.stop);
  const exited = new Promise((r) => app.once('exit', r));
  const timer = setTimeout(() => app.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  await new Promise((r) => setTimeout(r, 500));
  receiver.kill('SIGINT');
  await new Promise((r) => receiver.once('exit', r));
  log(`${name}: ${said.trim().split('\n').pop()}`);
}

const wanted = process.argv.slice(2);
for (const name of readdirSync(APPS)) {
  if (wanted.length && !wanted.includes(name)) continue;
  log(`capturing ${name}`);
  await capture(name);
}
