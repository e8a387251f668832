// Turns a Trace into what the webview needs: rows in tree order as typed columns, details for one span on
// demand, and search over names, attribute keys and values (the attributes stay on the host).
import { computeCriticalPath } from '../core/analysis/criticalPath';
import { computeSelfTimes } from '../core/analysis/selfTime';
import { buildSpanTree, type SpanTree } from '../core/analysis/spanTree';
import { summariseTrace } from '../core/analysis/traceSummary';
import { isError, type Attributes, type AttributeValue, type Span, type Trace } from '../core/model/trace';
import { ROW_FLAGS, SPAN_KINDS, type SpanDetails, type WaterfallModel, type WaterfallRows } from '../protocol/messages';

export interface PreparedTrace {
  trace: Trace;
  tree: SpanTree;
  selfTimes: Float64Array;
  model: WaterfallModel;
  /** Row of each span (inverse of rows.span). */
  rowOfSpan: Int32Array;
}

const KIND_INDEX = new Map<string, number>(SPAN_KINDS.map((k, i) => [k, i]));

function emptyRows(n: number, eventCount: number): WaterfallRows {
  return {
    span: new Int32Array(n),
    parent: new Int32Array(n),
    subtreeEnd: new Int32Array(n),
    depth: new Int32Array(n),
    startNs: new Float64Array(n),
    durationNs: new Float64Array(n),
    service: new Int32Array(n),
    name: new Int32Array(n),
    kind: new Uint8Array(n),
    flags: new Uint8Array(n),
    eventStart: new Int32Array(n + 1),
    eventNs: new Float64Array(eventCount),
  };
}

/** In pre-order a subtree is contiguous: it ends where the next row at the same or a lower depth starts. */
function fillSubtreeEnds(rows: WaterfallRows): void {
  const n = rows.depth.length;
  const open: number[] = [];
  for (let r = 0; r < n; r++) {
    while (open.length && rows.depth[open[open.length - 1]] >= rows.depth[r]) rows.subtreeEnd[open.pop()!] = r;
    open.push(r);
  }
  for (const r of open) rows.subtreeEnd[r] = n;
}

export function prepareTrace(trace: Trace): PreparedTrace {
  const tree = buildSpanTree(trace);
  const summary = summariseTrace(trace, tree);
  const critical = computeCriticalPath(trace, tree).onPath;
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
  let eventCount = 0;
  for (const span of trace.spans) eventCount += span.events.length;
  const rows = emptyRows(n, eventCount);
  const rowOfSpan = new Int32Array(trace.spans.length).fill(-1);
  for (let r = 0; r < n; r++) rowOfSpan[tree.order[r]] = r;
  let event = 0;
  for (let r = 0; r < n; r++) {
    const i = tree.order[r];
    const span = trace.spans[i];
    rows.span[r] = i;
    rows.parent[r] = tree.parent[i] < 0 ? -1 : rowOfSpan[tree.parent[i]];
    rows.depth[r] = tree.depth[i];
    rows.startNs[r] = span.startNs;
    rows.durationNs[r] = span.durationNs;
    rows.service[r] = serviceIndex.get(span.resource.serviceName) ?? 0;
    rows.name[r] = intern(span.name);
    rows.kind[r] = KIND_INDEX.get(span.kind) ?? KIND_INDEX.get('unspecified')!;
    rows.flags[r] = (isError(span) ? ROW_FLAGS.error : 0) | (critical[i] ? ROW_FLAGS.critical : 0);
    rows.eventStart[r] = event;
    for (const e of span.events) rows.eventNs[event++] = span.startNs + e.offsetNs;
  }
  rows.eventStart[n] = event;
  fillSubtreeEnds(rows);
  const model: WaterfallModel = {
    traceId: trace.traceId,
    startEpochMs: Number(trace.startUnixNano / 1_000_000n),
    durationNs: summary.durationNs,
    rootService: summary.rootService,
    rootName: summary.rootName,
    services,
    errorCount: summary.errorCount,
    warnings: trace.warnings.map((w) => w.message),
    strings,
    rows,
  };
  return { trace, tree, selfTimes: computeSelfTimes(trace, tree), model, rowOfSpan };
}

function valueText(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function pairs(attributes: Attributes | undefined): [string, string][] {
  return attributes ? Object.entries(attributes).map(([k, v]) => [k, valueText(v)]) : [];
}

export function spanDetails(prepared: PreparedTrace, index: number, code?: { code?: string; failure?: string }): SpanDetails | undefined {
  const span = prepared.trace.spans[index];
  if (!span) return undefined;
  return {
    span: index,
    traceId: prepared.trace.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    service: span.resource.serviceName,
    kind: span.kind,
    startNs: span.startNs,
    durationNs: span.durationNs,
    selfNs: prepared.selfTimes[index],
    status: span.status,
    attributes: pairs(span.attributes),
    resource: pairs(span.resource.attributes),
    scope: span.scope && [['name', span.scope.name], ...(span.scope.version ? ([['version', span.scope.version]] as [string, string][]) : []), ...pairs(span.scope.attributes)],
    events: span.events.map((e) => ({ name: e.name, offsetNs: e.offsetNs, attributes: pairs(e.attributes) })),
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, kind: l.kind, attributes: pairs(l.attributes) })),
    ...code,
  };
}

function attributesMatch(attributes: Attributes | undefined, pattern: RegExp): boolean {
  if (!attributes) return false;
  for (const key in attributes) {
    // Tested as "key=value", so a query can name the key, the value, or both.
    if (pattern.test(`${key}=${valueText(attributes[key])}`)) return true;
  }
  return false;
}

function spanMatches(span: Span, pattern: RegExp): boolean {
  return (
    pattern.test(span.name) ||
    pattern.test(span.resource.serviceName) ||
    pattern.test(span.spanId) ||
    attributesMatch(span.attributes, pattern) ||
    span.events.some((e) => pattern.test(e.name) || attributesMatch(e.attributes, pattern))
  );
}

/** Rows whose span name, service, span id, attribute key or value (or event) contains `query`, case-insensitively. */
export function searchRows(prepared: PreparedTrace, query: string): Int32Array {
  const text = query.trim();
  if (!text) return new Int32Array(0);
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const { rows } = prepared.model;
  const found: number[] = [];
  for (let r = 0; r < rows.span.length; r++) if (spanMatches(prepared.trace.spans[rows.span[r]], pattern)) found.push(r);
  return Int32Array.from(found);
}
