// Two services on the real OpenTelemetry Node SDK, "accounts" calling "ledger", exported with the exporter under
// test (OTLP to Jaeger, the Zipkin exporter to Zipkin). Every trace has a known start, duration, operation and
// attributes, so a search's answer can be checked exactly.
import { context, SpanKind, SpanStatusCode, trace, type Span as OtelSpan, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The trace ids of the traces the app recorded, by what each one is. */
export interface AccountsTraces {
  /** GET /accounts/{id}, 120 ms, user.id=42, calls ledger (GET /balance). Started 60 s ago. */
  user42: string;
  /** GET /accounts/{id}, 40 ms, user.id=7. Started 50 s ago. */
  user7: string;
  /** POST /accounts, 300 ms, status ERROR with no description, http.response.status_code 500. Started 40 s ago. */
  failed: string;
  /** GET /accounts/{id}, 50 ms, user.id=42, started 3 hours ago. */
  old: string;
}

function provider(service: string, exporter: SpanExporter): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '2.0.1' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
}

function server(tracer: Tracer, name: string, startMs: number, attributes: Record<string, string | number>): OtelSpan {
  return tracer.startSpan(name, {
    kind: SpanKind.SERVER,
    startTime: startMs,
    attributes: { 'http.request.method': name.split(' ')[0], 'http.route': name.split(' ')[1], ...attributes },
  });
}

export async function runAccountsApp(exporters: { accounts: SpanExporter; ledger: SpanExporter }): Promise<AccountsTraces> {
  const accountsProvider = provider('accounts', exporters.accounts);
  const ledgerProvider = provider('ledger', exporters.ledger);
  const accounts = accountsProvider.getTracer('accounts-app', '2.0.1');
  const ledger = ledgerProvider.getTracer('ledger-app', '2.0.1');
  const now = Date.now();

  const r42 = server(accounts, 'GET /accounts/{id}', now - 60_000, { 'user.id': '42', 'http.response.status_code': 200 });
  const call = accounts.startSpan(
    'GET',
    { kind: SpanKind.CLIENT, startTime: now - 60_000 + 10, attributes: { 'server.address': 'ledger', 'http.request.method': 'GET' } },
    trace.setSpan(context.active(), r42),
  );
  const balance = ledger.startSpan(
    'GET /balance',
    { kind: SpanKind.SERVER, startTime: now - 60_000 + 15, attributes: { 'http.route': '/balance' } },
    trace.setSpan(context.active(), call),
  );
  balance.end(now - 60_000 + 85);
  call.end(now - 60_000 + 90);
  r42.end(now - 60_000 + 120);

  const r7 = server(accounts, 'GET /accounts/{id}', now - 50_000, { 'user.id': '7', 'http.response.status_code': 200 });
  r7.end(now - 50_000 + 40);

  const failed = server(accounts, 'POST /accounts', now - 40_000, { 'http.response.status_code': 500 });
  failed.setStatus({ code: SpanStatusCode.ERROR });
  failed.end(now - 40_000 + 300);

  const old = server(accounts, 'GET /accounts/{id}', now - 3 * 3600_000, { 'user.id': '42', 'http.response.status_code': 200 });
  old.end(now - 3 * 3600_000 + 50);

  await Promise.all([accountsProvider.forceFlush(), ledgerProvider.forceFlush()]);
  await Promise.all([accountsProvider.shutdown(), ledgerProvider.shutdown()]);
  const id = (span: OtelSpan) => span.spanContext().traceId;
  return { user42: id(r42), user7: id(r7), failed: id(failed), old: id(old) };
}
