// Jaeger's query service: api_v3 first (snake_case query names, which every 2.x and late 1.x accept), the legacy
// /api routes when api_v3 is absent (Jaeger 1.x before it). A 404 that carries Jaeger's error JSON means
// "no such trace / no match"; a 404 without it means the route does not exist.
import { normaliseTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
import { httpGet, SourceError, type Endpoint, type HttpAnswer, type HttpLimits } from './httpClient';
import { goDuration } from './goDuration';
import { checkHealth, hitFromTrace, jsonAnswer, statusError, stringList, tracesFromAnswer, type Health, type LookupOptions, type SearchQuery, type TraceHit, type TraceSource } from './traceSource';

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

export class JaegerSource implements TraceSource {
  readonly kind = 'jaeger';
  readonly lookupUsesTimeRange = true;
  /** Learned from the first answer: false once api_v3 turned out to be missing. */
  private apiV3: boolean | undefined;

  constructor(readonly name: string, private readonly endpoint: Endpoint, private readonly limits: HttpLimits) {}

  private get(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<HttpAnswer> {
    return httpGet(this.endpoint, path, query, this.limits, signal);
  }

  private fail(answer: HttpAnswer): SourceError {
    return statusError(this.endpoint, answer, answer.status === 401 && /tenant/i.test(answer.body.toString()) ? TENANT_HINT : '');
  }

  /** Tries api_v3, then the legacy route when api_v3 is not there; remembers which one answered. */
  private async either(v3: () => Promise<HttpAnswer>, legacy: () => Promise<HttpAnswer>): Promise<{ answer: HttpAnswer; v3: boolean }> {
    if (this.apiV3 !== false) {
      const answer = await v3();
      if (answer.status !== 404 || isApiNotFound(answer)) {
        if (answer.status < 400) this.apiV3 = true;
        return { answer, v3: true };
      }
      this.apiV3 = false;
    }
    return { answer: await legacy(), v3: false };
  }

  async getTrace(traceId: string, options: LookupOptions = {}): Promise<Trace | undefined> {
    const id = encodeURIComponent(traceId);
    const to = Date.now() + 60_000;
    const from = options.lookbackMs ? to - options.lookbackMs : undefined;
    const { answer } = await this.either(
      () => this.get(`api/v3/traces/${id}`, from ? { start_time: new Date(from).toISOString(), end_time: new Date(to).toISOString() } : {}, options.signal),
      () => this.get(`api/traces/${id}`, from ? { start: String(from * 1000), end: String(to * 1000) } : {}, options.signal),
    );
    if (answer.status === 404) return undefined;
    if (answer.status >= 400) throw this.fail(answer);
    const wanted = normaliseTraceId(traceId);
    const traces = tracesFromAnswer(this.endpoint, answer);
    return traces.find((t) => t.traceId === wanted) ?? (traces.length === 1 ? traces[0] : undefined);
  }

  async search(query: SearchQuery, signal?: AbortSignal): Promise<TraceHit[]> {
    const now = Date.now();
    const from = now - query.lookbackMs;
    const hasAttributes = query.attributes && Object.keys(query.attributes).length > 0;
    const { answer } = await this.either(
      () =>
        this.get('api/v3/traces', {
          'query.service_name': query.service,
          'query.operation_name': query.operation,
          'query.start_time_min': new Date(from).toISOString(),
          'query.start_time_max': new Date(now).toISOString(),
          'query.duration_min': query.minDurationNs ? goDuration(query.minDurationNs) : undefined,
          'query.duration_max': query.maxDurationNs ? goDuration(query.maxDurationNs) : undefined,
          'query.search_depth': String(query.limit),
          'query.attributes': hasAttributes ? JSON.stringify(query.attributes) : undefined,
        }, signal),
      () =>
        this.get('api/traces', {
          service: query.service,
          operation: query.operation,
          start: String(from * 1000),
          end: String(now * 1000),
          minDuration: query.minDurationNs ? goDuration(query.minDurationNs) : undefined,
          maxDuration: query.maxDurationNs ? goDuration(query.maxDurationNs) : undefined,
          limit: String(query.limit),
          tags: hasAttributes ? JSON.stringify(query.attributes) : undefined,
        }, signal),
    );
    if (answer.status === 404) return [];
    if (answer.status >= 400) throw this.fail(answer);
    const hits = tracesFromAnswer(this.endpoint, answer).map(hitFromTrace);
    return hits.sort((a, b) => (BigInt(b.startUnixNano || 0) > BigInt(a.startUnixNano || 0) ? 1 : -1)).slice(0, query.limit);
  }

  async services(signal?: AbortSignal): Promise<string[]> {
    const { answer, v3 } = await this.either(() => this.get('api/v3/services', {}, signal), () => this.get('api/services', {}, signal));
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

  health(signal?: AbortSignal): Promise<Health> {
    return checkHealth(async () => {
      const services = await this.services(signal);
      return `${this.apiV3 === false ? 'legacy API (Jaeger 1.x)' : 'api_v3'}, ${services.length} services`;
    });
  }
}
