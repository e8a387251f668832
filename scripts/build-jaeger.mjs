// Builds the real Jaeger (v2 binary, module version v1.76.0) from the Go module proxy, once per machine, into
// ~/.cache/trace-lens/jaeger (or $TRACE_LENS_CACHE). The source tests run it on loopback with memory storage.
// It takes minutes the first time (hundreds of modules), so every step says what it is doing.
// Usage: node scripts/build-jaeger.mjs   -> prints the binary's path on the last line
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const JAEGER_MODULE_VERSION = 'v1.76.0';
const cache = process.env.TRACE_LENS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'trace-lens');
export const JAEGER_BINARY = join(cache, 'jaeger', `jaeger-${JAEGER_MODULE_VERSION}`);

function log(message) {
  process.stderr.write(`[jaeger] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

function go(args, cwd) {
  const started = Date.now();
  // Progress: go prints each module it downloads on stderr; pass it through.
  const result = spawnSync('go', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (result.error) throw new Error(`go ${args[0]}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed with exit code ${result.status}`);
  log(`go ${args[0]} done in ${Math.round((Date.now() - started) / 1000)} s`);
}

export function buildJaeger() {
  if (existsSync(JAEGER_BINARY)) return JAEGER_BINARY;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0)
    throw new Error('Go is not installed: the Jaeger tests need it to build Jaeger from the Go module proxy');
  const work = join(cache, 'jaeger', 'build');
  mkdirSync(work, { recursive: true });
  if (!existsSync(join(work, 'go.mod'))) writeFileSync(join(work, 'go.mod'), 'module tracelens/jaegerbuild\n\ngo 1.24\n');
  log(`fetching github.com/jaegertracing/jaeger/cmd/jaeger@${JAEGER_MODULE_VERSION} and its modules (minutes on a cold cache)`);
  go(['get', '-tool', `github.com/jaegertracing/jaeger/cmd/jaeger@${JAEGER_MODULE_VERSION}`], work);
  log('compiling jaeger (several minutes on 2 cores)');
  const partial = `${JAEGER_BINARY}.partial`;
  go(['build', '-o', partial, 'github.com/jaegertracing/jaeger/cmd/jaeger'], work);
  // Renamed only when whole: an interrupted build never leaves a binary that looks finished.
  renameSync(partial, JAEGER_BINARY);
  log(`built ${JAEGER_BINARY}`);
  return JAEGER_BINARY;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  try {
    console.log(buildJaeger());
  } catch (error) {
    log(error.message);
    process.exit(1);
  }
}
