// GET requests to tracing backends over undici: connect and total timeouts, cancellation, retries on the
// statuses that mean "try again" (honouring Retry-After), a response size cap that holds after gzip, and error
// messages that name the backend and never carry a credential.
import { gunzipSync } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';

export interface HttpLimits {
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxResponseBytes: number;
  /** Extra attempts after a 429/502/503/504. */
  retries: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { connectTimeoutMs: 5_000, totalTimeoutMs: 10_000, maxResponseBytes: 64 * 1024 * 1024, retries: 2 };

/** Where and how to reach one backend. `label` names it in every message ("Jaeger at http://host:16686"). */
export interface Endpoint {
  label: string;
  baseUrl: string;
  headers: Record<string, string>;
  /** Values that must never appear in a message (tokens, passwords, header values). */
  secrets: string[];
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: Buffer;
  /** For messages: "http://host:16686/api/v3/traces/abc". */
  url: string;
}

export type SourceErrorKind = 'unreachable' | 'timeout' | 'too-large' | 'cut-off' | 'status' | 'no-api' | 'malformed' | 'cancelled';

export class SourceError extends Error {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const MAX_RETRY_WAIT_MS = 10_000;

const agents = new Map<number, Agent>();
function agentFor(connectTimeoutMs: number): Dispatcher {
  let agent = agents.get(connectTimeoutMs);
  if (!agent) agents.set(connectTimeoutMs, (agent = new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 10_000 })));
  return agent;
}

/** Closes the kept-alive connections to backends (the extension calls it when its sources go away). */
export async function closeConnections(): Promise<void> {
  const open = [...agents.values()];
  agents.clear();
  await Promise.all(open.map((agent) => agent.close().catch(() => undefined)));
}

/** Each secret as it may come back in an answer: as is, JSON-escaped, URL-encoded. */
function secretForms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')])];
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first: a short secret inside a longer one must not leave the rest of the longer one readable.
  const forms = secrets
    .filter((s) => s.length >= 3)
    .flatMap(secretForms)
    .sort((a, b) => b.length - a.length);
  for (const form of forms) out = out.split(form).join('•••');
  return out;
}

/** A base URL for messages: no user:password part, no trailing slash. */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return baseUrl;
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Retry-After as seconds or an HTTP date; capped so a hostile value cannot park a request. */
export function retryDelayMs(header: string | string[] | undefined, attempt: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined) {
    const secs = Number(value);
    if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, MAX_RETRY_WAIT_MS);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.min(Math.max(0, date - Date.now()), MAX_RETRY_WAIT_MS);
  }
  return 250 * 2 ** attempt;
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

function networkError(error: unknown, endpoint: Endpoint, limits: HttpLimits, callerSignal: AbortSignal | undefined): SourceError {
  if (error instanceof SourceError) return error;
  if (callerSignal?.aborted) return new SourceError('cancelled', `request to ${endpoint.label} was cancelled`);
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new SourceError('timeout', `${endpoint.label} did not answer within ${seconds(limits.totalTimeoutMs)}`);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new SourceError('timeout', `${endpoint.label} did not accept a connection within ${seconds(limits.connectTimeoutMs)}`);
  if (code === 'ECONNREFUSED') return new SourceError('unreachable', `${endpoint.label} is not reachable: connection refused (is it running?)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new SourceError('unreachable', `${endpoint.label} is not reachable: the host name does not resolve`);
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return new SourceError('cut-off', `the answer from ${endpoint.label} was cut off before it was complete`);
  }
  return new SourceError('unreachable', redact(`${endpoint.label} failed: ${err.message ?? String(error)}`, endpoint.secrets));
}

async function readCapped(body: AsyncIterable<Uint8Array>, max: number, endpoint: Endpoint): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) throw tooLarge(endpoint, max);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(endpoint: Endpoint, max: number): SourceError {
  return new SourceError(
    'too-large',
    `${endpoint.label} answered with more than ${Math.round(max / 1048576)} MiB; refused (raise traceLens.http.maxResponseMiB to allow it)`,
  );
}

export function buildUrl(baseUrl: string, path: string, query: Record<string, string | undefined> = {}): string {
  const url = new URL(baseUrl.replace(/\/?$/, '/') + path.replace(/^\//, ''));
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export async function httpGet(
  endpoint: Endpoint,
  path: string,
  query: Record<string, string | undefined>,
  limits: HttpLimits,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  const url = buildUrl(endpoint.baseUrl, path, query);
  const shownUrl = displayUrl(url);
  const deadline = AbortSignal.timeout(limits.totalTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await request(url, {
        method: 'GET',
        headers: { accept: 'application/json', 'accept-encoding': 'gzip', 'user-agent': 'trace-lens', ...endpoint.headers },
        signal: combined,
        dispatcher: agentFor(limits.connectTimeoutMs),
      });
      if (RETRY_STATUSES.has(res.statusCode) && attempt < limits.retries) {
        await res.body.dump().catch(() => undefined);
        await wait(retryDelayMs(res.headers['retry-after'], attempt), combined);
        continue;
      }
      const declared = Number(res.headers['content-length']);
      if (declared > limits.maxResponseBytes) {
        res.body.destroy();
        throw tooLarge(endpoint, limits.maxResponseBytes);
      }
      let body = await readCapped(res.body, limits.maxResponseBytes, endpoint);
      if (String(res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') body = gunzip(body, endpoint, limits);
      return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body, url: shownUrl };
    } catch (error) {
      throw networkError(error, endpoint, limits, signal);
    }
  }
}

function gunzip(body: Buffer, endpoint: Endpoint, limits: HttpLimits): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: limits.maxResponseBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(endpoint, limits.maxResponseBytes);
    throw new SourceError('malformed', `${endpoint.label} sent a gzip body that does not decompress: ${(error as Error).message}`);
  }
}

/**
 * The first line of a body, for messages: short, printable, with secrets removed. Redacted before it is cut, so
 * a secret echoed across the cut cannot show its first characters.
 */
export function bodySnippet(answer: HttpAnswer, secrets: readonly string[]): string {
  const line = answer.body.subarray(0, 8192).toString('utf8').split('\n')[0];
  const text = redact(line, secrets)
    .replace(/[^\x20-\x7e•]/g, ' ')
    .trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
