// Grafana Tempo: trace by id on /api/v2/traces (then /api/traces for Tempo before 2.x's v2 route), TraceQL search,
// tag values for services and operations. Tempo finds a trace by id reliably only inside a time range, so lookups
// send the caller's range hint; tenants go in X-Scope-OrgID.
import { normaliseTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
import { goDuration } from './goDuration';
import { httpGet, SourceError, type Endpoint, type HttpAnswer, type HttpLimits } from './httpClient';
import { checkHealth, jsonAnswer, statusError, tracesFromAnswer, type Health, type LookupOptions, type SearchQuery, type TraceHit, type TraceSource } from './traceSource';

const TENANT_HINT = 'no tenant, set `tenant` for this source (sent as X-Scope-OrgID)';

function traceQlString(value: string): string {
  return JSON.stringify(value);
}

function traceQlValue(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false' ? value : traceQlString(value);
}

const SCOPES = /^(span|resource|event|link|instrumentation)\.[A-Za-z_][\w.]*$/;

/** A scoped name (from attributeNames) stays as written; a bare one matches any scope (`.http.route`). */
function traceQlAttribute(key: string): string {
  if (SCOPES.test(key)) return key;
  return /^[A-Za-z_][\w.]*$/.test(key) ? `.${key}` : `.${traceQlString(key)}`;
}

/** The TraceQL spanset filter for a search: every condition on one span. */
export function traceQl(query: SearchQuery): string {
  const conditions = [`resource.service.name = ${traceQlString(query.service)}`];
  if (query.operation) conditions.push(`name = ${traceQlString(query.operation)}`);
  if (query.minDurationNs) conditions.push(`duration >= ${goDuration(query.minDurationNs)}`);
  if (query.maxDurationNs) conditions.push(`duration <= ${goDuration(query.maxDurationNs)}`);
  for (const [key, value] of Object.entries(query.attributes ?? {})) conditions.push(`${traceQlAttribute(key)} = ${traceQlValue(value)}`);
  return `{ ${conditions.join(' && ')} }`;
}

interface TempoHit {
  traceID?: string;
  rootServiceName?: string;
  rootTraceName?: string;
  startTimeUnixNano?: string;
  durationMs?: number;
  serviceStats?: Record<string, { spanCount?: number; errorCount?: number }>;
}

export class TempoSource implements TraceSource {
  readonly kind = 'tempo';
  readonly lookupUsesTimeRange = true;

  constructor(readonly name: string, private readonly endpoint: Endpoint, private readonly limits: HttpLimits) {}

  private get(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<HttpAnswer> {
    return httpGet(this.endpoint, path, query, this.limits, signal);
  }

  private fail(answer: HttpAnswer): SourceError {
    const noTenant = answer.status === 401 && /org ?id|tenant/i.test(answer.body.toString());
    return noTenant ? new SourceError('status', `${this.endpoint.label} answered 401: ${TENANT_HINT}`) : statusError(this.endpoint, answer);
  }

  private range(lookbackMs: number): { start: string; end: string } {
    const now = Math.ceil(Date.now() / 1000);
    return { start: String(Math.floor(now - lookbackMs / 1000)), end: String(now + 60) };
  }

  async getTrace(traceId: string, options: LookupOptions = {}): Promise<Trace | undefined> {
    const range = options.lookbackMs ? this.range(options.lookbackMs) : {};
    const id = encodeURIComponent(traceId);
    let answer = await this.get(`api/v2/traces/${id}`, range, options.signal);
    // Tempo before the v2 route, or v2 not finding it: the v1 route settles both.
    if (answer.status === 404) answer = await this.get(`api/traces/${id}`, range, options.signal);
    if (answer.status === 404) return undefined;
    if (answer.status >= 400) throw this.fail(answer);
    const wanted = normaliseTraceId(traceId);
    const traces = tracesFromAnswer(this.endpoint, answer);
    return traces.find((t) => t.traceId === wanted) ?? traces[0];
  }

  async search(query: SearchQuery, signal?: AbortSignal): Promise<TraceHit[]> {
    const answer = await this.get('api/search', { q: traceQl(query), limit: String(query.limit), ...this.range(query.lookbackMs) }, signal);
    if (answer.status >= 400) throw this.fail(answer);
    const body = jsonAnswer(this.endpoint, answer) as { traces?: TempoHit[] };
    if (body.traces !== undefined && !Array.isArray(body.traces)) throw new SourceError('malformed', `${this.endpoint.label} answered ${answer.url} with an unexpected shape ("traces" is not a list)`);
    return (body.traces ?? []).flatMap((t): TraceHit[] => {
      const traceId = normaliseTraceId(t.traceID);
      if (!traceId) return [];
      const stats = Object.values(t.serviceStats ?? {});
      return [{
        traceId,
        rootService: t.rootServiceName ?? '',
        rootName: t.rootTraceName ?? '',
        startUnixNano: /^\d+$/.test(t.startTimeUnixNano ?? '') ? t.startTimeUnixNano! : '',
        durationNs: (t.durationMs ?? 0) * 1e6,
        spanCount: stats.length ? stats.reduce((n, s) => n + (s.spanCount ?? 0), 0) : undefined,
        errorCount: stats.length ? stats.reduce((n, s) => n + (s.errorCount ?? 0), 0) : undefined,
      }];
    });
  }

  private async tagValues(tag: string, q: string | undefined, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get(`api/v2/search/tag/${encodeURIComponent(tag)}/values`, { q }, signal);
    if (answer.status >= 400) throw this.fail(answer);
    const body = jsonAnswer(this.endpoint, answer) as { tagValues?: unknown };
    if (!Array.isArray(body.tagValues)) return [];
    return body.tagValues.map((v) => (typeof v === 'object' && v !== null && 'value' in v ? String((v as { value: unknown }).value) : String(v))).sort();
  }

  /** Scoped names as TraceQL writes them: `span.http.route`, `resource.k8s.namespace.name`. */
  async attributeNames(signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get('api/v2/search/tags', {}, signal);
    if (answer.status >= 400) throw this.fail(answer);
    const body = jsonAnswer(this.endpoint, answer) as { scopes?: { name?: unknown; tags?: unknown }[] };
    const names = (Array.isArray(body.scopes) ? body.scopes : []).flatMap((scope) =>
      scope.name === 'intrinsic' || !Array.isArray(scope.tags) ? [] : scope.tags.map((tag) => `${String(scope.name)}.${String(tag)}`),
    );
    return [...new Set(names)].sort();
  }

  services(signal?: AbortSignal): Promise<string[]> {
    return this.tagValues('resource.service.name', undefined, signal);
  }

  operations(service: string, signal?: AbortSignal): Promise<string[]> {
    return this.tagValues('name', `{ resource.service.name = ${traceQlString(service)} }`, signal);
  }

  health(signal?: AbortSignal): Promise<Health> {
    return checkHealth(async () => {
      const echo = await this.get('api/echo', {}, signal);
      if (echo.status >= 400) throw this.fail(echo);
      return `ready, ${(await this.services(signal)).length} services`;
    });
  }
}
