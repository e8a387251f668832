// Grafana Tempo, as its own code answers (checked against its source, 3.1.0-dev): trace by id on /api/v2/traces
// (then /api/traces for Tempo before the v2 route), TraceQL search, tag values for services and operations;
// tenants go in X-Scope-OrgID.
// - A miss on /api/v2/traces is a 200 with an empty trace, never a 404; a 404 "404 page not found" is the router:
//   no Tempo query API at the URL.
// - A range only narrows the blocks a lookup reads: a ranged miss is asked once more without one.
// - Tag and value calls without start/end ask only the last 15 minutes: they always send the search range.
import { normaliseTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
import { goDuration } from './goDuration';
import { httpGet, SourceError, type Endpoint, type HttpAnswer, type HttpLimits } from './httpClient';
import {
  checkHealth,
  jsonAnswer,
  noApiError,
  statusError,
  decodeAnswer,
  pickTrace,
  traceAnswer,
  type TraceAnswer,
  type Health,
  type LookupOptions,
  type SearchQuery,
  type SearchResult,
  type TraceHit,
  type TraceSource,
} from './traceSource';

/** Tempo's "not found" is a 200 with an empty trace: a few dozen bytes. */
const EMPTY_ANSWER_MAX_BYTES = 4096;
const TENANT_HINT = 'no tenant, set `tenant` for this source (sent as X-Scope-OrgID)';

function traceQlString(value: string): string {
  return JSON.stringify(value);
}

const SCOPE = /^(span|resource|event|link|instrumentation)\./;
const PLAIN_NAME = /^[A-Za-z_][\w.]*$/;

/**
 * A scoped name (from attributeNames) keeps its scope; a bare one matches any scope (`.http.route`). A name
 * TraceQL cannot read bare is quoted after the scope: `span."http route"`.
 */
function traceQlAttribute(key: string): string {
  const scope = SCOPE.exec(key)?.[0] ?? '.';
  const name = scope === '.' ? key : key.slice(scope.length);
  return `${scope}${PLAIN_NAME.test(name) ? name : traceQlString(name)}`;
}

/**
 * What the user typed matches the attribute whatever its stored type: "500" is compared both as the number and
 * as the string (an attribute stored as the string "500" never equals the number 500 in TraceQL).
 */
function traceQlEquals(attribute: string, value: string): string {
  const typed = /^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false';
  return typed ? `(${attribute} = ${value} || ${attribute} = ${traceQlString(value)})` : `${attribute} = ${traceQlString(value)}`;
}

/** The TraceQL spanset filter for a search: every condition on one span. */
export function traceQl(query: SearchQuery): string {
  const conditions = [`resource.service.name = ${traceQlString(query.service)}`];
  if (query.operation) conditions.push(`name = ${traceQlString(query.operation)}`);
  if (query.minDurationNs) conditions.push(`duration >= ${goDuration(query.minDurationNs)}`);
  if (query.maxDurationNs) conditions.push(`duration <= ${goDuration(query.maxDurationNs)}`);
  for (const [key, value] of Object.entries(query.attributes ?? {})) conditions.push(traceQlEquals(traceQlAttribute(key), value));
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

const NO_API_HINT = "Tempo's query API listens on 3200 (or under its http_api_prefix); is this a distributor or another server?";
/** Tempo's own limit on one search's range (query_frontend.search.max_duration, 168 h by default). */
const MAX_RANGE_MS = 168 * 3600_000;

/** The router's answer for a path it has no route for (Go's http.NotFound), as opposed to Tempo's own 404s. */
function isRouterNotFound(answer: HttpAnswer): boolean {
  return answer.status === 404 && answer.body.toString('utf8').trim() === '404 page not found';
}

export class TempoSource implements TraceSource {
  readonly kind = 'tempo';
  readonly lookupUsesTimeRange = true;
  /** False once /api/v2/traces turned out to be missing (Tempo before 2.x). */
  private v2: boolean | undefined;

  constructor(
    readonly name: string,
    private readonly endpoint: Endpoint,
    private readonly limits: HttpLimits,
  ) {}

  describeApi(): string {
    return this.v2 === false ? 'Tempo /api/traces (v1; no /api/v2 at this URL), TraceQL search' : 'Tempo /api/v2/traces, TraceQL search';
  }

  private get(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<HttpAnswer> {
    return httpGet(this.endpoint, path, query, this.limits, signal);
  }

  private fail(answer: HttpAnswer): SourceError {
    const body = answer.body.toString('utf8');
    if (answer.status === 401 && /org ?id|tenant/i.test(body)) return new SourceError('status', `${this.endpoint.label} answered 401: ${TENANT_HINT}`);
    if (isRouterNotFound(answer)) return noApiError(this.endpoint, answer, NO_API_HINT);
    const limit = answer.status === 400 ? /range specified by start and end .*exceeds ([0-9hms]+)/.exec(body)?.[1] : undefined;
    if (limit)
      return new SourceError(
        'status',
        `${this.endpoint.label} searches at most ${limit.replace(/0m0s$/, '').replace(/0s$/, '')} at once (its query_frontend.search.max_duration): choose a shorter time range`,
      );
    return statusError(this.endpoint, answer);
  }

  /** Tempo wants unix seconds, at most 168 h apart: a longer lookback is cut to Tempo's limit. */
  private range(lookbackMs: number, limitToMax = false): { start: string; end: string } {
    const now = Math.ceil(Date.now() / 1000);
    const span = limitToMax ? Math.min(lookbackMs, MAX_RANGE_MS) : lookbackMs;
    return { start: String(Math.floor(now - span / 1000)), end: String(now) };
  }

  /** One lookup: the answer, undefined for Tempo's miss (200 with an empty trace, or v1's bare 404). */
  private async lookup(id: string, range: Record<string, string>, signal?: AbortSignal): Promise<TraceAnswer | undefined> {
    let answer = this.v2 === false ? undefined : await this.get(`api/v2/traces/${id}`, range, signal);
    if (answer && isRouterNotFound(answer)) {
      const v1 = await this.get(`api/traces/${id}`, range, signal);
      if (isRouterNotFound(v1)) throw this.fail(answer);
      this.v2 = false;
      answer = v1;
    } else if (answer) this.v2 = true;
    answer ??= await this.get(`api/traces/${id}`, range, signal);
    if (answer.status === 404 && !isRouterNotFound(answer)) return undefined;
    if (answer.status >= 400) throw this.fail(answer);
    const checked = traceAnswer(this.endpoint, answer);
    // Tempo's miss is an empty trace: only a small answer can be one, and only a small one is decoded here to tell.
    return checked.body.length > EMPTY_ANSWER_MAX_BYTES || decodeAnswer(checked).length ? checked : undefined;
  }

  async getTrace(traceId: string, options: LookupOptions = {}): Promise<Trace | undefined> {
    const answer = await this.fetchTrace(traceId, options);
    return answer && pickTrace(decodeAnswer(answer), traceId);
  }

  async fetchTrace(traceId: string, options: LookupOptions = {}): Promise<TraceAnswer | undefined> {
    const id = encodeURIComponent(traceId);
    // The range only narrows the blocks Tempo reads; a ranged miss may still be in an older block.
    return (
      (options.lookbackMs ? await this.lookup(id, this.range(options.lookbackMs), options.signal) : undefined) ?? (await this.lookup(id, {}, options.signal))
    );
  }

  async search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
    const answer = await this.get('api/search', { q: traceQl(query), limit: String(query.limit), ...this.range(query.lookbackMs) }, signal);
    if (answer.status >= 400) throw this.fail(answer);
    const body = jsonAnswer(this.endpoint, answer) as { traces?: TempoHit[] };
    if (body.traces !== undefined && !Array.isArray(body.traces))
      throw new SourceError('malformed', `${this.endpoint.label} answered ${answer.url} with an unexpected shape ("traces" is not a list)`);
    const hits = (body.traces ?? []).flatMap((t): TraceHit[] => {
      const traceId = normaliseTraceId(t.traceID);
      if (!traceId) return [];
      const stats = Object.values(t.serviceStats ?? {});
      return [
        {
          traceId,
          rootService: t.rootServiceName ?? '',
          rootName: t.rootTraceName ?? '',
          startUnixNano: /^\d+$/.test(t.startTimeUnixNano ?? '') ? t.startTimeUnixNano! : '',
          durationNs: (t.durationMs ?? 0) * 1e6,
          spanCount: stats.length ? stats.reduce((n, s) => n + (s.spanCount ?? 0), 0) : undefined,
          errorCount: stats.length ? stats.reduce((n, s) => n + (s.errorCount ?? 0), 0) : undefined,
        },
      ];
    });
    return { hits, notes: [] };
  }

  /** Tag calls without a range see only Tempo's live store (the last ~15 minutes): always send the widest range. */
  private tagRange(): { start: string; end: string } {
    return this.range(MAX_RANGE_MS, true);
  }

  private async tagValues(tag: string, q: string | undefined, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get(`api/v2/search/tag/${encodeURIComponent(tag)}/values`, { q, ...this.tagRange() }, signal);
    if (answer.status >= 400) throw this.fail(answer);
    const body = jsonAnswer(this.endpoint, answer) as { tagValues?: unknown };
    if (!Array.isArray(body.tagValues)) return [];
    return body.tagValues.map((v) => (typeof v === 'object' && v !== null && 'value' in v ? String((v as { value: unknown }).value) : String(v))).sort();
  }

  /** Scoped names as TraceQL writes them: `span.http.route`, `resource.k8s.namespace.name`. */
  async attributeNames(signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get('api/v2/search/tags', this.tagRange(), signal);
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
      return `${this.describeApi()}: ready, ${(await this.services(signal)).length} services in the last 7 days`;
    });
  }
}
