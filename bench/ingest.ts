// npm run bench (second part): receiver ingest over loopback. The receiver runs alone in a child process (as it
// runs in the extension host); 4 concurrent senders in this process post pre-encoded export batches of 512
// typical spans, each sender waiting for its answer before the next batch, as the SDK's batch processor does.
// Printed beside the floor: decoding the same bodies in one process with no HTTP and no store.
// Targets (issue 4, 2-core machine): protobuf ≥ 150k spans/s, JSON ≥ 60k spans/s, ≤ 1 KB heap per stored span.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
const RUNS = 3;
const DATA_DIR = join(process.cwd(), 'bench-data');
const CONTENT_TYPE: Record<WireEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

type ChildMessage = { port: number } | { heapPerSpan: number; estimatePerSpan: number; spans: number } | { floor: number };

/** The export bodies, generated once into bench-data/ (length-prefixed), so every child reads the same bytes. */
function bodies(encoding: WireEncoding, batches: number): Buffer[] {
  const file = join(DATA_DIR, `ingest-${encoding}-${batches}x${BATCH_SPANS}.bin`);
  if (!existsSync(file)) {
    const encode = encoding === 'protobuf' ? encodeOtlpProtobuf : encodeOtlpJson;
    const parts: Buffer[] = [];
    for (let b = 0; b < batches; b++) {
      const body = Buffer.from(encode(syntheticBatch(b + 1, BATCH_TRACES, SPANS_PER_TRACE)));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(body.length);
      parts.push(length, body);
    }
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, Buffer.concat(parts));
  }
  const all = readFileSync(file);
  const result: Buffer[] = [];
  for (let pos = 0; pos < all.length;) {
    const length = all.readUInt32LE(pos);
    result.push(all.subarray(pos + 4, pos + 4 + length));
    pos += 4 + length;
  }
  return result;
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
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        agent,
        headers: { 'Content-Type': CONTENT_TYPE[encoding], 'Content-Length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`receiver answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function inChild(args: string[]) {
  const child = fork(__filename, args, {
    execArgv: ['--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : [])],
  });
  const next = () => new Promise<ChildMessage>((resolve) => child.once('message', (m) => resolve(m as ChildMessage)));
  return { child, next };
}

async function childFloor(encoding: WireEncoding, batchCount: number): Promise<number> {
  const { child, next } = inChild(['--floor', encoding, String(batchCount)]);
  const { floor: rate } = (await next()) as { floor: number };
  child.kill();
  return rate;
}

async function ingest(encoding: WireEncoding, batches: Buffer[]) {
  const { child, next } = inChild(['--serve']);
  const { port } = (await next()) as { port: number };
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  let cursor = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (cursor < batches.length) await post(agent, port, encoding, batches[cursor++]);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  child.send('report');
  const memory = (await next()) as { heapPerSpan: number; estimatePerSpan: number; spans: number };
  if (memory.spans !== batches.length * BATCH_SPANS) throw new Error(`stored ${memory.spans} spans, sent ${batches.length * BATCH_SPANS}`);
  return { spansPerSecond: (batches.length * BATCH_SPANS) / seconds, ...memory };
}

/** Child: decoding alone, in a fresh process like the receiver's. */
function measureFloor(encoding: WireEncoding, batchCount: number): void {
  process.send!({ floor: floor(encoding, bodies(encoding, batchCount)) });
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

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function main(): Promise<void> {
  const batchCount = Number(process.env.BENCH_BATCHES ?? 400);
  console.log(
    `\nTrace Lens ingest benchmark — ${SENDERS} concurrent senders on loopback, ${batchCount} batches of ${BATCH_SPANS} spans (${batchCount * BATCH_SPANS} spans), node ${process.version}`,
  );
  console.log(`each figure: median of ${RUNS} runs, each in a fresh process (range in brackets)`);
  for (const [encoding, target] of [
    ['protobuf', 150_000],
    ['json', 60_000],
  ] as const) {
    const batches = bodies(encoding, batchCount);
    const floors: number[] = [];
    const results: Awaited<ReturnType<typeof ingest>>[] = [];
    for (let run = 0; run < RUNS; run++) {
      floors.push(await childFloor(encoding, batchCount));
      results.push(await ingest(encoding, batches));
    }
    const rates = results.map((r) => r.spansPerSecond);
    const rate = median(rates);
    const floorRate = median(floors);
    const result = results[rates.indexOf(rate)];
    const size = batches.reduce((sum, b) => sum + b.length, 0) / batches.length / 1024;
    console.log(
      `OTLP ${encoding.padEnd(8)} ingest ${k(rate).padStart(5)} spans/s [${k(Math.min(...rates))}-${k(Math.max(...rates))}] (target ≥ ${k(target)})   floor: decode only ${k(floorRate)} spans/s [${k(Math.min(...floors))}-${k(Math.max(...floors))}], ingest = ${(rate / floorRate).toFixed(2)}× floor   batch ${size.toFixed(0)} KB`,
    );
    console.log(
      `              heap per stored span ${result.heapPerSpan.toFixed(0)} B (target ≤ 1024 B; the store's own estimate ${result.estimatePerSpan.toFixed(0)} B)`,
    );
  }
}

const floorAt = process.argv.indexOf('--floor');
if (process.argv.includes('--serve')) void serve();
else if (floorAt >= 0) measureFloor(process.argv[floorAt + 1] as WireEncoding, Number(process.argv[floorAt + 2]));
else void main();
