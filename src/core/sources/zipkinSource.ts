// Zipkin v2: trace by id, search (durations in µs, end time and lookback in ms), services and span names.
// Zipkin has no tenancy and no auth of its own; headers still go along for proxies in front of it.
import { normaliseTraceId, significantTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
import { httpGet, SourceError, type Endpoint, type HttpAnswer, type HttpLimits } from './httpClient';
import { checkHealth, hitFromTrace, jsonAnswer, statusError, stringList, tracesFromAnswer, type Health, type LookupOptions, type SearchQuery, type TraceHit, type TraceSource } from './traceSource';

export class ZipkinSource implements TraceSource {
  readonly kind = 'zipkin';
  readonly lookupUsesTimeRange = false;

  constructor(readonly name: string, private readonly endpoint: Endpoint, private readonly limits: HttpLimits) {}

  private get(path: string, query: Record<string, string | undefined>, signal?: AbortSignal): Promise<HttpAnswer> {
    return httpGet(this.endpoint, path, query, this.limits, signal);
  }

  async getTrace(traceId: string, options: LookupOptions = {}): Promise<Trace | undefined> {
    const wanted = normaliseTraceId(traceId);
    // Zipkin writes 64-bit ids as 16 hex digits; ask in that form so every version finds them.
    const asked = wanted ? significantTraceId(wanted) : traceId;
    const answer = await this.get(`api/v2/trace/${encodeURIComponent(asked)}`, {}, options.signal);
    if (answer.status === 404) return undefined;
    if (answer.status >= 400) throw statusError(this.endpoint, answer);
    const traces = tracesFromAnswer(this.endpoint, answer);
    return traces.find((t) => t.traceId === wanted) ?? traces[0];
  }

  async search(query: SearchQuery, signal?: AbortSignal): Promise<TraceHit[]> {
    const annotations = Object.entries(query.attributes ?? {}).map(([k, v]) => `${k}=${v}`);
    const answer = await this.get('api/v2/traces', {
      serviceName: query.service,
      spanName: query.operation,
      minDuration: query.minDurationNs ? String(Math.floor(query.minDurationNs / 1000)) : undefined,
      maxDuration: query.maxDurationNs && query.minDurationNs ? String(Math.ceil(query.maxDurationNs / 1000)) : undefined,
      annotationQuery: annotations.length ? annotations.join(' and ') : undefined,
      endTs: String(Date.now()),
      lookback: String(Math.round(query.lookbackMs)),
      limit: String(query.limit),
    }, signal);
    if (answer.status >= 400) throw statusError(this.endpoint, answer);
    const body = jsonAnswer(this.endpoint, answer);
    if (!Array.isArray(body)) throw new SourceError('malformed', `${this.endpoint.label} answered ${answer.url} with an unexpected shape (expected a list of traces)`);
    if (body.length === 0) return [];
    return tracesFromAnswer(this.endpoint, answer).map(hitFromTrace).sort((a, b) => (BigInt(b.startUnixNano || 0) > BigInt(a.startUnixNano || 0) ? 1 : -1));
  }

  async services(signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get('api/v2/services', {}, signal);
    if (answer.status >= 400) throw statusError(this.endpoint, answer);
    return stringList(this.endpoint, answer, jsonAnswer(this.endpoint, answer)).sort();
  }

  async operations(service: string, signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get('api/v2/spans', { serviceName: service }, signal);
    if (answer.status >= 400) throw statusError(this.endpoint, answer);
    return stringList(this.endpoint, answer, jsonAnswer(this.endpoint, answer)).sort();
  }

  /** The tag keys Zipkin is configured to index for search (AUTOCOMPLETE_KEYS); often empty. */
  async attributeNames(signal?: AbortSignal): Promise<string[]> {
    const answer = await this.get('api/v2/autocompleteKeys', {}, signal);
    if (answer.status >= 400) throw statusError(this.endpoint, answer);
    return stringList(this.endpoint, answer, jsonAnswer(this.endpoint, answer)).sort();
  }

  health(signal?: AbortSignal): Promise<Health> {
    return checkHealth(async () => `${(await this.services(signal)).length} services`);
  }
}
