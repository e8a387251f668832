// trace-lens receive: the receiver without an editor, to check from a terminal that an app really exports
// spans. Live counts per service while it runs; one summary at the end (one JSON line with --json); with --out,
// what it received saved as OTLP JSON Lines (as Export Received Traces writes) for `hotspots`, `show` and CI.
import { writeFileSync } from 'node:fs';
import { toOtlpJsonLines } from '../core/formats/otlpJsonWriter';
import { parseDurationNs } from '../core/model/durationText';
import type { Trace } from '../core/model/trace';
import { SpanStore } from '../core/receiver/spanStore';
import { combinedCounts, DEFAULT_PORTS, ReceiverStartError, TraceReceiver, type ReceiverCounts } from '../core/receiver/traceReceiver';
import { UsageError, type ParsedArgs } from './args';
import { InputError } from './showCommand';
import { printError, terminalField } from './terminal';

const TICK_MS = 1000;

function portOption(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (raw === true || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--${name} needs a port number (0-65535)`);
  return port;
}

function forOption(args: ParsedArgs): number | undefined {
  const raw = args.options.get('for');
  if (raw === undefined) return undefined;
  const ns = raw === true ? undefined : parseDurationNs(raw);
  if (ns === undefined || ns <= 0) throw new UsageError('--for needs a duration such as 30s, 500ms or 2m');
  return ns / 1e6;
}

function serviceCounts(counts: ReceiverCounts): string {
  return [...counts.services]
    .sort((a, b) => b[1] - a[1])
    .map(([service, n]) => `${terminalField(service)} ${n}`)
    .join(' · ');
}

function untilStopped(ms: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    function done() {
      clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    }
  });
}

/** Written once at the start too, so an unwritable path fails before the app runs, not after. */
function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message}`);
  }
}

function saveReceived(store: SpanStore, path: string): { traces: number; spans: number } {
  const traces = store
    .list()
    .reverse()
    .map((info) => store.rawTrace(info.traceId))
    .filter((t): t is Trace => t !== undefined);
  writeOut(path, toOtlpJsonLines(traces));
  return { traces: traces.length, spans: traces.reduce((n, t) => n + t.spans.length, 0) };
}

async function startAll(receivers: TraceReceiver[], hint: string): Promise<void> {
  try {
    for (const receiver of receivers) await receiver.start();
  } catch (error) {
    await Promise.all(receivers.map((r) => r.stop()));
    if (error instanceof ReceiverStartError) throw new InputError(`${error.message}; ${hint}`);
    throw error;
  }
}

export async function receiveCommand(args: ParsedArgs, out: (text: string) => void): Promise<void> {
  const json = args.options.has('json');
  // With --json, stdout carries only the final JSON line; the live view goes to stderr.
  const live = json ? printError : out;
  const host = typeof args.options.get('host') === 'string' ? (args.options.get('host') as string) : '127.0.0.1';
  const port = portOption(args, 'port', DEFAULT_PORTS.otlp);
  const zipkinPort = args.options.has('zipkin-port') ? portOption(args, 'zipkin-port', DEFAULT_PORTS.zipkin) : undefined;
  const seconds = forOption(args);
  const allowRemote = args.options.has('allow-remote');
  const log = (message: string) => live(`! ${terminalField(message)}`);
  const outPath = args.options.get('out');
  if (outPath === true) throw new UsageError('--out needs a file path');
  if (outPath !== undefined) writeOut(outPath, '');

  const store = new SpanStore();
  const otlp = new TraceReceiver(store, { protocol: 'otlp', host, port, allowRemote, log, answersQueries: args.options.has('answer-queries') });
  const receivers = [otlp];
  if (zipkinPort !== undefined) receivers.push(new TraceReceiver(store, { protocol: 'zipkin', host, port: zipkinPort, allowRemote, log }));
  await startAll(receivers, 'pick another with --port (or --zipkin-port), or use --allow-remote to listen beyond loopback');

  live(`listening for OTLP/HTTP on ${otlp.endpoint}/v1/traces${zipkinPort !== undefined ? ` and Zipkin on ${receivers[1].endpoint}/api/v2/spans` : ''}`);
  live(`point your app at it: OTEL_EXPORTER_OTLP_ENDPOINT=${otlp.endpoint} OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`);
  if (args.options.has('answer-queries')) live(`read what it holds as from a Jaeger (agents too): trace-lens mcp --source receiver --url ${otlp.endpoint}`);
  const endpoint = otlp.endpoint;
  const started = Date.now();
  let shown = 0;
  const ticker = setInterval(() => {
    const c = combinedCounts(receivers);
    if (c.acceptedSpans + c.rejectedSpans + c.failedRequests === shown) return;
    shown = c.acceptedSpans + c.rejectedSpans + c.failedRequests;
    const clock = new Date().toISOString().slice(11, 19);
    live(
      `${clock}  ${c.acceptedSpans} spans in ${c.requests} requests${c.rejectedSpans ? `, ${c.rejectedSpans} rejected` : ''}${c.failedRequests ? `, ${c.failedRequests} failed requests` : ''}  ${serviceCounts(c)}`,
    );
  }, TICK_MS);

  await untilStopped(seconds);
  clearInterval(ticker);
  await Promise.all(receivers.map((r) => r.stop()));
  store.dispose();

  const saved = outPath === undefined ? undefined : saveReceived(store, outPath);
  const c = combinedCounts(receivers);
  const size = store.size;
  const services = Object.fromEntries([...c.services].sort((a, b) => a[0].localeCompare(b[0])));
  const errorTraces = store.list().filter((trace) => trace.errorCount > 0).length;
  const summary = {
    spans: c.acceptedSpans,
    traces: size.traces + size.evictedTraces,
    rejected: c.rejectedSpans,
    requests: c.requests,
    failedRequests: c.failedRequests,
    duplicates: size.duplicateSpans,
    tracesWithErrors: errorTraces,
    services,
    endpoint,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    ...(saved && { saved: { file: outPath, ...saved, evictedTraces: size.evictedTraces } }),
  };
  if (json) out(JSON.stringify(summary));
  else {
    out(
      `received ${c.acceptedSpans} spans in ${summary.traces} traces from ${Object.keys(services).length} services (${c.rejectedSpans} rejected, ${c.failedRequests} failed requests, ${errorTraces} traces with errors)`,
    );
    if (saved)
      out(
        `saved ${saved.traces} traces (${saved.spans} spans) to ${outPath} as OTLP JSON Lines${size.evictedTraces ? `; ${size.evictedTraces} older traces had been dropped when the store was full` : ''}`,
      );
  }
}
