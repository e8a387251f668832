// What a span says about the call it records, under both the current OpenTelemetry semantic conventions and the
// older names SDKs still send: a database statement, an HTTP or RPC target, its outcome. Detectors compare
// calls by these keys, so two calls of one endpoint with different ids read as the same call.
import { intAttribute, textAttribute } from '../../model/attributeRead';
import { isError, type Span } from '../../model/trace';
import { normaliseStatement } from './statement';

/** Key-value stores answer one key per call by design: repeats there are not N+1 queries (Sentry excludes Redis too). */
const KEY_VALUE_SYSTEMS = new Set(['redis', 'memcached', 'aerospike']);
const MAX_URL_LENGTH = 2_000;

export function dbSystem(span: Span): string | undefined {
  return textAttribute(span.attributes, 'db.system.name', 'db.system');
}

/** Spans that can record a call made from here (some database instrumentations leave the kind unset). */
export function mayCall(span: Span): boolean {
  return span.kind === 'client' || span.kind === 'internal' || span.kind === 'unspecified';
}

/** A query to a database (not a key-value store), by its client span. */
export function isQuery(span: Span): boolean {
  if (!mayCall(span)) return false;
  const system = dbSystem(span);
  return system !== undefined && !KEY_VALUE_SYSTEMS.has(system.toLowerCase());
}

/**
 * The query's statement with its literals replaced, or undefined when there is none to compare (a statement cut
 * off by the SDK, or no statement at all: then the operation and collection stand in, if present).
 */
export function queryKey(span: Span): string | undefined {
  const statement = textAttribute(span.attributes, 'db.query.text', 'db.statement');
  if (statement) return normaliseStatement(statement);
  const operation = textAttribute(span.attributes, 'db.operation.name', 'db.operation');
  const collection = textAttribute(span.attributes, 'db.collection.name', 'db.sql.table', 'db.mongodb.collection');
  return operation && collection ? `${operation.toUpperCase()} ${collection}` : undefined;
}

export function httpMethod(span: Span): string | undefined {
  const method = textAttribute(span.attributes, 'http.request.method', 'http.method')?.toUpperCase();
  return method === '_OTHER' ? undefined : method;
}

function parsedUrl(span: Span): URL | undefined {
  const raw = textAttribute(span.attributes, 'url.full', 'http.url');
  if (!raw || raw.length > MAX_URL_LENGTH) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** Who a client span called: the peer's service name when the SDK knows it, else its host (and port). */
export function peerOf(span: Span): string | undefined {
  const named = textAttribute(span.attributes, 'peer.service');
  if (named) return named;
  const host = textAttribute(span.attributes, 'server.address', 'net.peer.name', 'net.sock.peer.name');
  const port = intAttribute(span.attributes, 'server.port', 'net.peer.port');
  if (host) return port ? `${host}:${port}` : host;
  const url = parsedUrl(span);
  return url?.host || undefined;
}

const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|[A-Za-z0-9_-]*\d[A-Za-z0-9_-]{7,})$/i;

/** A path with its ids (numbers, UUIDs, long hex, long tokens with digits) replaced, without its query. */
export function pathTemplate(path: string): string {
  const bare = path.split(/[?#]/, 1)[0].slice(0, MAX_URL_LENGTH);
  return bare
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? '{id}' : segment))
    .join('/');
}

/** The endpoint a client span called, as a template: the SDK's own template when it sends one. */
export function targetOf(span: Span): string | undefined {
  const template = textAttribute(span.attributes, 'url.template', 'http.route');
  if (template) return template;
  const target = textAttribute(span.attributes, 'url.path', 'http.target');
  if (target) return pathTemplate(target);
  const url = parsedUrl(span);
  if (url) return pathTemplate(url.pathname);
  const rpcService = textAttribute(span.attributes, 'rpc.service');
  const rpcMethod = textAttribute(span.attributes, 'rpc.method');
  return rpcService && rpcMethod ? `${rpcService}/${rpcMethod}` : undefined;
}

/** An outgoing call to another service (HTTP or RPC), not a query and not a message. */
export function isRemoteCall(span: Span): boolean {
  return span.kind === 'client' && dbSystem(span) === undefined;
}

/** One string per endpoint: calls with equal keys called the same thing. */
export function callKey(span: Span): string {
  const peer = peerOf(span) ?? span.resource.serviceName;
  const method = httpMethod(span) ?? '';
  const target = targetOf(span) ?? span.name;
  return method ? `${peer} ${method} ${target}` : `${peer} ${target}`;
}

/** How a call's label reads in a finding's title: "payments:8080 GET /charge/{id}". */
export function callLabel(span: Span): string {
  return callKey(span).slice(0, 160);
}

export function responseStatus(span: Span): number | undefined {
  return intAttribute(span.attributes, 'http.response.status_code', 'http.status_code');
}

/** The call failed: an error status, a 5xx or a 429 (too many requests), or a timeout reported by its SDK. */
export function callFailed(span: Span): boolean {
  const status = responseStatus(span);
  if (status !== undefined) return status >= 500 || status === 429 || isError(span);
  return isError(span);
}

/** How many times the SDK says it sent this request again (retries and redirects). */
export function resendCount(span: Span): number {
  return intAttribute(span.attributes, 'http.request.resend_count') ?? 0;
}

/** The names a server span answers to, as a caller's `peerOf` would name it: its service, and host:port. */
export function servedAs(span: Span): string[] {
  const names = [span.resource.serviceName];
  const host = textAttribute(span.attributes, 'server.address', 'net.host.name');
  const port = intAttribute(span.attributes, 'server.port', 'net.host.port');
  if (host) names.push(port ? `${host}:${port}` : host);
  const hostHeader = textAttribute(span.attributes, 'http.host');
  if (hostHeader) names.push(hostHeader);
  return names;
}
