// npm run bench (second part): receiver ingest over loopback. The receiver runs alone in a child process (as it
// runs in the extension host); 4 concurrent senders in this process post pre-encoded export batches of 512
// typical spans, each sender waiting for its answer before the next batch, as the SDK's batch processor does.
// Printed beside the floor: decoding the same bodies in one process with no HTTP and no store.
// Targets (issue 4, 2-core machine): protobuf ≥ 150k spans/s, JSON ≥ 60k spans/s, ≤ 1 KB heap per stored span.
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { decodeOtlpRequest } from '../src/core/receiver/exportRequest';
import type { WireEncoding } from '../src/core/receiver/otlpResponse';
import { SpanStore } from '../src/core/receiver/spanStore';
import { TraceReceiver } from '../src/core/receiver/traceReceiver';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../test/support/otelEncode';
import { syntheticBatch } from '../test/support/syntheticTrace';

const BATCH_TRACES = 16;
const SPANS_PER_TRACE = 32;
const BATCH_SPANS = BATCH_TRACES * SPANS_PER_TRACE;
const SENDERS = 4;
const CONTENT_TYPE: Record<WireEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

type ChildMessage = { port: number } | { heapPerSpan: number; estimatePerSpan: number; spans: number };

function bodies(encoding: WireEncoding, batches: number): Buffer[] {
  const encode = encoding === 'protobuf' ? encodeOtlpProtobuf : encodeOtlpJson;
  return Array.from({ length: batches }, (_, b) => Buffer.from(encode(syntheticBatch(b + 1, BATCH_TRACES, SPANS_PER_TRACE))));
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Child: the receiver alone, reporting its port, then heap per stored span when asked. */
async function serve(): Promise<void> {
  const store = new SpanStore({ maxSpans: 10_000_000, maxBytes: 16 * 1024 ** 3 });
  const receiver = new TraceReceiver(store, { protocol: 'otlp', host: '127.0.0.1', port: 0 });
  const port = await receiver.start();
  gc();
  const baseline = process.memoryUsage().heapUsed;
  process.send!({ port });
  process.on('message', async () => {
    gc();
    const { spans, bytes } = store.size;
    process.send!({ heapPerSpan: (process.memoryUsage().heapUsed - baseline) / spans, estimatePerSpan: bytes / spans, spans });
    await receiver.stop();
    process.exit(0);
  });
}

function post(agent: Agent, port: number, encoding: WireEncoding, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent, headers: { 'Content-Type': CONTENT_TYPE[encoding], 'Content-Length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`receiver answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function ingest(encoding: WireEncoding, batches: Buffer[]) {
  const child = fork(__filename, ['--serve'], { execArgv: ['--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : [])] });
  const next = () => new Promise<ChildMessage>((resolve) => child.once('message', (m) => resolve(m as ChildMessage)));
  const { port } = (await next()) as { port: number };
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  let cursor = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    while (cursor < batches.length) await post(agent, port, encoding, batches[cursor++]);
  }));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  child.send('report');
  const memory = (await next()) as { heapPerSpan: number; estimatePerSpan: number; spans: number };
  if (memory.spans !== batches.length * BATCH_SPANS) throw new Error(`stored ${memory.spans} spans, sent ${batches.length * BATCH_SPANS}`);
  return { spansPerSecond: (batches.length * BATCH_SPANS) / seconds, ...memory };
}

function floor(encoding: WireEncoding, batches: Buffer[]): number {
  for (const body of batches.slice(0, 20)) decodeOtlpRequest(body, encoding); // warm up the JIT
  const t0 = performance.now();
  for (const body of batches) {
    const outcome = decodeOtlpRequest(body, encoding);
    if (!outcome.ok) throw new Error(outcome.error);
  }
  return (batches.length * BATCH_SPANS) / ((performance.now() - t0) / 1000);
}

const k = (n: number) => `${(n / 1000).toFixed(0)}k`;

async function main(): Promise<void> {
  const batchCount = Number(process.env.BENCH_BATCHES ?? 400);
  console.log(`\nTrace Lens ingest benchmark — ${SENDERS} concurrent senders on loopback, ${batchCount} batches of ${BATCH_SPANS} spans (${batchCount * BATCH_SPANS} spans), node ${process.version}`);
  for (const [encoding, target] of [['protobuf', 150_000], ['json', 60_000]] as const) {
    const batches = bodies(encoding, batchCount);
    const floorRate = floor(encoding, batches);
    const result = await ingest(encoding, batches);
    const size = batches.reduce((sum, b) => sum + b.length, 0) / batches.length / 1024;
    console.log(
      `OTLP ${encoding.padEnd(8)} ingest ${k(result.spansPerSecond).padStart(5)} spans/s (target ≥ ${k(target)})   floor: decode only ${k(floorRate)} spans/s, ingest = ${(result.spansPerSecond / floorRate).toFixed(2)}× floor   batch ${size.toFixed(0)} KB`,
    );
    console.log(
      `              heap per stored span ${result.heapPerSpan.toFixed(0)} B (target ≤ 1024 B; the store's own estimate ${result.estimatePerSpan.toFixed(0)} B)`,
    );
  }
}

if (process.argv.includes('--serve')) void serve();
else void main();
