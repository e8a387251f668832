// Building a Go program from the Go module proxy, once per machine, into ~/.cache/trace-lens (or
// $TRACE_LENS_CACHE): the real Jaeger the tests run and the OpenTelemetry Collector the ingest benchmark compares
// against. Every step says what it is doing (the first build takes minutes).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE = process.env.TRACE_LENS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'trace-lens');

/** A build's log lines, prefixed with its name and the time. */
export function logger(name) {
  return (message) => process.stderr.write(`[${name}] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

function go(args, cwd, log) {
  const started = Date.now();
  // Progress: go prints each module it downloads on stderr; pass it through.
  const result = spawnSync('go', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (result.error) throw new Error(`go ${args[0]}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed with exit code ${result.status}`);
  log(`go ${args[0]} done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Builds `binary` unless it exists: writes `files` into a work folder (go.mod at least), runs each of `steps`
 * (go's arguments, each with what it is doing), then `go build -o` of `target`.
 */
export function goBuild({ name, binary, files, steps, target, why }) {
  if (existsSync(binary)) return binary;
  const log = logger(name);
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) throw new Error(`Go is not installed: ${why}`);
  const work = join(CACHE, name, 'build');
  mkdirSync(work, { recursive: true });
  // go.mod only when missing: `go get` adds to it, and a rerun after a failure starts from there.
  for (const [file, text] of Object.entries(files)) if (file !== 'go.mod' || !existsSync(join(work, file))) writeFileSync(join(work, file), text);
  for (const { say, args } of steps) {
    log(say);
    go(args, work, log);
  }
  log(`compiling ${name} (minutes on 2 cores)`);
  const partial = `${binary}.partial`;
  go(['build', '-o', partial, target], work, log);
  // Renamed only when whole: an interrupted build never leaves a binary that looks finished.
  renameSync(partial, binary);
  log(`built ${binary}`);
  return binary;
}

/** When the importing script is run directly: build, print the binary's path last, exit 1 with the reason if not. */
export function runAsScript(meta, name, build) {
  if (resolve(process.argv[1] ?? '') !== fileURLToPath(meta.url)) return;
  try {
    console.log(build());
  } catch (error) {
    logger(name)(error.message);
    process.exit(1);
  }
}
