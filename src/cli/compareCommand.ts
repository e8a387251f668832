// trace-lens compare: two traces node by node (the first trace of each of two files), or two groups of traces
// split by an attribute (`--by service.version`: before and after a release) with the statistics that say
// whether a change is real. --fail-on-regression 10% exits 1 when a significant slowdown of at least that size
// exists: a performance gate for CI.
import { formatDuration } from '../core/analysis/formatDuration';
import { compareGroups, splitBy, type GroupRow } from '../core/analysis/compare/groupCompare';
import { diffTraces } from '../core/analysis/compare/traceDiff';
import { pathOf } from '../core/analysis/compare/callTree';
import type { Trace } from '../core/model/trace';
import { UsageError, type ParsedArgs } from './args';
import { InputError } from './showCommand';
import { terminalField } from './terminal';
import { readTraces } from './workspace';

export const COMPARE_USAGE =
  'trace-lens compare <a> <b> [--json]  |  trace-lens compare <files…> --by <attribute> [--baseline V --candidate W] [--json] [--fail-on-regression 10%]';

function percent(option: string | true | undefined): number | undefined {
  if (option === undefined) return undefined;
  const m = typeof option === 'string' ? /^(\d+(?:\.\d+)?)%?$/.exec(option.trim()) : null;
  if (!m) throw new UsageError('--fail-on-regression needs a percentage, e.g. 10%');
  return Number(m[1]) / 100;
}

function pct(change: number): string {
  return `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
}

function rowLine(row: GroupRow): string {
  const where = terminalField(`${row.node.service} · ${row.node.name}`);
  const { a, b } = row;
  switch (row.verdict) {
    case 'slower':
    case 'faster':
      return `${row.verdict === 'slower' ? '▲' : '▼'} ${where}: p50 ${formatDuration(a!.p50Ns)} → ${formatDuration(b!.p50Ns)} (${pct(row.change)}), p95 ${formatDuration(a!.p95Ns)} → ${formatDuration(b!.p95Ns)}  p=${row.p!.toPrecision(2)}`;
    case 'more-errors':
    case 'fewer-errors':
      return `${row.verdict === 'more-errors' ? '✗' : '✓'} ${where}: errors ${a!.errors}/${a!.spans} → ${b!.errors}/${b!.spans}  p=${row.p!.toPrecision(2)}`;
    case 'new':
    case 'gone':
      return `${row.verdict === 'new' ? '+' : '-'} ${where}: ${row.verdict} (in ${(b ?? a)!.traces} traces)`;
    case 'too-rare':
      return `? ${where}: on one side only, in ${(b ?? a)!.traces} trace(s): too rare to tell`;
    case 'too-few':
      return `? ${where}: too few traces to judge (${a!.traces} and ${b!.traces})`;
    default:
      return `  ${where}: unchanged`;
  }
}

function compareTwo(args: ParsedArgs, out: (text: string) => void): number {
  const [fileA, fileB] = args.positional;
  const first = (file: string): Trace => {
    const [trace] = readTraces([file]);
    if (!trace) throw new InputError(`${file} holds no trace`);
    return trace;
  };
  const diff = diffTraces(first(fileA), first(fileB));
  if (args.options.has('json')) {
    out(
      JSON.stringify({
        ...diff,
        nodes: diff.nodes.map(({ node, a, b, change, criticalDeltaNs }) => ({
          service: node.service,
          name: node.name,
          path: pathOf(node),
          a: a ?? null,
          b: b ?? null,
          change,
          criticalDeltaNs,
        })),
      }),
    );
    return 0;
  }
  out(`A ${diff.a.traceId} ${formatDuration(diff.a.durationNs)} · B ${diff.b.traceId} ${formatDuration(diff.b.durationNs)}`);
  for (const n of diff.nodes.slice(0, 50)) {
    const times = `${n.a ? `${n.a.count}× ${formatDuration(n.a.totalNs)}` : '—'} → ${n.b ? `${n.b.count}× ${formatDuration(n.b.totalNs)}` : '—'}`;
    out(
      `${n.change.padEnd(7)} ${terminalField(`${n.node.service} · ${n.node.name}`)}  ${times}  critical path ${n.criticalDeltaNs >= 0 ? '+' : '-'}${formatDuration(Math.abs(n.criticalDeltaNs))}`,
    );
  }
  for (const note of diff.notes) out(`note: ${terminalField(note)}`);
  return 0;
}

function compareGroupsBy(args: ParsedArgs, attribute: string, out: (text: string) => void): number {
  const split = splitBy([...readTraces(args.positional)], attribute);
  const values = [...split.keys()];
  const baseline = typeof args.options.get('baseline') === 'string' ? (args.options.get('baseline') as string) : values[values.length - 2];
  const candidate = typeof args.options.get('candidate') === 'string' ? (args.options.get('candidate') as string) : values[values.length - 1];
  if (baseline === undefined || candidate === undefined)
    throw new InputError(
      `the traces carry ${values.length} value(s) of ${attribute}${values.length ? ` (${values.join(', ')})` : ''}: two are needed to compare`,
    );
  for (const v of [baseline, candidate]) if (!split.has(v)) throw new InputError(`no trace has ${attribute}=${v} (values: ${values.join(', ')})`);
  const result = compareGroups(split.get(baseline)!, split.get(candidate)!);
  const threshold = percent(args.options.get('fail-on-regression'));
  const regressions = threshold === undefined ? [] : result.rows.filter((r) => r.verdict === 'slower' && r.change >= threshold);
  if (args.options.has('json'))
    out(
      JSON.stringify({
        attribute,
        baseline: { value: baseline, traces: result.baseline.traces },
        candidate: { value: candidate, traces: result.candidate.traces },
        rows: result.rows.map(({ node, ...row }) => ({ service: node.service, name: node.name, path: pathOf(node), ...row })),
        notes: result.notes,
        regressions: regressions.length,
      }),
    );
  else {
    out(`${attribute}: ${terminalField(baseline)} (${result.baseline.traces} traces) → ${terminalField(candidate)} (${result.candidate.traces} traces)`);
    const shown = result.rows.filter((r) => r.verdict !== 'unchanged');
    for (const row of shown.slice(0, 50)) out(rowLine(row));
    if (!shown.length) out('no significant change (Mann-Whitney U and Fisher, Benjamini-Hochberg at q = 0.05; changes under 5% not reported)');
    for (const note of result.notes) out(`note: ${terminalField(note)}`);
    if (regressions.length) out(`\n${regressions.length} significant regression(s) of ${pct(threshold!)} or more`);
  }
  return regressions.length ? 1 : 0;
}

/** Returns the exit code: 1 when --fail-on-regression finds a significant slowdown that large. */
export function compareCommand(args: ParsedArgs, out: (text: string) => void): number {
  const by = args.options.get('by');
  if (by === true) throw new UsageError('--by needs an attribute, e.g. --by service.version');
  if (typeof by === 'string') {
    if (!args.positional.length) throw new UsageError(`compare --by needs trace files: ${COMPARE_USAGE}`);
    return compareGroupsBy(args, by, out);
  }
  if (args.positional.length !== 2) throw new UsageError(`compare takes two trace files, or --by with any number: ${COMPARE_USAGE}`);
  return compareTwo(args, out);
}
