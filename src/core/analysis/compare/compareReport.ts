// A comparison made into its report: every row of the merged call tree with its parent (for a flame graph of all
// of it) and its path; beside the report, the code clues of each row's call (for a link to the code and a
// CodeLens delta), which only the extension host and the CLI read.
import { codeClues, type CodeClue } from '../../code/codeClues';
import type { Span, Trace } from '../../model/trace';
import { CallNodes, pathOf, type CallNode } from './callTree';
import { DEFAULT_COMPARE, type CompareOptions } from './groupCompare';
import type { GroupSampling } from './groupSampling';
import type { CompareReport, GroupReport, ReportRowBase, SplitRule, TraceReport } from './reportTypes';
import { diffTraces } from './traceDiff';

/** Rows past this many (the least changed) are left out; the report says how many. */
const MAX_ROWS = 2_000;

/** A report, and per row (by index) the code clues of its call; for two groups, those of each place too. */
export interface Compared<R extends CompareReport = CompareReport> {
  report: R;
  clues: CodeClue[][];
  placeClues?: CodeClue[][];
}

function cluesOf(span: Span | undefined): CodeClue[] {
  return span ? codeClues(span) : [];
}

/** A row's place in the merged tree, as every report shows it. */
export function rowBase(node: CallNode): ReportRowBase {
  return {
    key: String(node.key),
    parentKey: node.parent && String(node.parent.key),
    depth: node.depth,
    service: node.service,
    name: node.name,
    path: pathOf(node),
  };
}

/** The side's label: the attribute's value, or before/after the moment. */
function labels(split: SplitRule): { baseline: string; candidate: string } {
  if (split.by === 'attribute') return { baseline: split.baseline, candidate: split.candidate };
  const at = new Date(split.atMs).toISOString();
  return { baseline: `before ${at}`, candidate: `from ${at}` };
}

export function groupReport(sampling: GroupSampling, split: SplitRule, service?: string, options: CompareOptions = {}): Compared<GroupReport> {
  const result = sampling.compare(options);
  const places = sampling.comparePlaces(options).rows.slice(0, MAX_ROWS);
  const label = labels(split);
  const kept = result.rows.slice(0, MAX_ROWS);
  return {
    report: {
      kind: 'groups',
      service,
      split,
      baseline: { label: label.baseline, traces: result.baseline.traces },
      candidate: { label: label.candidate, traces: result.candidate.traces },
      minSamples: options.minSamples ?? DEFAULT_COMPARE.minSamples,
      rows: kept.map(({ node, ...row }) => ({ ...rowBase(node), ...row })),
      rowsLeftOut: result.rows.length - kept.length,
      places: places.map(({ node, ...row }) => ({ ...rowBase(node), ...row })),
      notes: result.notes,
      shares: sampling.shares.result(),
    },
    clues: kept.map((row) => cluesOf(sampling.firstSpans.get(row.node.key))),
    placeClues: places.map((row) => sampling.places.clues[row.node.key]),
  };
}

/** The root span's "service: name", what a person knows a trace by. */
function traceTitle(trace: Trace): string {
  const root = trace.spans.find((s) => !s.parentSpanId) ?? trace.spans[0];
  return root ? `${root.resource.serviceName}: ${root.name}` : '(no spans)';
}

export function traceReport(a: Trace, b: Trace): Compared<TraceReport> {
  // Clues are read for the rows kept only: a 100k-span trace can have as many calls.
  const firsts = new Map<number, Span>();
  const diff = diffTraces(a, b, new CallNodes((node, span) => firsts.set(node.key, span)));
  const all = [...diff.nodes, ...diff.same];
  const kept = all.slice(0, MAX_ROWS);
  return {
    report: {
      kind: 'traces',
      a: { ...diff.a, title: traceTitle(a) },
      b: { ...diff.b, title: traceTitle(b) },
      rows: kept.map(({ node, ...row }) => ({ ...rowBase(node), ...row })),
      rowsLeftOut: all.length - kept.length,
      notes: diff.notes,
    },
    clues: kept.map((row) => cluesOf(firsts.get(row.node.key))),
  };
}
