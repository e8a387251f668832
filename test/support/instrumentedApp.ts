// A small instrumented "app" on the real OpenTelemetry Node SDK: it records a checkout request across services
// with attributes of every type, events, an exception, a link and an error status, and exports it with the
// exporter under test while an in-memory exporter keeps the SDK's own copy to compare with.
import { context, SpanKind, SpanStatusCode, trace, type Span as OtelSpan } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface AppRun {
  spans: ReadableSpan[];
}

function child(tracer: ReturnType<NodeTracerProvider['getTracer']>, parent: OtelSpan, name: string, kind: SpanKind): OtelSpan {
  return tracer.startSpan(name, { kind }, trace.setSpan(context.active(), parent));
}

/** Runs `requests` checkout requests; every third fails in the payment call. */
export async function runCheckoutApp(exporter: SpanExporter, requests: number, serviceName = 'checkout'): Promise<AppRun> {
  const memory = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': '1.4.2', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory), new BatchSpanProcessor(exporter, { maxExportBatchSize: 64, scheduledDelayMillis: 50 })],
  });
  const tracer = provider.getTracer('checkout-app', '0.3.0');
  let previous: OtelSpan | undefined;
  for (let i = 0; i < requests; i++) {
    const links = previous ? [{ context: previous.spanContext(), attributes: { 'link.reason': 'retry-of' } }] : [];
    const server = tracer.startSpan('POST /checkout', {
      kind: SpanKind.SERVER,
      links,
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/checkout',
        'http.response.status_code': 200,
        'cart.total': 12.5 + i,
        'cart.items': ['sku-1', 'sku-2'],
        'user.vip': i % 2 === 0,
      },
    });
    const db = child(tracer, server, 'SELECT carts', SpanKind.CLIENT);
    db.setAttributes({
      'db.system.name': 'postgresql',
      'db.query.text': 'SELECT * FROM carts WHERE id = $1',
      'code.function.name': 'loadCart',
      'code.file.path': '/srv/app/cart.ts',
      'code.line.number': 42,
    });
    db.addEvent('rows fetched', { 'db.rows': 3 });
    db.end();
    const pay = child(tracer, server, 'POST /pay', SpanKind.CLIENT);
    if (i % 3 === 2) {
      pay.recordException(new Error(`card declined for order ${i}`));
      pay.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      server.setStatus({ code: SpanStatusCode.ERROR });
    } else pay.setStatus({ code: SpanStatusCode.OK });
    pay.end();
    server.end();
    previous = server;
  }
  await provider.forceFlush();
  // Shutting down clears the in-memory exporter: take its copy first.
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return { spans };
}
