// Jaeger's query API over what the receiver holds, read-only: api_v3's services, operations, a trace by id and a
// search, and the legacy dependency graph (api_v3 has none). Any Jaeger client reads the receiver's traces with it,
// the CLI's too: `trace-lens mcp --source receiver` gives an agent outside the editor the traces the editor holds.
// Routes and parameters are those jaegerSource.ts asks a Jaeger for.
import type { ServerResponse } from 'node:http';
import { ServiceGraph } from '../analysis/serviceGraph/serviceGraph';
import { toOtlpJson } from '../formats/otlpJsonWriter';
import { parseDurationNs } from '../model/durationText';
import { normaliseTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
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

function timeParam(params: URLSearchParams, name: string): number | undefined | string {
  const raw = params.get(name);
  if (!raw) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? `${name} "${raw.slice(0, 40)}" is not an RFC 3339 time` : ms;
}

function durationParam(params: URLSearchParams, name: string): number | undefined | string {
  const raw = params.get(name);
  if (!raw) return undefined;
  const ns = parseDurationNs(raw);
  return ns === undefined ? `${name} "${raw.slice(0, 40)}" is not a duration such as 100ms` : ns;
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

/** api_v3's FindTraces parameters as a search of the store, or what is wrong with them. */
function search(store: SpanStore, params: URLSearchParams): QueryAnswer {
  const service = params.get('query.service_name');
  if (!service) return badRequest('query.service_name is required');
  const [from, to, minDurationNs, maxDurationNs] = [
    timeParam(params, 'query.start_time_min'),
    timeParam(params, 'query.start_time_max'),
    durationParam(params, 'query.duration_min'),
    durationParam(params, 'query.duration_max'),
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
  const asked = Number(params.get('query.num_traces') ?? DEFAULT_TRACES);
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_TRACES) : DEFAULT_TRACES;
  const query: SearchQuery = {
    service,
    operation: params.get('query.operation_name') ?? undefined,
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
  return found.length ? traces(found) : notFound('No traces found');
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
  if (path === '/api/v3/operations') {
    const service = params.get('service') ?? '';
    return { status: 200, body: { operations: store.operationsOf(service).map((op) => ({ name: op.name, spanKind: '' })) } };
  }
  if (path === '/api/v3/traces') return search(store, params);
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
