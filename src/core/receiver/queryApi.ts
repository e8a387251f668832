// Jaeger's query API over what the receiver holds, read-only: api_v3's services, operations (by kind), a trace by
// id, a search and its summaries (Jaeger 2.19's trace-summaries; parameters by their camelCase names since 2.19
// or the snake_case ones before), and the legacy dependency graph (api_v3 has none). Any Jaeger client reads the
// receiver's traces with it, the CLI's too: `trace-lens mcp --source receiver` gives an agent outside the editor
// the traces the editor holds. Routes and parameters are those jaegerSource.ts asks a Jaeger for, and Jaeger's.
import type { ServerResponse } from 'node:http';
import { ServiceGraph } from '../analysis/serviceGraph/serviceGraph';
import { toOtlpJson } from '../formats/otlpJsonWriter';
import { parseDurationNs } from '../model/durationText';
import { normaliseTraceId } from '../model/ids';
import { isError, traceEndNs, type SpanKind, type Trace } from '../model/trace';
import { mainRoot } from '../analysis/criticalPath';
import { buildSpanTree } from '../analysis/spanTree';
import { traceMatchesQuery } from '../sources/searchMatch';
import type { DependencyLink, SearchQuery } from '../sources/traceSource';
import type { SpanStore } from './spanStore';

const DEFAULT_TRACES = 20;
/** A search answers whole traces: more than this many in one answer is a request for too much. */
const MAX_TRACES = 100;

export const QUERY_PREFIX = '/api/';

/** What a query answers: a status and a JSON body. */
interface QueryAnswer {
  status: number;
  body: unknown;
}

/** Jaeger's error shape, which its clients (ours too) read as "nothing found" rather than "no such route". */
function notFound(message: string): QueryAnswer {
  return { status: 404, body: { error: { httpCode: 404, message } } };
}

function badRequest(message: string): QueryAnswer {
  return { status: 400, body: { error: { httpCode: 400, message } } };
}

function traces(found: readonly Trace[]): QueryAnswer {
  return { status: 200, body: { result: { resourceSpans: found.flatMap((t) => toOtlpJson(t).resourceSpans) } } };
}

/**
 * A search parameter by its name since Jaeger 2.19 (camelCase), else by its older snake_case name (the only
 * one before, and what our own client sends): with the name it was given by, for messages.
 */
function param(params: URLSearchParams, ...names: string[]): { name: string; raw: string } | undefined {
  for (const name of names) {
    const raw = params.get(name);
    if (raw) return { name, raw };
  }
  return undefined;
}

function timeParam(params: URLSearchParams, ...names: string[]): number | undefined | string {
  const given = param(params, ...names);
  if (!given) return undefined;
  const ms = Date.parse(given.raw);
  return Number.isNaN(ms) ? `${given.name} "${given.raw.slice(0, 40)}" is not an RFC 3339 time` : ms;
}

function durationParam(params: URLSearchParams, ...names: string[]): number | undefined | string {
  const given = param(params, ...names);
  if (!given) return undefined;
  const ns = parseDurationNs(given.raw);
  return ns === undefined ? `${given.name} "${given.raw.slice(0, 40)}" is not a duration such as 100ms` : ns;
}

/** The traces held that started in [fromMs, toMs] (and have a span of `service`), newest first, each a checked copy. */
function* heldTraces(store: SpanStore, fromMs: number, toMs: number, service?: string): Generator<Trace> {
  for (const info of store.list()) {
    const startMs = Number(info.startUnixNano / 1_000_000n);
    if (startMs < fromMs || startMs > toMs || (service !== undefined && !info.services.includes(service))) continue;
    const trace = store.getTrace(info.traceId);
    if (trace) yield trace;
  }
}

/** The held traces api_v3's FindTraces parameters ask for, or what is wrong with the parameters. */
function search(store: SpanStore, params: URLSearchParams): Trace[] | QueryAnswer {
  const service = param(params, 'query.serviceName', 'query.service_name')?.raw;
  if (!service) return badRequest('query.serviceName is required');
  const [from, to, minDurationNs, maxDurationNs] = [
    timeParam(params, 'query.startTimeMin', 'query.start_time_min'),
    timeParam(params, 'query.startTimeMax', 'query.start_time_max'),
    durationParam(params, 'query.durationMin', 'query.duration_min'),
    durationParam(params, 'query.durationMax', 'query.duration_max'),
  ];
  const problem = [from, to, minDurationNs, maxDurationNs].find((v) => typeof v === 'string');
  if (typeof problem === 'string') return badRequest(problem);
  let attributes: Record<string, string> = {};
  try {
    const raw = params.get('query.attributes');
    if (raw) attributes = Object.fromEntries(Object.entries(JSON.parse(raw) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  } catch {
    return badRequest('query.attributes is not a JSON object of attribute values');
  }
  const asked = Number(param(params, 'query.searchDepth', 'query.search_depth', 'query.num_traces')?.raw ?? DEFAULT_TRACES);
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_TRACES) : DEFAULT_TRACES;
  const query: SearchQuery = {
    service,
    operation: param(params, 'query.operationName', 'query.operation_name')?.raw,
    minDurationNs: minDurationNs as number | undefined,
    maxDurationNs: maxDurationNs as number | undefined,
    attributes,
    lookbackMs: Infinity,
    limit,
  };
  const found: Trace[] = [];
  for (const trace of heldTraces(store, (from as number | undefined) ?? -Infinity, (to as number | undefined) ?? Infinity, service)) {
    if (traceMatchesQuery(trace, query)) found.push(trace);
    if (found.length >= limit) break;
  }
  return found;
}

/** Jaeger's summary of a trace (api_v3 trace-summaries, 2.19+): its root, time span and counts per service. */
function summary(trace: Trace): Record<string, unknown> {
  const tree = buildSpanTree(trace);
  const root = mainRoot(trace, tree);
  const services = new Map<string, { name: string; spanCount: number; errorSpanCount: number }>();
  let errors = 0;
  for (const span of trace.spans) {
    const name = span.resource.serviceName;
    let counts = services.get(name);
    if (!counts) services.set(name, (counts = { name, spanCount: 0, errorSpanCount: 0 }));
    counts.spanCount++;
    if (isError(span)) {
      counts.errorSpanCount++;
      errors++;
    }
  }
  const nano = (ns: number) => (trace.startUnixNano + BigInt(Math.round(ns))).toString();
  return {
    traceId: trace.traceId,
    rootServiceName: root >= 0 ? trace.spans[root].resource.serviceName : '',
    rootOperationName: root >= 0 ? trace.spans[root].name : '',
    // A checked trace starts at its earliest span.
    minStartTimeUnixNano: nano(0),
    maxEndTimeUnixNano: nano(traceEndNs(trace)),
    spanCount: trace.spans.length,
    errorSpanCount: errors,
    orphanSpanCount: tree.warnings.filter((w) => w.code === 'missing-parent').length,
    services: [...services.values()],
  };
}

const KIND_NAMES: Record<SpanKind, string> = {
  unspecified: 'internal',
  internal: 'internal',
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
};

/** A service's operations as Jaeger lists them, one per name and kind (an unset kind reads as internal). */
function operations(store: SpanStore, params: URLSearchParams): QueryAnswer {
  const kind = param(params, 'spanKind', 'span_kind')?.raw.toLowerCase();
  const listed: { name: string; spanKind: string }[] = [];
  for (const { name, kinds } of store.operationKinds(params.get('service') ?? '')) {
    for (const spanKind of new Set(kinds.map((k) => KIND_NAMES[k]))) if (!kind || spanKind === kind) listed.push({ name, spanKind });
  }
  return { status: 200, body: { operations: listed.sort((a, b) => a.name.localeCompare(b.name) || a.spanKind.localeCompare(b.spanKind)) } };
}

/** Jaeger's parent → child counts between the services the held traces that started in the window show calling each other. */
function dependencies(store: SpanStore, params: URLSearchParams): QueryAnswer {
  const endMs = Number(params.get('endTs') ?? Date.now());
  const lookbackMs = Number(params.get('lookback') ?? Infinity);
  if (!Number.isFinite(endMs) || Number.isNaN(lookbackMs)) return badRequest('endTs and lookback are milliseconds');
  const graph = new ServiceGraph();
  for (const trace of heldTraces(store, endMs - lookbackMs, endMs)) graph.add(trace);
  const map = graph.snapshot();
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const links: DependencyLink[] = [];
  for (const edge of map.edges) {
    const [parent, child] = [byId.get(edge.from)!, byId.get(edge.to)!];
    if (parent.type === 'service' && child.type === 'service')
      links.push({ parent: parent.name, child: child.name, callCount: edge.calls, errorCount: edge.errors });
  }
  return { status: 200, body: { data: links } };
}

/** The answer to a GET under QUERY_PREFIX; undefined when no route is there (the caller says so as for any path). */
export function queryAnswer(store: SpanStore, path: string, params: URLSearchParams): QueryAnswer | undefined {
  if (path === '/api/v3/services') return { status: 200, body: { services: store.services() } };
  if (path === '/api/v3/operations') return operations(store, params);
  if (path === '/api/v3/traces') {
    const found = search(store, params);
    if (!Array.isArray(found)) return found;
    return found.length ? traces(found) : notFound('No traces found');
  }
  if (path === '/api/v3/trace-summaries') {
    const found = search(store, params);
    if (!Array.isArray(found)) return found;
    // Jaeger answers a search with no match here with an empty object, not a 404.
    return { status: 200, body: found.length ? { summaries: found.map(summary) } : {} };
  }
  if (path.startsWith('/api/v3/traces/')) {
    const raw = path.slice('/api/v3/traces/'.length);
    let given: string;
    try {
      given = decodeURIComponent(raw);
    } catch {
      return badRequest(`"${raw.slice(0, 80)}" is not a trace id`);
    }
    const traceId = normaliseTraceId(given);
    if (!traceId) return badRequest(`"${given.slice(0, 80)}" is not a trace id`);
    const trace = store.getTrace(traceId);
    return trace ? traces([trace]) : notFound(`trace ${traceId} not found`);
  }
  if (path === '/api/dependencies') return dependencies(store, params);
  return undefined;
}

export function sendQueryAnswer(res: ServerResponse, answer: QueryAnswer): void {
  const body = Buffer.from(JSON.stringify(answer.body));
  res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
}
