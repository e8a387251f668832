// A comparison as it travels to a view, the CLI's --json and an agent: plain data (structured-clone and JSON
// safe), every row of the merged call tree with its parent (for a flame graph of all of it), its path, and the
// code clues of the call (for a link to the code and a CodeLens delta).
import { codeClues, type CodeClue } from '../../code/codeClues';
import type { Trace } from '../../model/trace';
import type { AttributeSharesResult } from './attributeShares';
import { CallNodes, pathOf, type CallNode, type NodeSample } from './callTree';
import type { CompareOptions, GroupStats, RowVerdict } from './groupCompare';
import { DEFAULT_COMPARE } from './groupCompare';
import type { GroupSampling, SplitRule } from './groupSampling';
import { diffTraces, type NodeChange } from './traceDiff';

/** Rows past this many (the least changed) are left out; the report says how many. */
const MAX_ROWS = 2_000;

interface RowPlace {
  key: string;
  parentKey?: string;
  depth: number;
  service: string;
  name: string;
  /** "service · name" per step from the root. */
  path: string[];
  clues: CodeClue[];
}

export interface GroupReportRow extends RowPlace {
  verdict: RowVerdict;
  change: number;
  p?: number;
  a?: GroupStats;
  b?: GroupStats;
}

export interface GroupReport {
  kind: 'groups';
  service?: string;
  split: SplitRule;
  baseline: { label: string; traces: number };
  candidate: { label: string; traces: number };
  /** Traces a side needs with a call before its latency is judged. */
  minSamples: number;
  rows: GroupReportRow[];
  rowsLeftOut: number;
  notes: string[];
  /** What sets the candidate's slow or failing traces apart. */
  shares: AttributeSharesResult;
}

export interface TraceReportRow extends RowPlace {
  change: NodeChange;
  a?: NodeSample;
  b?: NodeSample;
  criticalDeltaNs: number;
}

export interface TraceReport {
  kind: 'traces';
  a: { traceId: string; durationNs: number; title: string };
  b: { traceId: string; durationNs: number; title: string };
  rows: TraceReportRow[];
  rowsLeftOut: number;
  notes: string[];
}

export type CompareReport = GroupReport | TraceReport;

function place(node: CallNode, clues: ReadonlyMap<string, CodeClue[]>): RowPlace {
  return {
    key: node.key,
    parentKey: node.parent?.key,
    depth: node.depth,
    service: node.service,
    name: node.name,
    path: pathOf(node),
    clues: clues.get(node.key) ?? [],
  };
}

/** The side's label: the attribute's value, or before/after the moment. */
function labels(split: SplitRule): { baseline: string; candidate: string } {
  if (split.by === 'attribute') return { baseline: split.baseline, candidate: split.candidate };
  const at = new Date(split.atMs).toISOString();
  return { baseline: `before ${at}`, candidate: `from ${at}` };
}

export function groupReport(sampling: GroupSampling, split: SplitRule, service?: string, options: CompareOptions = {}): GroupReport {
  const result = sampling.compare(options);
  const label = labels(split);
  const rows = result.rows.slice(0, MAX_ROWS).map(({ node, ...row }) => ({ ...place(node, sampling.clues), ...row }));
  return {
    kind: 'groups',
    service,
    split,
    baseline: { label: label.baseline, traces: result.baseline.traces },
    candidate: { label: label.candidate, traces: result.candidate.traces },
    minSamples: options.minSamples ?? DEFAULT_COMPARE.minSamples,
    rows,
    rowsLeftOut: result.rows.length - rows.length,
    notes: result.notes,
    shares: sampling.shares.result(),
  };
}

/** The root span's "service: name", what a person knows a trace by. */
function traceTitle(trace: Trace): string {
  const root = trace.spans.find((s) => !s.parentSpanId) ?? trace.spans[0];
  return root ? `${root.resource.serviceName}: ${root.name}` : '(no spans)';
}

export function traceReport(a: Trace, b: Trace): TraceReport {
  const clues = new Map<string, CodeClue[]>();
  const diff = diffTraces(a, b, new CallNodes((node, span) => clues.set(node.key, codeClues(span))));
  const all = [...diff.nodes, ...diff.same];
  const rows = all.slice(0, MAX_ROWS).map(({ node, ...row }) => ({ ...place(node, clues), ...row }));
  return {
    kind: 'traces',
    a: { ...diff.a, title: traceTitle(a) },
    b: { ...diff.b, title: traceTitle(b) },
    rows,
    rowsLeftOut: all.length - rows.length,
    notes: diff.notes,
  };
}
