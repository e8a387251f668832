// trace-lens hotspots: which code in a workspace the spans of some trace files ran, with latency and errors.
// Without a language server it resolves file clues, package-qualified functions and route declarations.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatDuration } from '../core/analysis/formatDuration';
import { decodeTraces } from '../core/formats/decode';
import type { Trace } from '../core/model/trace';
import { CodeIndex } from '../core/stats/codeIndex';
import { UsageError, type ParsedArgs } from './args';
import { InputError, readInput } from './showCommand';
import { terminalField } from './terminal';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', '__pycache__', 'target', 'build', '.gradle']);
const MAX_FILES = 200_000;
const MAX_TEXT_BYTES = 2 * 1024 * 1024;

function listFiles(root: string): string[] {
  const files: string[] = [];
  const stack = [root];
  while (stack.length && files.length < MAX_FILES) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) stack.push(join(dir, entry.name));
      } else if (entry.isFile()) files.push(join(dir, entry.name));
    }
  }
  return files;
}

function textReader(): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, statSync(file).size > MAX_TEXT_BYTES ? undefined : readFileSync(file, 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

function* readTraces(paths: string[]): Iterable<Trace> {
  for (const path of paths) {
    const outcome = decodeTraces(readInput(path));
    if (!outcome.ok) throw new InputError(`${path}: ${outcome.error}`);
    yield* outcome.traces;
  }
}

export function hotspotsCommand(args: ParsedArgs, out: (text: string) => void): void {
  const rootOption = args.options.get('root');
  if (typeof rootOption !== 'string') throw new UsageError('hotspots needs --root <workspace dir>: trace-lens hotspots <trace files…> --root <dir> [--json]');
  if (args.positional.length === 0) throw new UsageError('hotspots needs at least one trace file');
  const root = resolve(rootOption);
  try {
    if (!statSync(root).isDirectory()) throw new Error();
  } catch {
    throw new InputError(`--root ${rootOption} is not a directory`);
  }
  const files = listFiles(root);
  const { stats } = new CodeIndex({ files, readText: textReader(), roots: [root] }, readTraces(args.positional));
  const locations = stats
    .locations()
    .map((s) => ({
      file: relative(root, s.location.file),
      line: s.location.line ?? null,
      function: s.location.function ?? null,
      // Why this place: for a route, the declaration that matched and what was ranked below it.
      how: s.location.how ?? null,
      count: s.sketch.count,
      errorCount: s.errorCount,
      p50Ns: Math.round(s.sketch.quantile(0.5)),
      p95Ns: Math.round(s.sketch.quantile(0.95)),
      p99Ns: Math.round(s.sketch.quantile(0.99)),
    }))
    .sort((a, b) => b.count - a.count || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  const unresolved = stats.unresolved();
  // Where failing spans failed (the exception's first application frame): the editor's error gutter.
  const failures = stats.failures().map((f) => ({
    file: relative(root, f.location.file),
    line: f.location.line ?? null,
    count: f.errorCount,
    exceptionType: f.latestFailing?.exceptionType ?? null,
    message: f.latestFailing?.message ?? null,
    latestTraceId: f.latestFailing?.traceId ?? null,
  }));
  if (args.options.has('json')) return out(JSON.stringify({ locations, failures, unresolved }));
  const rows = locations.map(
    (l) =>
      `${terminalField(`${l.file}:${l.line ?? '?'}`).padEnd(40)} ${String(l.count).padStart(6)} calls  ${l.errorCount ? `${((l.errorCount / l.count) * 100).toFixed(1)}% errors  ` : ''}p50 ${formatDuration(l.p50Ns)} · p95 ${formatDuration(l.p95Ns)} · p99 ${formatDuration(l.p99Ns)}  ${terminalField(l.function ?? '')}`,
  );
  const failed = failures.map(
    (f) =>
      `✗ ${terminalField(`${f.file}:${f.line ?? '?'}`)}  ${f.count} failures  ${terminalField(f.exceptionType ?? '')}${f.message ? `: ${terminalField(f.message)}` : ''}`,
  );
  const missing = unresolved.slice(0, 20).map((u) => `? ${terminalField(u.clue)} (${u.count}×): ${terminalField(u.reason)}`);
  out(
    [...rows, ...(failed.length ? ['', ...failed] : []), ...(missing.length ? ['', `${unresolved.length} clues could not be mapped:`, ...missing] : [])].join(
      '\n',
    ) || 'no span in these files points at code in the workspace',
  );
}
