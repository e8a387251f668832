// The built-in OTLP/HTTP receiver (and, on its own port, Zipkin's v2 span intake). It answers as the OTLP spec
// and the Collector do, so an exporter's retry logic and error logs behave as against a real collector.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Decoded } from '../formats/decodeResult';
import { newDecodeTables, type DecodeTables } from '../formats/decodeTables';
import { decodeOtlpRequest, decodeZipkinRequest, type BatchOutcome } from './exportRequest';
import {
  CONTENT_TYPES,
  exportResponse,
  RPC_DEADLINE_EXCEEDED,
  RPC_INVALID_ARGUMENT,
  RPC_RESOURCE_EXHAUSTED,
  statusBody,
  type WireEncoding,
} from './otlpResponse';
import { QUERY_PREFIX, queryAnswer, sendQueryAnswer } from './queryApi';
import { BodyError, readBody } from './requestBody';
import type { SpanStore } from './spanStore';
import { counted } from '../analysis/counted';

export type ReceiverProtocol = 'otlp' | 'zipkin';

export interface ReceiverOptions {
  protocol: ReceiverProtocol;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Binding a non-loopback address exposes the receiver to the network; it takes an explicit yes. */
  allowRemote?: boolean;
  maxBodyBytes?: number;
  requestTimeoutMs?: number;
  /** Rejected requests and partial successes, for a log channel. */
  log?: (message: string) => void;
  /** Answers Jaeger's query API (queryApi.ts) on this port too, when the user turned it on (never on Zipkin's port). */
  answersQueries?: boolean;
}

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_PORTS: Record<ReceiverProtocol, number> = { otlp: 4318, zipkin: 9411 };

export interface ReceiverCounts {
  requests: number;
  failedRequests: number;
  acceptedSpans: number;
  rejectedSpans: number;
  /** Spans accepted per service name, since the receiver started. */
  services: Map<string, number>;
}

/** The counts of several receivers (OTLP and Zipkin) as one. */
export function combinedCounts(receivers: readonly TraceReceiver[]): ReceiverCounts {
  const sum: ReceiverCounts = { requests: 0, failedRequests: 0, acceptedSpans: 0, rejectedSpans: 0, services: new Map() };
  for (const { counts } of receivers) {
    sum.requests += counts.requests;
    sum.failedRequests += counts.failedRequests;
    sum.acceptedSpans += counts.acceptedSpans;
    sum.rejectedSpans += counts.rejectedSpans;
    for (const [service, n] of counts.services) sum.services.set(service, (sum.services.get(service) ?? 0) + n);
  }
  return sum;
}

export type StartFailure = 'in-use' | 'not-loopback' | 'not-permitted' | 'other';

export class ReceiverStartError extends Error {
  constructor(
    readonly reason: StartFailure,
    message: string,
  ) {
    super(message);
  }
}

interface Route {
  path: string;
  successStatus: number;
  encodings: WireEncoding[];
  decode(body: Buffer, encoding: WireEncoding, tables: DecodeTables): BatchOutcome;
}

const ROUTES: Record<ReceiverProtocol, Route> = {
  otlp: { path: '/v1/traces', successStatus: 200, encodings: ['protobuf', 'json'], decode: decodeOtlpRequest },
  zipkin: { path: '/api/v2/spans', successStatus: 202, encodings: ['json'], decode: (body) => decodeZipkinRequest(body) },
};

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** A peer's address as a socket gives it (an IPv4 peer of a dual-stack socket comes as ::ffff:127.0.0.1). */
export function isLoopbackAddress(address: string): boolean {
  return isLoopbackHost(address.replace(/^::ffff:/i, ''));
}

/** The name in a Host header, without its port (and without the brackets of an IPv6 address). */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(header);
  return (bracketed ? bracketed[1] : header.replace(/:\d*$/, '')).toLowerCase();
}

function encodingOf(req: IncomingMessage): WireEncoding | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** Why spans were rejected: the decoder's reasons, which sit on the batch or, once a trace id was read, on its trace. */
function rejectionMessage(decoded: Decoded): string {
  const all = [...decoded.warnings, ...decoded.traces.flatMap((t) => t.warnings)];
  const reasons = all
    .filter((w) => w.code === 'invalid-id' || w.code === 'invalid-time')
    .slice(0, 3)
    .map((w) => w.message);
  return `${counted(decoded.rejectedSpans, 'span')} rejected: ${reasons.length ? reasons.join('; ') : 'spans need a valid trace id, span id and start time'}`;
}

const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

export class TraceReceiver {
  readonly counts: ReceiverCounts = { requests: 0, failedRequests: 0, acceptedSpans: 0, rejectedSpans: 0, services: new Map() };
  private server: Server | undefined;
  private readonly route: Route;
  /**
   * One set per encoding: the tables find what they hold by its bytes, and bytes a JSON request held could come
   * again in a protobuf one, where they mean something else (or are malformed).
   */
  private readonly tables: Record<WireEncoding, DecodeTables> = { protobuf: newDecodeTables(), json: newDecodeTables() };

  constructor(
    private readonly store: SpanStore,
    private readonly options: ReceiverOptions,
  ) {
    this.route = ROUTES[options.protocol];
  }

  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  /** The URL an exporter's endpoint setting takes (OTLP exporters append /v1/traces themselves). */
  get endpoint(): string | undefined {
    const port = this.port;
    if (port === undefined) return undefined;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${port}`;
  }

  start(): Promise<number> {
    const { host, port, allowRemote } = this.options;
    if (!isLoopbackHost(host) && !allowRemote) {
      return Promise.reject(
        new ReceiverStartError('not-loopback', `refusing to listen on ${host}: only loopback addresses are allowed unless remote access is enabled explicitly`),
      );
    }
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        this.options.log?.(`internal error on ${req.method} ${req.url}: ${error.stack ?? error.message}`);
        text(res, 500, 'internal receiver error');
      });
    });
    server.headersTimeout = this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    server.on('clientError', (_error, socket) => {
      // Unparseable HTTP (e.g. a Content-Length that lies short): answer if the socket still can, then close it.
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nmalformed HTTP request\n');
      else socket.destroy();
    });
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(startError(error, host, port)));
      server.listen({ host, port, exclusive: true }, () => {
        this.server = server;
        resolve(this.port ?? port);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /**
   * A web page can point a name it controls at 127.0.0.1 (DNS rebinding) and then post to the receiver as a
   * same-origin request; its Host header still carries that name. Only loopback names and the configured host
   * are this receiver, unless remote access was allowed.
   */
  private hostAllowed(req: IncomingMessage): boolean {
    if (this.options.allowRemote) return true;
    const name = hostName(req.headers.host ?? '');
    return isLoopbackHost(name) || name === this.options.host.toLowerCase();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.hostAllowed(req)) {
      this.counts.failedRequests++;
      this.options.log?.(`refused a request for host "${(req.headers.host ?? '').slice(0, 100)}" from ${req.socket.remoteAddress}: not a loopback name`);
      return text(res, 403, `Host "${(req.headers.host ?? '').slice(0, 100)}" is not this receiver: send to 127.0.0.1 or localhost`);
    }
    const path = (req.url ?? '').split('?')[0];
    if (path.startsWith(QUERY_PREFIX) && this.options.protocol === 'otlp') {
      if (this.options.answersQueries) return this.query(req, res, path);
      // Said, not a bare 404: a Jaeger client pointed here names it in its "no query API" error.
      return text(
        res,
        404,
        `the receiver's query API is off: turn on traceLens.receiver.answerQueries (user settings), or run trace-lens receive --answer-queries`,
      );
    }
    const origin = req.headers.origin;
    if (origin && LOCAL_ORIGIN.test(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (path !== this.route.path) return text(res, 404, `nothing at ${path.slice(0, 100)}; send spans with POST ${this.route.path}`);
    if (req.method === 'OPTIONS') return preflight(req, res);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      return text(res, 405, `${req.method} is not allowed; send spans with POST ${this.route.path}`);
    }
    const encoding = encodingOf(req);
    if (!encoding || !this.route.encodings.includes(encoding)) {
      const supported = this.route.encodings.map((e) => CONTENT_TYPES[e]).join(', ');
      return this.fail(req, res, 415, undefined, `unsupported media type "${req.headers['content-type'] ?? ''}", supported: [${supported}]`);
    }
    this.counts.requests++;
    let body: Buffer;
    try {
      body = await readBody(req, {
        maxBytes: this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        timeoutMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      return this.fail(req, res, error.status, encoding, error.message);
    }
    const outcome = this.route.decode(body, encoding, this.tables[encoding]);
    if (!outcome.ok) return this.fail(req, res, 400, encoding, outcome.error);
    this.accept(outcome.decoded);
    const rejected = outcome.decoded.rejectedSpans;
    const message = rejected > 0 ? rejectionMessage(outcome.decoded) : '';
    if (rejected > 0) this.options.log?.(`partial success from ${req.socket.remoteAddress}: ${message}`);
    if (this.route.successStatus === 202) return send(res, 202, 'text/plain', Buffer.alloc(0));
    send(res, 200, CONTENT_TYPES[encoding], exportResponse(encoding, rejected, message));
  }

  /**
   * A read of what the store holds: only from this machine (a receiver opened to the network takes spans from it
   * but answers it no reads), and never for a web page (no CORS header lets one read the answer, and one that
   * says where it comes from is refused).
   */
  private query(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (!isLoopbackAddress(req.socket.remoteAddress ?? '')) return text(res, 403, 'traces are read only from this machine');
    if (req.headers.origin) return text(res, 403, 'traces are not read by web pages');
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return text(res, 405, `${req.method} is not allowed: the query API only reads (GET)`);
    }
    const answer = queryAnswer(this.store, path, new URL(req.url ?? '', 'http://receiver').searchParams);
    if (!answer) return text(res, 404, `nothing at ${path.slice(0, 100)}; the query API answers Jaeger's /api/v3 routes and /api/dependencies`);
    sendQueryAnswer(res, answer);
  }

  private accept(decoded: Decoded): void {
    this.store.add(decoded.traces);
    this.counts.rejectedSpans += decoded.rejectedSpans;
    for (const trace of decoded.traces) {
      this.counts.acceptedSpans += trace.spans.length;
      // Counted by runs of one service (a batch's spans come in them): a lookup per run, not per span.
      let run = 0;
      for (let i = 0; i < trace.spans.length; i++) {
        run++;
        const service = trace.spans[i].resource.serviceName;
        if (i + 1 === trace.spans.length || trace.spans[i + 1].resource.serviceName !== service) {
          this.countService(service, run);
          run = 0;
        }
      }
    }
  }

  private countService(service: string, spans: number): void {
    const services = this.counts.services;
    const name = countedService(services, service);
    services.set(name, (services.get(name) ?? 0) + spans);
  }

  private fail(req: IncomingMessage, res: ServerResponse, status: number, encoding: WireEncoding | undefined, message: string): void {
    this.counts.failedRequests++;
    this.options.log?.(`answered ${status} to ${req.method} ${req.url} from ${req.socket.remoteAddress}: ${message}`);
    // A body still arriving is read and dropped (bounded) after the answer, never cut off under the client.
    if (!req.complete) this.discardRest(req);
    if (!encoding) return text(res, status, message);
    const code = status === 413 ? RPC_RESOURCE_EXHAUSTED : status === 408 ? RPC_DEADLINE_EXCEEDED : RPC_INVALID_ARGUMENT;
    send(res, status, CONTENT_TYPES[encoding], statusBody(encoding, code, message));
  }

  /**
   * Closing a socket while the client still sends makes its kernel answer with a reset, and the client sees
   * ECONNRESET instead of the 413 it was sent. The rest of the body is read and dropped instead, up to a bound
   * (64 MiB or the body limit, whichever is more, and the request deadline); past that the connection is cut.
   * Dropped bytes are never kept.
   */
  private discardRest(req: IncomingMessage): void {
    const limit = Math.max(MAX_DISCARDED_BYTES, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    let dropped = 0;
    const cut = () => req.destroy();
    const timer = setTimeout(cut, this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > limit) cut();
    });
    req.once('close', () => clearTimeout(timer));
    req.resume();
  }
}

/**
 * The per-service counters live as long as the receiver: a sender inventing service names must not grow them
 * without end. Names are cut, and past a few hundred services the rest are counted together.
 */
const MAX_COUNTED_SERVICES = 256;
const MAX_COUNTED_NAME = 200;
export const OTHER_SERVICES = '(other services)';

function countedService(services: Map<string, number>, name: string): string {
  const cut = name.length > MAX_COUNTED_NAME ? `${name.slice(0, MAX_COUNTED_NAME)}…` : name;
  return services.has(cut) || services.size < MAX_COUNTED_SERVICES ? cut : OTHER_SERVICES;
}

function send(res: ServerResponse, status: number, contentType: string, body: Buffer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
  // As a latin1 string (the same bytes), Node writes the body with its headers in one write; a Buffer took a second
  // (writev): 20 µs more of the receiver's CPU per request, measured alone.
  res.end(body.toString('latin1'), 'latin1');
}

function text(res: ServerResponse, status: number, message: string): void {
  send(res, status, 'text/plain; charset=utf-8', Buffer.from(`${message}\n`));
}

function preflight(req: IncomingMessage, res: ServerResponse): void {
  if (res.hasHeader('Access-Control-Allow-Origin')) {
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(204).end();
}

function startError(error: NodeJS.ErrnoException, host: string, port: number): ReceiverStartError {
  if (error.code === 'EADDRINUSE') {
    return new ReceiverStartError(
      'in-use',
      `port ${port} on ${host} is already in use (an OpenTelemetry Collector, another VS Code window or another app listens there)`,
    );
  }
  if (error.code === 'EACCES') return new ReceiverStartError('not-permitted', `not permitted to listen on ${host}:${port}`);
  return new ReceiverStartError('other', `could not listen on ${host}:${port}: ${error.message}`);
}
