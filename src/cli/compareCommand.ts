// trace-lens compare: two traces node by node (the first trace of each of two files, or ids a backend has), or two groups of traces
// split by an attribute (`--by service.version`: before and after a release) with the statistics that say
// whether a change is real. --fail-on-regression 10% exits 1 when a significant slowdown of at least that size
// exists: a performance gate for CI.
import { formatDuration } from '../core/analysis/formatDuration';
import { signedPercent } from '../core/analysis/signedPercent';
import { groupReport, traceReport } from '../core/analysis/compare/compareReport';
import { traceRowChanged, traceRowChangeText } from '../core/analysis/compare/traceRowChange';
import { AttributeValues, GroupSampling, sideOf } from '../core/analysis/compare/groupSampling';
import type { GroupReportRow, SplitRule } from '../core/analysis/compare/reportTypes';
import type { Trace } from '../core/model/trace';
import { UsageError, type ParsedArgs } from './args';
import { fromSource, InputError } from './showCommand';
import { existsSync } from 'node:fs';
import { terminalField } from './terminal';
import { readTraces } from './workspace';
import { counted } from '../core/analysis/counted';

export const COMPARE_USAGE =
  'trace-lens compare <a> <b> [--json] (files, or trace ids with --source and --url)  |  trace-lens compare <files…> --by <attribute> [--baseline V --candidate W] [--json] [--fail-on-regression 10%]';

function percent(option: string | true | undefined): number | undefined {
  if (option === undefined) return undefined;
  const m = typeof option === 'string' ? /^(\d+(?:\.\d+)?)%?$/.exec(option.trim()) : null;
  if (!m) throw new UsageError('--fail-on-regression needs a percentage, e.g. 10%');
  return Number(m[1]) / 100;
}

function rowLine(row: GroupReportRow): string {
  const where = terminalField(`${row.service} · ${row.name}`);
  const { a, b } = row;
  switch (row.verdict) {
    case 'slower':
    case 'faster':
      return `${row.verdict === 'slower' ? '▲' : '▼'} ${where}: p50 ${formatDuration(a!.p50Ns)} → ${formatDuration(b!.p50Ns)} (${signedPercent(row.change)}), p95 ${formatDuration(a!.p95Ns)} → ${formatDuration(b!.p95Ns)}  p=${row.p!.toPrecision(2)}`;
    case 'more-errors':
    case 'fewer-errors':
      return `${row.verdict === 'more-errors' ? '✗' : '✓'} ${where}: errors ${a!.errors}/${a!.spans} → ${b!.errors}/${b!.spans}  p=${row.p!.toPrecision(2)}`;
    case 'new':
    case 'gone':
      return `${row.verdict === 'new' ? '+' : '-'} ${where}: ${row.verdict} (in ${counted((b ?? a)!.traces, 'trace')})`;
    case 'too-rare':
      return `? ${where}: on one side only, in ${counted((b ?? a)!.traces, 'trace')}: too rare to tell`;
    case 'too-few':
      return `? ${where}: too few traces to judge (${a!.traces} and ${b!.traces})`;
    default:
      return `  ${where}: unchanged`;
  }
}

/** A side of a two-trace comparison: a file's first trace, or (with --source) a trace id the backend has. */
async function oneTrace(target: string, args: ParsedArgs): Promise<Trace> {
  if (args.options.has('source') && !existsSync(target)) return (await fromSource(target, args)).traces[0];
  const [trace] = readTraces([target]);
  if (!trace) throw new InputError(`${target} holds no trace`);
  return trace;
}

async function compareTwo(args: ParsedArgs, out: (text: string) => void): Promise<number> {
  const [a, b] = args.positional;
  const { report } = traceReport(await oneTrace(a, args), await oneTrace(b, args));
  if (args.options.has('json')) {
    out(JSON.stringify(report));
    return 0;
  }
  out(`A ${report.a.traceId} ${formatDuration(report.a.durationNs)} · B ${report.b.traceId} ${formatDuration(report.b.durationNs)}`);
  for (const n of report.rows.filter(traceRowChanged).slice(0, 50)) {
    const times = `${n.a ? `${n.a.count}× ${formatDuration(n.a.totalNs)}` : '—'} → ${n.b ? `${n.b.count}× ${formatDuration(n.b.totalNs)}` : '—'}`;
    out(
      `${traceRowChangeText(n).padEnd(11)} ${terminalField(`${n.service} · ${n.name}`)}  ${times}  critical path ${n.criticalDeltaNs >= 0 ? '+' : '-'}${formatDuration(Math.abs(n.criticalDeltaNs))}`,
    );
  }
  for (const note of report.notes) out(`note: ${terminalField(note)}`);
  return 0;
}

function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

function compareGroupsBy(args: ParsedArgs, attribute: string, out: (text: string) => void): number {
  // Files are read twice (the values, then the samples) rather than held: a CI job's traces can be many.
  const found = new AttributeValues(attribute);
  for (const trace of readTraces(args.positional)) found.add(trace);
  const values = found.list().map((v) => v.value);
  const baseline = stringOption(args, 'baseline') ?? values[values.length - 2];
  const candidate = stringOption(args, 'candidate') ?? values[values.length - 1];
  if (baseline === undefined || candidate === undefined)
    throw new InputError(
      `the traces carry ${values.length} value(s) of ${attribute}${values.length ? ` (${values.join(', ')})` : ''}: two are needed to compare`,
    );
  for (const v of [baseline, candidate]) if (!values.includes(v)) throw new InputError(`no trace has ${attribute}=${v} (values: ${values.join(', ')})`);
  const split: SplitRule = { by: 'attribute', attribute, baseline, candidate };
  const sampling = new GroupSampling();
  for (const trace of readTraces(args.positional)) {
    const side = sideOf(trace, split);
    if (side) sampling.add(side, trace);
  }
  const { report } = groupReport(sampling, split);
  const threshold = percent(args.options.get('fail-on-regression'));
  const regressions = threshold === undefined ? [] : report.rows.filter((r) => r.verdict === 'slower' && r.change >= threshold);
  if (args.options.has('json')) out(JSON.stringify({ ...report, regressions: regressions.length }));
  else {
    out(
      `${attribute}: ${terminalField(baseline)} (${counted(report.baseline.traces, 'trace')}) → ${terminalField(candidate)} (${counted(report.candidate.traces, 'trace')})`,
    );
    const shown = report.rows.filter((r) => r.verdict !== 'unchanged');
    for (const row of shown.slice(0, 50)) out(rowLine(row));
    const places = report.places.filter((r) => r.verdict !== 'unchanged');
    if (places.length) out('by place in the code:');
    for (const row of places.slice(0, 50)) out(`  ${rowLine(row)}`);
    if (!shown.length) out('no significant change (Mann-Whitney U and Fisher, Benjamini-Hochberg at q = 0.05; changes under 5% not reported)');
    for (const share of report.shares.shares)
      out(
        `  ${terminalField(`${share.attribute}=${share.value}`)}: in ${signedPercent(share.outliers).slice(1)} of the slow or failing traces of ${terminalField(candidate)}, ${signedPercent(share.rest).slice(1)} of the rest`,
      );
    for (const note of report.notes) out(`note: ${terminalField(note)}`);
    if (regressions.length) out(`\n${regressions.length} significant regression(s) of ${signedPercent(threshold!)} or more`);
  }
  return regressions.length ? 1 : 0;
}

/** Returns the exit code: 1 when --fail-on-regression finds a significant slowdown that large. */
export async function compareCommand(args: ParsedArgs, out: (text: string) => void): Promise<number> {
  const by = args.options.get('by');
  if (by === true) throw new UsageError('--by needs an attribute, e.g. --by service.version');
  if (typeof by === 'string') {
    if (!args.positional.length) throw new UsageError(`compare --by needs trace files: ${COMPARE_USAGE}`);
    return compareGroupsBy(args, by, out);
  }
  if (args.positional.length !== 2) throw new UsageError(`compare takes two trace files, or --by with any number: ${COMPARE_USAGE}`);
  return compareTwo(args, out);
}
