// Jaeger's query service: api_v3 first, the legacy /api routes when api_v3 is absent (Jaeger 1.x before it).
// Parameter names are the snake_case ones every version reads (`query.num_traces`, not `search_depth`, which
// Jaeger before 2.19 ignores and then refuses the search). A 404 that carries Jaeger's error JSON means "no such
// trace / no match"; a 404 without it means the route does not exist, so there is no Jaeger API at the URL.
// api_v3 before 2.19 ignores `query.attributes`: answers are checked here, and a filter the backend did not
// apply is sent through the legacy search (which applies its `tags`) or applied here, and the user is told.
import type { Trace } from '../model/trace';
import { traceMatchesAttributes } from './searchMatch';
import { goDuration } from './goDuration';
import { httpGet, SourceError, type Endpoint, type HttpAnswer, type HttpLimits } from './httpClient';
import {
  checkHealth,
  hitFromTrace,
  jsonAnswer,
  newestFirst,
  noApiError,
  statusError,
  stringList,
  tracesFromAnswer,
  decodeAnswer,
  pickTrace,
  traceAnswer,
  type TraceAnswer,
  dependencyLinks,
  type DependencyLink,
  type Health,
  type LookupOptions,
  type SearchQuery,
  type SearchResult,
  type TraceSource,
} from './traceSource';

function isApiNotFound(answer: HttpAnswer): boolean {
  if (answer.status !== 404) return false;
  try {
    const body = JSON.parse(answer.body.toString('utf8'));
    return typeof body === 'object' && body !== null && ('error' in body || 'errors' in body);
  } catch {
    return false;
  }
}

const TENANT_HINT = 'Jaeger runs with multi-tenancy: set `tenant` for this source';
const NO_API_HINT = "is this the OTLP or collector port? Jaeger's query UI and API listen on 16686";

type Route = () => Promise<HttpAnswer>;

export class JaegerSource implements TraceSource {
  readonly kind = 'jaeger';
  readonly lookupUsesTimeRange = true;
  /** Learned from the first answer: false once api_v3 turned out to be missing. */
  private apiV3: boolean | undefined;
  /** Learned from a search: false once api_v3 returned traces its attribute filter should have excluded. */
  private v3AppliesAttributes: boolean | undefined;

  constructor(
    readonly name: string,
    private readonly endpoint: Endpoint,
    private readonly limits: HttpLimits,
  ) {}

  describeApi(): string {
    const api = this.apiV3 === false ? 'Jaeger legacy /api (no api_v3 at this URL)' : this.apiV3 ? 'Jaeger api_v3' : 'Jaeger api_v3 (not yet asked)';
    return this.v3AppliesAttributes === false && this.apiV3 ? `${api}; attribute filters through the legacy /api/traces (this api_v3 ignores them)` : api;
  }

  private get(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<HttpAnswer> {
    return httpGet(this.endpoint, path, query, this.limits, signal);
  }

  private fail(answer: HttpAnswer): SourceError {
    if (answer.status === 404) return noApiError(this.endpoint, answer, NO_API_HINT);
    return statusError(this.endpoint, answer, answer.status === 401 && /tenant/i.test(answer.body.toString()) ? TENANT_HINT : '');
  }

  /**
   * Tries api_v3, then the legacy route when api_v3 is not there; remembers which one answered. A 404 from
   * the route that answered is Jaeger's "not found" only with Jaeger's error body; otherwise it throws.
   */
  private async either(v3: Route, legacy: Route): Promise<{ answer: HttpAnswer; v3: boolean }> {
    if (this.apiV3 !== false) {
      const answer = await v3();
      if (answer.status !== 404 || isApiNotFound(answer)) {
        if (answer.status < 400) this.apiV3 = true;
        return { answer, v3: true };
      }
      const fallback = await legacy();
      if (fallback.status === 404 && !isApiNotFound(fallback)) throw this.fail(answer);
      this.apiV3 = false;
      return { answer: fallback, v3: false };
    }
    const answer = await legacy();
    if (answer.status === 404 && !isApiNotFound(answer)) throw this.fail(answer);
    return { answer, v3: false };
  }

  async getTrace(traceId: string, options: LookupOptions = {}): Promise<Trace | undefined> {
    const answer = await this.fetchTrace(traceId, options);
    return answer && pickTrace(decodeAnswer(answer), traceId);
  }

  async fetchTrace(traceId: string, options: LookupOptions = {}): Promise<TraceAnswer | undefined> {
    const id = encodeURIComponent(traceId);
    const to = Date.now() + 60_000;
    const from = options.lookbackMs ? to - options.lookbackMs : undefined;
    const { answer } = await this.either(
      () => this.get(`api/v3/traces/${id}`, from ? { start_time: new Date(from).toISOString(), end_time: new Date(to).toISOString() } : {}, options.signal),
      () => this.get(`api/traces/${id}`, from ? { start: String(from * 1000), end: String(to * 1000) } : {}, options.signal),
    );
    if (answer.status === 404) return undefined;
    if (answer.status >= 400) throw this.fail(answer);
    return traceAnswer(this.endpoint, answer);
  }

  private searchV3(query: SearchQuery, attributes: Record<string, string>, signal?: AbortSignal): Promise<HttpAnswer> {
    const now = Date.now();
    return this.get(
      'api/v3/traces',
      {
        'query.service_name': query.service,
        'query.operation_name': query.operation,
        'query.start_time_min': new Date(now - query.lookbackMs).toISOString(),
        'query.start_time_max': new Date(now).toISOString(),
        'query.duration_min': query.minDurationNs ? goDuration(query.minDurationNs) : undefined,
        'query.duration_max': query.maxDurationNs ? goDuration(query.maxDurationNs) : undefined,
        'query.num_traces': String(query.limit),
        'query.attributes': Object.keys(attributes).length ? JSON.stringify(attributes) : undefined,
      },
      signal,
    );
  }

  private searchLegacy(query: SearchQuery, attributes: Record<string, string>, signal?: AbortSignal): Promise<HttpAnswer> {
    const now = Date.now();
    return this.get(
      'api/traces',
      {
        service: query.service,
        operation: query.operation,
        start: String((now - query.lookbackMs) * 1000),
        end: String(now * 1000),
        minDuration: query.minDurationNs ? goDuration(query.minDurationNs) : undefined,
        maxDuration: query.maxDurationNs ? goDuration(query.maxDurationNs) : undefined,
        limit: String(query.limit),
        tags: Object.keys(attributes).length ? JSON.stringify(attributes) : undefined,
      },
      signal,
    );
  }

  private traces(answer: HttpAnswer): Trace[] {
    if (answer.status === 404) return [];
    if (answer.status >= 400) throw this.fail(answer);
    return tracesFromAnswer(this.endpoint, answer);
  }

  async search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
    const attributes = query.attributes ?? {};
    const filtered = Object.keys(attributes).length > 0;
    const result = (traces: Trace[]) => matching(traces, attributes, query.limit, []);
    if (filtered && this.v3AppliesAttributes === false) return this.searchWithoutV3Attributes(query, attributes, undefined, signal);
    const { answer, v3 } = await this.either(
      () => this.searchV3(query, attributes, signal),
      () => this.searchLegacy(query, attributes, signal),
    );
    const traces = this.traces(answer);
    if (!filtered || !v3) return result(traces);
    if (traces.every((t) => traceMatchesAttributes(t, attributes))) return result(traces);
    this.v3AppliesAttributes = false;
    return this.searchWithoutV3Attributes(query, attributes, traces, signal);
  }

  /** This api_v3 ignores attribute filters: the legacy search applies them; without it they are applied here. */
  private async searchWithoutV3Attributes(
    query: SearchQuery,
    attributes: Record<string, string>,
    v3Traces: Trace[] | undefined,
    signal?: AbortSignal,
  ): Promise<SearchResult> {
    const legacy = await this.searchLegacy(query, attributes, signal);
    const finish = (traces: Trace[], notes: string[]) => matching(traces, attributes, query.limit, notes);
    if (legacy.status !== 404 || isApiNotFound(legacy)) {
      return finish(this.traces(legacy), [
        "this Jaeger's api_v3 ignores attribute filters (Jaeger before 2.19); searched its legacy /api/traces, which applies them",
      ]);
    }
    const traces = v3Traces ?? this.traces(await this.searchV3(query, attributes, signal));
    const kept = traces.filter((t) => traceMatchesAttributes(t, attributes)).length;
    return finish(traces, [
      `this Jaeger's api_v3 ignores attribute filters and has no legacy search: the filter was applied here to the ${traces.length} newest traces it returned (${kept} kept); older matches may be missing`,
    ]);
  }

  async services(signal?: AbortSignal): Promise<string[]> {
    const { answer, v3 } = await this.either(
      () => this.get('api/v3/services', {}, signal),
      () => this.get('api/services', {}, signal),
    );
    if (answer.status >= 400) throw this.fail(answer);
    const body = jsonAnswer(this.endpoint, answer) as { services?: unknown; data?: unknown };
    return stringList(this.endpoint, answer, (v3 ? body.services : body.data) ?? []).sort();
  }

  async operations(service: string, signal?: AbortSignal): Promise<string[]> {
    const { answer, v3 } = await this.either(
      () => this.get('api/v3/operations', { service }, signal),
      () => this.get(`api/services/${encodeURIComponent(service)}/operations`, {}, signal),
    );
    if (answer.status === 404) return [];
    if (answer.status >= 400) throw this.fail(answer);
    const body = jsonAnswer(this.endpoint, answer) as { operations?: unknown; data?: unknown };
    return [...new Set(stringList(this.endpoint, answer, (v3 ? body.operations : body.data) ?? []))].sort();
  }

  /** Jaeger computes the graph itself (from its storage, or a dependencies job); api_v3 has no route for it. */
  async dependencies(lookbackMs: number, signal?: AbortSignal): Promise<DependencyLink[]> {
    const answer = await this.get('api/dependencies', { endTs: String(Date.now()), lookback: String(Math.round(lookbackMs)) }, signal);
    if (answer.status >= 400) throw this.fail(answer);
    const body = jsonAnswer(this.endpoint, answer) as { data?: unknown };
    return dependencyLinks(body.data);
  }

  health(signal?: AbortSignal): Promise<Health> {
    return checkHealth(async () => {
      const services = await this.services(signal);
      return `${this.describeApi()}, ${services.length} services`;
    });
  }
}

/** The traces that pass the filter, newest first: never a trace the filter excludes, whoever applied it. */
function matching(traces: Trace[], attributes: Record<string, string>, limit: number, notes: string[]): SearchResult {
  return { hits: newestFirst(traces.filter((t) => traceMatchesAttributes(t, attributes)).map(hitFromTrace)).slice(0, limit), notes };
}
