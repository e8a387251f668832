// A real Zipkin server (the upstream exec jar from Maven Central, cached) run in memory on 127.0.0.1.
// When Java or the jar cannot be had, `zipkinUnavailable()` says why so the test is skipped with that reason.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

export const ZIPKIN_VERSION = '3.6.1';
const CACHE = process.env.TRACE_LENS_CACHE ?? join(homedir(), '.cache', 'trace-lens');
const JAR_DIR = join(CACHE, 'zipkin');
export const ZIPKIN_JAR = join(JAR_DIR, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);

function has(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Undefined when a Zipkin server can run here; otherwise the reason it cannot. Fetches the jar with mvn once. */
export function zipkinUnavailable(): string | undefined {
  if (!has('java', ['-version'])) return 'java is not installed';
  if (existsSync(ZIPKIN_JAR)) return undefined;
  if (!has('mvn', ['-v'])) return `mvn is not installed and ${ZIPKIN_JAR} is not cached`;
  mkdirSync(JAR_DIR, { recursive: true });
  const fetched = spawnSync('mvn', ['-q', 'dependency:copy', `-Dartifact=io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`, `-DoutputDirectory=${JAR_DIR}`], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (fetched.status !== 0 || !existsSync(ZIPKIN_JAR))
    return `could not fetch io.zipkin:zipkin-server:${ZIPKIN_VERSION} from Maven Central: ${(fetched.stdout + fetched.stderr).trim().split('\n').pop() ?? fetched.error?.message}`;
  return undefined;
}

export interface RunningZipkin {
  url: string;
  stop(): void;
}

export async function startZipkin(): Promise<RunningZipkin> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx256m', '-jar', ZIPKIN_JAR, `--armeria.ports[0].ip=127.0.0.1`, `--armeria.ports[0].port=${port}`, '--armeria.ports[0].protocols[0]=http'],
    {
      env: { ...process.env, STORAGE_TYPE: 'mem', QUERY_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`zipkin exited with ${child.exitCode}:\n${log.slice(-2000)}`);
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { url, stop: () => child.kill('SIGKILL') };
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`zipkin did not become healthy within 90 s:\n${log.slice(-2000)}`);
}
