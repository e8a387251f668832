// What every place traces come from offers: a trace by id, a search, the services and operations to search
// by, and a health check. HTTP backends, the local receiver's store and files all implement it.
import type { MessagePort } from 'node:worker_threads';
import { summariseTrace } from '../analysis/traceSummary';
import { decodeTraces } from '../formats/decode';
import { normaliseTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
import type { WaterfallModel } from '../waterfall/rows';
import { bodySnippet, displayUrl, SourceError, type Endpoint, type HttpAnswer } from './httpClient';

export type SourceKind = 'jaeger' | 'tempo' | 'zipkin';

export const SOURCE_LABELS: Record<SourceKind, string> = { jaeger: 'Jaeger', tempo: 'Tempo', zipkin: 'Zipkin' };

export interface SearchQuery {
  service: string;
  operation?: string;
  minDurationNs?: number;
  maxDurationNs?: number;
  /** Tag/attribute equality filters, e.g. {"http.response.status_code": "500"}. */
  attributes?: Record<string, string>;
  /** Search from now back this far. */
  lookbackMs: number;
  limit: number;
}

/** One search hit: enough for a picker row; the trace itself is fetched when picked. */
export interface TraceHit {
  traceId: string;
  rootService: string;
  rootName: string;
  /** Epoch ns as a decimal string; '' when the backend did not say. */
  startUnixNano: string;
  durationNs: number;
  spanCount?: number;
  errorCount?: number;
}

/** What a search found, and what the user should know about how (a filter applied here, not by the backend). */
export interface SearchResult {
  hits: TraceHit[];
  notes: string[];
}

/** One edge of a backend's own service dependency graph (Jaeger's /api/dependencies, Zipkin's). */
export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
  errorCount?: number;
}

export interface Health {
  ok: boolean;
  /** "Jaeger 2.x api_v3, 12 services" or why it is not usable. */
  detail: string;
}

export interface LookupOptions {
  signal?: AbortSignal;
  /** Hears a large trace's first rows ahead of it (`how`: where they came from, for the log). */
  preview?: (first: WaterfallModel, how: string) => void;
  /** How far back a backend that needs a time range should look for a trace id (Tempo, Jaeger legacy). */
  lookbackMs?: number;
}

export interface TraceSource {
  readonly name: string;
  readonly kind: SourceKind | 'receiver';
  /** Whether a lookup by id searches only a time range (then "not found" names the range). */
  readonly lookupUsesTimeRange: boolean;
  /** The trace, or undefined when this source does not have it. Other failures throw SourceError. */
  getTrace(traceId: string, options?: LookupOptions): Promise<Trace | undefined>;
  /**
   * The backend's answer holding the trace, not decoded (undefined when it has none): a large trace can then be
   * decoded elsewhere than on the caller's thread. `pickTrace` chooses it among the answer's traces.
   */
  fetchTrace?(traceId: string, options?: LookupOptions): Promise<TraceAnswer | undefined>;
  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult>;
  services(signal?: AbortSignal): Promise<string[]>;
  operations(service: string, signal?: AbortSignal): Promise<string[]>;
  /** Attribute (tag) names the backend can filter on, for search suggestions; absent where the API has none. */
  attributeNames?(signal?: AbortSignal): Promise<string[]>;
  /** The service dependency graph the backend computes itself; absent where its API has none. */
  dependencies?(lookbackMs: number, signal?: AbortSignal): Promise<DependencyLink[]>;
  health(signal?: AbortSignal): Promise<Health>;
  /** Which API this source talks to, as far as it has learned ("Jaeger api_v3", "Jaeger legacy /api"). */
  describeApi(): string;
}

export const DEFAULT_LOOKBACK_MS = 7 * 24 * 3600 * 1000;

export function describeLookback(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 48 && hours % 24 === 0) return `the last ${hours / 24} days`;
  if (hours >= 1 && Math.round(hours) === 1) return 'the last hour';
  if (hours >= 1) return `the last ${Math.round(hours)} hours`;
  return `the last ${Math.round(ms / 60_000)} minutes`;
}

export function hitFromTrace(trace: Trace): TraceHit {
  const s = summariseTrace(trace);
  return {
    traceId: s.traceId,
    rootService: s.rootService,
    rootName: s.rootName,
    startUnixNano: s.startUnixNano,
    durationNs: s.durationNs,
    spanCount: s.spanCount,
    errorCount: s.errorCount,
  };
}

/** A status that is not a success, as one message naming the backend, the status and what to do. */
export function statusError(endpoint: Endpoint, answer: HttpAnswer, hint = ''): SourceError {
  const snippet = bodySnippet(answer, endpoint.secrets);
  let advice = hint;
  if (!advice && (answer.status === 401 || answer.status === 403))
    advice = 'set credentials with "Trace Lens: Set Source Credentials…" (or --header on the CLI)';
  return new SourceError('status', `${endpoint.label} answered ${answer.status}${snippet ? `: ${snippet}` : ''}${advice ? `; ${advice}` : ''}`);
}

/** Parses a JSON answer, or says precisely what came instead (an HTML login page, a truncated body). */
export function jsonAnswer(endpoint: Endpoint, answer: HttpAnswer): unknown {
  const text = answer.body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    if (/text\/html/i.test(answer.contentType) || /^\s*</.test(text)) {
      throw new SourceError(
        'malformed',
        `${endpoint.label} answered ${answer.url} with an HTML page, not JSON (is the URL the API's base URL, or is a login proxy in the way?)`,
      );
    }
    throw new SourceError('malformed', `${endpoint.label} answered ${answer.url} with a body that is not valid JSON (${(error as Error).message})`);
  }
}

/** A backend's answer that holds a trace, as received, with what a message about it names. */
export interface TraceAnswer {
  body: Uint8Array;
  /** Where the body waits instead, posted by the source's own thread (the body is then empty); see FileSource. */
  port?: MessagePort;
  /** The trace itself, when the source holds it decoded and it is small (the body is then empty). */
  trace?: Trace;
  /** "Jaeger at http://…", the URL it answered: for a message if the body is no trace. */
  label: string;
  url: string;
}

/** The answer, checked that it is no HTML page (a login proxy), for decoding later. */
export function traceAnswer(endpoint: Endpoint, answer: HttpAnswer): TraceAnswer {
  if (/text\/html/i.test(answer.contentType)) jsonAnswer(endpoint, answer);
  return { body: answer.body, label: endpoint.label, url: answer.url };
}

/** Why an answer's body is no trace, as the message a SourceError carries. */
export function notATrace(answer: TraceAnswer, error: string): string {
  return `${answer.label} answered ${answer.url} with something that is not a trace: ${error}`;
}

/** Decodes a trace answer here, with the same decoders as files; a body that is no trace is a clear error. */
export function decodeAnswer(answer: TraceAnswer): Trace[] {
  const outcome = decodeTraces(answer.body);
  if (!outcome.ok) throw new SourceError('malformed', notATrace(answer, outcome.error));
  return outcome.traces;
}

export function tracesFromAnswer(endpoint: Endpoint, answer: HttpAnswer): Trace[] {
  return decodeAnswer(traceAnswer(endpoint, answer));
}

/** The asked trace among an answer's: the one with its id, else the answer's only trace (its id in another form). */
export function pickTrace<T extends { traceId: string }>(traces: readonly T[], traceId: string): T | undefined {
  const wanted = normaliseTraceId(traceId);
  return traces.find((t) => t.traceId === wanted) ?? (traces.length === 1 ? traces[0] : undefined);
}

export function stringList(endpoint: Endpoint, answer: HttpAnswer, value: unknown): string[] {
  if (!Array.isArray(value)) throw new SourceError('malformed', `${endpoint.label} answered ${answer.url} with an unexpected shape (expected a list)`);
  return value.map((v) => (typeof v === 'string' ? v : typeof v === 'object' && v && 'name' in v ? String((v as { name: unknown }).name) : String(v)));
}

/**
 * A 404 that is not the backend's own "not found": the route does not exist, so there is no such API at this
 * URL (an OTLP port, a proxy, a missing path prefix). Saying "trace not found" there would be a lie.
 */
export function noApiError(endpoint: Endpoint, answer: HttpAnswer, hint: string): SourceError {
  const snippet = bodySnippet(answer, endpoint.secrets);
  return new SourceError(
    'no-api',
    `no ${endpoint.label.replace(/ at .*/, '')} query API at ${displayUrl(endpoint.baseUrl)}: ${answer.url} answered 404${snippet ? ` "${snippet}"` : ''} (${hint})`,
  );
}

/** Newest first, by the start the backend reported. */
export function newestFirst(hits: TraceHit[]): TraceHit[] {
  return hits.sort((a, b) => (BigInt(b.startUnixNano || 0) > BigInt(a.startUnixNano || 0) ? 1 : -1));
}

/** Jaeger's and Zipkin's dependency links share one shape; anything else in the list is skipped. */
export function dependencyLinks(data: unknown): DependencyLink[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((item): DependencyLink[] => {
    const link = item as { parent?: unknown; child?: unknown; callCount?: unknown; errorCount?: unknown };
    if (typeof link?.parent !== 'string' || typeof link.child !== 'string') return [];
    const callCount = Number(link.callCount ?? 0);
    return [
      {
        parent: link.parent,
        child: link.child,
        callCount: Number.isFinite(callCount) ? callCount : 0,
        ...(typeof link.errorCount === 'number' ? { errorCount: link.errorCount } : {}),
      },
    ];
  });
}

/** Runs a probe that names what it found; a SourceError becomes an unhealthy result with its message. */
export async function checkHealth(probe: () => Promise<string>): Promise<Health> {
  try {
    return { ok: true, detail: await probe() };
  } catch (error) {
    if (error instanceof SourceError) return { ok: false, detail: error.message };
    throw error;
  }
}
