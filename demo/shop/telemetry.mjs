// The shop's OpenTelemetry setup, as a small service would write it: the Node SDK exporting OTLP/protobuf to
// OTEL_EXPORTER_OTLP_ENDPOINT (Trace Lens's receiver), W3C trace context across HTTP calls, and code.*
// attributes on every span taken from the caller's stack frame, the way OpenTelemetry's code attributes are.
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const LOG_FILE = join(dirname(fileURLToPath(import.meta.url)), 'logs', 'shop.log');
const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';
/** The shop's release: the demo moves it from 1.4.2 to 1.5.0 after a while (SHOP_VERSION). */
export const VERSION = process.env.SHOP_VERSION ?? '1.4.2';

export function startTelemetry(serviceName) {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': VERSION, 'deployment.environment.name': 'demo' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }), { scheduledDelayMillis: 500 })],
  });
  provider.register();
  const tracer = provider.getTracer(serviceName);
  const shutdown = async () => {
    await provider.shutdown().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  return { tracer, log: (level, message) => log(serviceName, level, message) };
}

/** file, line and function of whoever called traced(): the function a CodeLens belongs to. */
function callerLocation() {
  const frame = new Error().stack.split('\n')[3] ?? '';
  const m = /at (?:async )?(?:([\w$.<>]+) \()?file:\/\/(.+?):(\d+):\d+\)?$/.exec(frame.trim());
  return m ? { 'code.function.name': m[1] ?? '<anonymous>', 'code.file.path': m[2], 'code.line.number': Number(m[3]) } : {};
}

/** Runs `fn` in a span; an exception is recorded (with its stack) and marks the span failed. */
export async function traced(tracer, name, fn, { kind = SpanKind.INTERNAL, attributes = {} } = {}) {
  return tracer.startActiveSpan(name, { kind, attributes: { ...callerLocation(), ...attributes } }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

function log(service, level, message) {
  const traceId = trace.getActiveSpan()?.spanContext().traceId;
  mkdirSync(dirname(LOG_FILE), { recursive: true });
  appendFileSync(LOG_FILE, `${new Date().toISOString()} ${level.padEnd(5)} [${service}] ${message}${traceId ? ` trace_id=${traceId}` : ''}\n`);
}

/** An HTTP service: each request is a SERVER span continuing the caller's trace. */
export function serve(tracer, port, routes) {
  const server = createServer((req, res) => {
    const parent = propagation.extract(context.active(), req.headers);
    const url = new URL(req.url, 'http://localhost');
    const route = routes[`${req.method} ${url.pathname}`];
    const name = `${req.method} ${url.pathname}`;
    context.with(parent, () =>
      tracer.startActiveSpan(
        name,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': req.method,
            'url.path': url.pathname,
            'http.route': url.pathname,
            'server.address': '127.0.0.1',
            'server.port': port,
          },
        },
        async (span) => {
          let status = 200;
          let body;
          try {
            if (!route) {
              status = 404;
              body = { error: 'no such route' };
            } else body = await route(Object.fromEntries(url.searchParams));
          } catch (error) {
            status = error.status ?? 500;
            body = { error: error.message };
            span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
          }
          span.setAttribute('http.response.status_code', status);
          span.end();
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        },
      ),
    );
  });
  server.listen(port, '127.0.0.1');
  return server;
}

/** A CLIENT span around an HTTP call to another service, with the trace context in its headers. */
export function call(tracer, port, method, path) {
  return tracer.startActiveSpan(
    `${method} ${path.split('?')[0]}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': method, 'server.address': '127.0.0.1', 'server.port': port, 'url.full': `http://127.0.0.1:${port}${path}` },
    },
    (span) => {
      const headers = {};
      propagation.inject(context.active(), headers);
      return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            span.setAttribute('http.response.status_code', res.statusCode);
            if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
            span.end();
            const body = JSON.parse(text || '{}');
            if (res.statusCode >= 400) reject(Object.assign(new Error(body.error ?? `HTTP ${res.statusCode}`), { status: res.statusCode }));
            else resolve(body);
          });
        });
        req.on('error', (error) => {
          span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
          span.end();
          reject(error);
        });
        req.end();
      });
    },
  );
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
