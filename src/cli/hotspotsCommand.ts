// trace-lens hotspots: which code in a workspace the spans of some trace files ran, with latency and errors.
// Without a language server it resolves file clues, package-qualified functions and route declarations.
import { relative } from 'node:path';
import { formatDuration } from '../core/analysis/formatDuration';
import { CodeIndex } from '../core/stats/codeIndex';
import { UsageError, type ParsedArgs } from './args';
import { terminalField } from './terminal';
import { readTraces, workspaceInputs, workspaceRoot } from './workspace';

export function hotspotsCommand(args: ParsedArgs, out: (text: string) => void): void {
  const rootOption = args.options.get('root');
  if (typeof rootOption !== 'string') throw new UsageError('hotspots needs --root <workspace dir>: trace-lens hotspots <trace files…> --root <dir> [--json]');
  if (args.positional.length === 0) throw new UsageError('hotspots needs at least one trace file');
  const root = workspaceRoot(rootOption);
  const { stats } = new CodeIndex(workspaceInputs(root), readTraces(args.positional));
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
