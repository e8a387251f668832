// Turns a Trace into what the webview needs: rows in tree order as columns, and details for one span on demand.
import { computeCriticalPath } from '../core/analysis/criticalPath';
import { computeSelfTimes } from '../core/analysis/selfTime';
import { buildSpanTree, type SpanTree } from '../core/analysis/spanTree';
import { summariseTrace } from '../core/analysis/traceSummary';
import { isError, type Attributes, type AttributeValue, type Trace } from '../core/model/trace';
import { ROW_FLAGS, type SpanDetails, type WaterfallModel } from '../protocol/messages';

export interface PreparedTrace {
  trace: Trace;
  tree: SpanTree;
  selfTimes: Float64Array;
  model: WaterfallModel;
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
  const rows: WaterfallModel['rows'] = { span: new Array(n), depth: new Array(n), startNs: new Array(n), durationNs: new Array(n), service: new Array(n), name: new Array(n), flags: new Array(n), childCount: new Array(n) };
  for (let r = 0; r < n; r++) {
    const i = tree.order[r];
    const span = trace.spans[i];
    rows.span[r] = i;
    rows.depth[r] = tree.depth[i];
    rows.startNs[r] = span.startNs;
    rows.durationNs[r] = span.durationNs;
    rows.service[r] = serviceIndex.get(span.resource.serviceName) ?? 0;
    rows.name[r] = intern(span.name);
    rows.flags[r] = (isError(span) ? ROW_FLAGS.error : 0) | (critical[i] ? ROW_FLAGS.critical : 0);
    rows.childCount[r] = tree.childStart[i + 1] - tree.childStart[i];
  }
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
  return { trace, tree, selfTimes: computeSelfTimes(trace, tree), model };
}

function valueText(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function pairs(attributes: Attributes | undefined): [string, string][] {
  return attributes ? Object.entries(attributes).map(([k, v]) => [k, valueText(v)]) : [];
}

export function spanDetails(prepared: PreparedTrace, index: number): SpanDetails | undefined {
  const span = prepared.trace.spans[index];
  if (!span) return undefined;
  return {
    span: index,
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
    scope: span.scope ? `${span.scope.name}${span.scope.version ? ` ${span.scope.version}` : ''}` : undefined,
    events: span.events.map((e) => ({ name: e.name, offsetNs: e.offsetNs, attributes: pairs(e.attributes) })),
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, kind: l.kind })),
  };
}
