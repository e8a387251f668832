// Zipkin v2: trace by id, search (durations in µs, end time and lookback in ms), services and span names.
// Zipkin has no tenancy and no auth of its own; headers still go along for proxies in front of it. Zipkin's
// miss is a 404 saying "<id> not found"; any other 404 is a route that does not exist: no Zipkin API there.
import { normaliseTraceId, significantTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
import { httpGet, SourceError, type Endpoint, type HttpAnswer, type HttpLimits } from './httpClient';
import {
  checkHealth,
  dependencyLinks,
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
  type DependencyLink,
  type Health,
  type LookupOptions,
  type SearchQuery,
  type SearchResult,
  type TraceSource,
} from './traceSource';

const NO_API_HINT = "Zipkin's API and UI listen on 9411 under /api/v2; is this another server's port?";

function isZipkinMiss(answer: HttpAnswer): boolean {
  return answer.status === 404 && /^[0-9a-f]{16,32} not found/i.test(answer.body.toString('utf8').trim());
}

export class ZipkinSource implements TraceSource {
  readonly kind = 'zipkin';
  readonly lookupUsesTimeRange = false;

  constructor(
    readonly name: string,
    private readonly endpoint: Endpoint,
    private readonly limits: HttpLimits,
  ) {}

  describeApi(): string {
    return 'Zipkin v2 API';
  }

  /** Any answer but a success, as an error: a 404 here always means the route is missing. */
  private async get(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<HttpAnswer> {
    const answer = await httpGet(this.endpoint, path, query, this.limits, signal);
    if (answer.status < 400 || isZipkinMiss(answer)) return answer;
    throw answer.status === 404 ? noApiError(this.endpoint, answer, NO_API_HINT) : statusError(this.endpoint, answer);
  }

  async getTrace(traceId: string, options: LookupOptions = {}): Promise<Trace | undefined> {
    const answer = await this.fetchTrace(traceId, options);
    return answer && pickTrace(decodeAnswer(answer), traceId);
  }

  async fetchTrace(traceId: string, options: LookupOptions = {}): Promise<TraceAnswer | undefined> {
    const wanted = normaliseTraceId(traceId);
    // Zipkin writes 64-bit ids as 16 hex digits; ask in that form so every version finds them.
    const asked = wanted ? significantTraceId(wanted) : traceId;
    const answer = await this.get(`api/v2/trace/${encodeURIComponent(asked)}`, {}, options.signal);
    return isZipkinMiss(answer) ? undefined : traceAnswer(this.endpoint, answer);
  }

  async search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
    const annotations = Object.entries(query.attributes ?? {}).map(([k, v]) => `${k}=${v}`);
    // Zipkin takes maxDuration only with minDuration, and refuses minDuration=0: 1 µs stands for "no minimum".
    const minUs = query.minDurationNs ? Math.max(1, Math.floor(query.minDurationNs / 1000)) : query.maxDurationNs ? 1 : undefined;
    const answer = await this.get(
      'api/v2/traces',
      {
        serviceName: query.service,
        spanName: query.operation,
        minDuration: minUs === undefined ? undefined : String(minUs),
        maxDuration: query.maxDurationNs ? String(Math.ceil(query.maxDurationNs / 1000)) : undefined,
        annotationQuery: annotations.length ? annotations.join(' and ') : undefined,
        endTs: String(Date.now()),
        lookback: String(Math.round(query.lookbackMs)),
        limit: String(query.limit),
      },
      signal,
    );
    const body = jsonAnswer(this.endpoint, answer);
    if (!Array.isArray(body))
      throw new SourceError('malformed', `${this.endpoint.label} answered ${answer.url} with an unexpected shape (expected a list of traces)`);
    if (body.length === 0) return { hits: [], notes: [] };
    return { hits: newestFirst(tracesFromAnswer(this.endpoint, answer).map(hitFromTrace)), notes: [] };
  }

  async dependencies(lookbackMs: number, signal?: AbortSignal): Promise<DependencyLink[]> {
    const answer = await this.get('api/v2/dependencies', { endTs: String(Date.now()), lookback: String(Math.round(lookbackMs)) }, signal);
    return dependencyLinks(jsonAnswer(this.endpoint, answer));
  }

  async services(signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get('api/v2/services', {}, signal);
    return stringList(this.endpoint, answer, jsonAnswer(this.endpoint, answer)).sort();
  }

  async operations(service: string, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get('api/v2/spans', { serviceName: service }, signal);
    return stringList(this.endpoint, answer, jsonAnswer(this.endpoint, answer)).sort();
  }

  /** The tag keys Zipkin is configured to index for search (AUTOCOMPLETE_KEYS); often empty. */
  async attributeNames(signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get('api/v2/autocompleteKeys', {}, signal);
    return stringList(this.endpoint, answer, jsonAnswer(this.endpoint, answer)).sort();
  }

  health(signal?: AbortSignal): Promise<Health> {
    return checkHealth(async () => `${this.describeApi()}, ${(await this.services(signal)).length} services`);
  }
}
