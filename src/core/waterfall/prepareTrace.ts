// Turns a Trace into the waterfall's rows: tree order, typed columns, interned names, the critical path flagged.
import { computeSelfTimes } from '../analysis/selfTime';
import { buildSpanTree, type SpanTree } from '../analysis/spanTree';
import { traceFacts, type TraceFacts } from '../analysis/traceFacts';
import { isError, type Resource, type SpanKind, type Trace } from '../model/trace';
import { emptyRows, fillTreeColumns, ROW_FLAGS, SPAN_KINDS, type WaterfallModel, type WaterfallRows } from './rows';

export interface PreparedTrace {
  trace: Trace;
  tree: SpanTree;
  selfTimes: Float64Array;
  model: WaterfallModel;
  /** Row of each span (inverse of rows.span). */
  rowOfSpan: Int32Array;
}

const KIND_INDEX = Object.fromEntries(SPAN_KINDS.map((k, i) => [k, i])) as Record<SpanKind, number>;

/** Turns eventStart's counts (row r's at r + 1) into starts, and writes the events' times (of these spans) to their places. */
function fillEvents(trace: Trace, rows: WaterfallRows, rowOfSpan: Int32Array, withEvents: number[]): void {
  const n = rowOfSpan.length;
  for (let r = 0; r < n; r++) rows.eventStart[r + 1] += rows.eventStart[r];
  rows.eventNs = new Float64Array(rows.eventStart[n]);
  for (const i of withEvents) {
    const span = trace.spans[i];
    let at = rows.eventStart[rowOfSpan[i]];
    for (const e of span.events) rows.eventNs[at++] = span.startNs + e.offsetNs;
  }
}

/** `tree`, `facts`: the trace's, if the caller has them already (building a tree is a large part of the work). */
export function prepareTrace(trace: Trace, tree: SpanTree = buildSpanTree(trace), facts: TraceFacts = traceFacts(trace, tree)): PreparedTrace {
  const { summary, onPath: critical, origin } = facts;
  const services = summary.services;
  const serviceIndex = new Map(services.map((s, i) => [s, i]));
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (s: string) => {
    let i = stringIndex.get(s);
    if (i === undefined) stringIndex.set(s, (i = strings.push(s) - 1));
    return i;
  };
  const n = tree.order.length;
  const rows = emptyRows(n);
  const rowOfSpan = new Int32Array(trace.spans.length).fill(-1);
  for (let r = 0; r < n; r++) rowOfSpan[tree.order[r]] = r;
  // Spans are read in their own order, the order they lie in memory, each written to its row: read in row order,
  // a million spans cost a cache miss each. Spans of one resource share its object: its service is looked up once
  // per run of them.
  let resource: Resource | undefined;
  let service = 0;
  const withEvents: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rowOfSpan[i];
    const span = trace.spans[i];
    if (span.resource !== resource) {
      resource = span.resource;
      service = serviceIndex.get(resource.serviceName) ?? 0;
    }
    rows.span[r] = i;
    rows.depth[r] = tree.depth[i];
    rows.startNs[r] = span.startNs;
    rows.durationNs[r] = span.durationNs;
    rows.service[r] = service;
    rows.name[r] = intern(span.name);
    rows.kind[r] = KIND_INDEX[span.kind] ?? KIND_INDEX.unspecified;
    rows.flags[r] = (isError(span) ? ROW_FLAGS.error : 0) | (critical[i] ? ROW_FLAGS.critical : 0);
    if (span.events.length) {
      rows.eventStart[r + 1] = span.events.length;
      withEvents.push(i);
    }
  }
  fillEvents(trace, rows, rowOfSpan, withEvents);
  fillTreeColumns(rows);
  const model: WaterfallModel = {
    traceId: trace.traceId,
    startEpochMs: Number(trace.startUnixNano / 1_000_000n),
    durationNs: summary.durationNs,
    rootService: summary.rootService,
    rootName: summary.rootName,
    services,
    errorCount: summary.errorCount,
    failureOriginRow: origin < 0 ? -1 : rowOfSpan[origin],
    warnings: trace.warnings.map((w) => w.message),
    strings,
    rows,
  };
  let selfTimes: Float64Array | undefined;
  return {
    trace,
    tree,
    // Only a span's details read them: made when first asked, not before a large trace's first rows are shown.
    get selfTimes() {
      return (selfTimes ??= computeSelfTimes(trace, tree));
    },
    model,
    rowOfSpan,
  };
}
