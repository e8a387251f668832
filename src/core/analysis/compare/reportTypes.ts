// What a comparison reports, as plain data (structured-clone and JSON safe): what crosses to the report webview,
// the CLI's --json and an agent. Types only, and importing nothing, so the webview's bundle can share them.

export interface NodeSample {
  count: number;
  totalNs: number;
  selfNs: number;
  /** Own time on the trace's critical path. */
  criticalNs: number;
  errors: number;
  /** The id of the trace's first span of this call: an exemplar to open. */
  firstSpanId: string;
}

export interface GroupStats {
  /** Traces in the group that ran this call. */
  traces: number;
  /** Spans of it per trace that ran it. */
  perTrace: number;
  p50Ns: number;
  p95Ns: number;
  p99Ns: number;
  selfP50Ns: number;
  spans: number;
  errors: number;
  /** The trace whose time in this call is the median's, and its first span of the call: one to open. */
  exemplar: { traceId: string; spanId: string };
}

export type RowVerdict = 'slower' | 'faster' | 'more-errors' | 'fewer-errors' | 'new' | 'gone' | 'too-rare' | 'too-few' | 'unchanged';

export type NodeChange = 'only-a' | 'only-b' | 'more' | 'fewer' | 'slower' | 'faster' | 'same';

/** How traces are split: by the value of an attribute, or by when they started. */
export type SplitRule = { by: 'attribute'; attribute: string; baseline: string; candidate: string } | { by: 'time'; atMs: number };

export interface AttributeShare {
  attribute: string;
  value: string;
  /** The share of the slow or failing traces that carry the value, and of the others. */
  outliers: number;
  rest: number;
}

export interface AttributeSharesResult {
  /** Traces this long or longer count as slow. */
  slowNs: number;
  outliers: number;
  rest: number;
  shares: AttributeShare[];
  /** Why there are no shares, when there are none. */
  note?: string;
}

export interface ReportRowBase {
  key: string;
  parentKey?: string;
  depth: number;
  service: string;
  name: string;
  /** "service · name" per step from the root. */
  path: string[];
}

export interface GroupReportRow extends ReportRowBase {
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
  /** The same comparison per place in the code (a function, a route's handler): a call made from several paths counts once. */
  places: GroupReportRow[];
  notes: string[];
  /** What sets the candidate's slow or failing traces apart. */
  shares: AttributeSharesResult;
}

/** A call that failed in one trace and not in the other (which may not have run it). */
export type FailureChange = 'fails-in-b' | 'fails-only-in-a';

export interface TraceReportRow extends ReportRowBase {
  change: NodeChange;
  failures?: FailureChange;
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

export type CompareReport = GroupReport | TraceReport | AggregateReport;

export interface AggregateReportRow extends ReportRowBase {
  /** Occurrences of the operation whose subtree ran this call. */
  occurrences: number;
  spans: number;
  errors: number;
  /** Its time per occurrence that ran it. */
  p50Ns: number;
  p95Ns: number;
  /** Its own time (children's excluded), summed over every occurrence. */
  selfNs: number;
  /** The own time of it and everything under it: a flame graph's width, never more than its parent's. */
  subtreeSelfNs: number;
  /** An occurrence whose time in this call is the median's, and its first span of the call. */
  exemplar: { traceId: string; spanId: string };
}

/** Many traces of one operation merged: where its time goes, call by call. */
export interface AggregateReport {
  kind: 'aggregate';
  service: string;
  operation: string;
  occurrences: number;
  traces: number;
  rows: AggregateReportRow[];
  rowsLeftOut: number;
  notes: string[];
}
