// A real HTTP server on 127.0.0.1 standing in for a tracing backend: routes answer with fixture bodies or
// misbehave on purpose (slow, cut off, oversized, HTML). Every request is recorded for assertions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export type Reply =
  { status?: number; body: string | Uint8Array; type?: string; headers?: Record<string, string>; gzip?: boolean } | { misbehave: 'slow' | 'cut-off' };

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export type Route = (request: RecordedRequest) => Reply | undefined;

export interface FakeBackend {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function answer(res: ServerResponse, reply: Reply): void {
  if ('misbehave' in reply) {
    if (reply.misbehave === 'slow') return; // never answers; the client's deadline must end it
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
    res.write('{"result":{"resourceSpans":[{"scopeSpans":[');
    setTimeout(() => res.destroy(), 20);
    return;
  }
  let body = typeof reply.body === 'string' ? Buffer.from(reply.body) : Buffer.from(reply.body);
  const headers: Record<string, string> = { 'content-type': reply.type ?? 'application/json', ...reply.headers };
  if (reply.gzip) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  res.writeHead(reply.status ?? 200, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

export async function startFakeBackend(route: Route): Promise<FakeBackend> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const recorded = { path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(recorded);
    answer(res, route(recorded) ?? { status: 404, body: '404 page not found', type: 'text/plain; charset=utf-8' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
