// A real Jaeger v2 (built from the Go module proxy by scripts/build-jaeger.mjs, cached) run on 127.0.0.1 with
// memory storage and only the parts the tests need: its OTLP/HTTP receiver and its query service. Its own
// telemetry is off (no self-tracing to :4317, no metrics port).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

const ROOT = join(__dirname, '..', '..');
const BUILD_SCRIPT = join(ROOT, 'scripts', 'build-jaeger.mjs');

/** Undefined when Jaeger can run here (building it first if needed); otherwise why it cannot. */
export function jaegerUnavailable(): string | undefined {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return 'Go is not installed';
  return undefined;
}

/** The binary's path, building it on first use (CI builds it in .ci/run, with progress, before the tests). */
export function jaegerBinary(): string {
  const built = spawnSync(process.execPath, [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 1_800_000 });
  const path = built.stdout.trim().split('\n').pop() ?? '';
  if (built.status !== 0 || !existsSync(path)) throw new Error(`building Jaeger failed (node scripts/build-jaeger.mjs exited ${built.status})`);
  return path;
}

function config(ports: { query: number; grpc: number; otlp: number }): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    traces:
      level: none
    logs:
      level: warn
extensions:
  jaeger_query:
    storage:
      traces: mem
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:${ports.query}
    grpc:
      endpoint: 127.0.0.1:${ports.grpc}
  jaeger_storage:
    backends:
      mem:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlp}
exporters:
  jaeger_storage_exporter:
    trace_storage: mem
`;
}

export interface RunningJaeger {
  /** The query service (UI and APIs), what a user configures as the source URL. */
  url: string;
  /** Jaeger's OTLP/HTTP receiver: apps export here; it has no query API. */
  otlpUrl: string;
  stop(): void;
}

export async function startJaeger(binary: string): Promise<RunningJaeger> {
  const ports = { query: await freePort(), grpc: await freePort(), otlp: await freePort() };
  const dir = mkdtempSync(join(tmpdir(), 'trace-lens-jaeger-'));
  writeFileSync(join(dir, 'config.yaml'), config(ports));
  const child: ChildProcess = spawn(binary, ['--config', join(dir, 'config.yaml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OTEL_SDK_DISABLED: 'true' },
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${ports.query}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`jaeger exited with ${child.exitCode}:\n${log.slice(-3000)}`);
    const ready = await fetch(`${url}/api/v3/services`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, otlpUrl: `http://127.0.0.1:${ports.otlp}`, stop: () => child.kill('SIGKILL') };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`jaeger did not answer within 60 s:\n${log.slice(-3000)}`);
}
