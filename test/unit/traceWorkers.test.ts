// Trace files in real worker threads (the bundle `npm run build` writes), outside VS Code: a file that would take
// more memory than a thread may have stops that thread only; cancelling ends the thread wherever it is; a held
// trace answers its waterfall, and search streams its matches in row order, a newer search ending an older one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_HEAP_MB, TraceWorkers } from '../../src/extension/traceWorkers';
import { WorkerWaterfall } from '../../src/extension/waterfallData';
import { CancelledError } from '../../src/extension/workerClient';
import { lowerThreadPriority, WORKER_NICENESS } from '../../src/core/workers/threadPriority';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../support/otelEncode';
import { syntheticTrace } from '../support/syntheticTrace';
import { decodeOk } from '../support/decodeOk';
import { prepareTrace } from '../../src/core/waterfall/prepareTrace';
import { previewModel } from '../../src/core/waterfall/previewModel';
import type { WaterfallModel } from '../../src/core/waterfall/rows';
import { ColumnAssembly, type RowsCrossing } from '../../src/core/waterfall/columnParts';
import { searchRows } from '../../src/core/waterfall/searchRows';
import { ReceivedStore } from '../../src/extension/receivedStore';
import { COPY_SPAN_LIMIT } from '../../src/core/workers/traceFile';
import { send } from '../support/httpClient';

/** The model as the page puts it together from what the worker sent: the whole rows, or their parts. */
function assembled({ model, crossing }: { model: WaterfallModel; crossing?: RowsCrossing }): WaterfallModel {
  if (!crossing) return model;
  const columns = new ColumnAssembly();
  for (const part of crossing.parts) columns.add(part);
  return { ...crossing.whole, rows: columns.take() };
}

const BUNDLE = join(__dirname, '..', '..', 'dist', 'traceWorker.js');
const RECEIVER_BUNDLE = join(__dirname, '..', '..', 'dist', 'receiverWorker.js');
const skip = !existsSync(BUNDLE) || !existsSync(RECEIVER_BUNDLE);
if (skip) console.log(`SKIPPED trace worker tests: ${BUNDLE} or ${RECEIVER_BUNDLE} is missing (npm run build writes them)`);

/** A thread's nice value, from its /proc stat line (the 19th field). */
function niceOf(stat: string): number {
  const line = readFileSync(stat, 'utf8');
  return Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[16]);
}

function pool(heapMb = WORKER_HEAP_MB): TraceWorkers {
  return new TraceWorkers(1, { file: BUNDLE, heapMb });
}

describe.skipIf(skip)('trace files in worker threads', () => {
  it('stops only the thread of a file that would take more memory than a thread may have', async () => {
    const workers = pool(32);
    const bytes = encodeOtlpJson([syntheticTrace(120_000)]);
    await expect(workers.open({ bytes })).rejects.toThrow(/ran out of memory \(limit 32 MB\)/);
    expect(workers.threads).toBe(0);
    // The pool goes on: the next file gets a new thread. (A small Buffer is a slice of Node's pool, which
    // cannot be moved to a thread: it is copied.)
    const small = await workers.open({ bytes: Buffer.from(encodeOtlpJson([syntheticTrace(10)])) });
    expect(small.ok && small.copies[0].spans).toHaveLength(10);
  }, 60_000);

  it('ends a decoding thread at once when the open is cancelled', async () => {
    const workers = pool();
    const controller = new AbortController();
    const opening = workers.open({ bytes: encodeOtlpJson([syntheticTrace(50_000)]) }, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(workers.threads).toBe(1);
    controller.abort();
    await expect(opening).rejects.toBeInstanceOf(CancelledError);
    expect(workers.threads).toBe(0);
  }, 60_000);

  it('refuses input nested past any trace shape with a message, its thread gone', async () => {
    const workers = pool();
    const deep = new TextEncoder().encode('['.repeat(200_000) + ']'.repeat(200_000));
    const answer = await workers.open({ bytes: deep }).catch((error: Error) => ({ ok: false as const, error: error.message }));
    expect(answer.ok).toBe(false);
    expect(workers.threads).toBe(0);
  }, 60_000);

  it('keeps a large trace in its thread and answers its rows, details and streamed search from there', async () => {
    const workers = pool();
    const trace = syntheticTrace(40_000);
    const opened = await workers.open({ bytes: encodeOtlpProtobuf([trace]) });
    if (!opened.ok) throw new Error(opened.error);
    expect(opened.copies).toEqual([]);
    expect(opened.entries[0]).toMatchObject({ spanCount: 40_000, copied: false });
    const waterfall = await WorkerWaterfall.prepare(opened.worker!, opened.entries[0].traceId);
    const { rows } = assembled(waterfall);
    expect(rows.span).toHaveLength(40_000);
    const [row] = await waterfall.rowsOf([trace.spans[7].spanId]);
    const { details, span } = await waterfall.details(rows.span[row]);
    expect(span?.spanId).toBe(trace.spans[7].spanId);
    expect(details?.name).toBe(trace.spans[7].name);
    const slices: Int32Array[] = [];
    await waterfall.search('payments', (rows) => slices.push(rows));
    // The same rows as the search over the same file decoded here, arriving in row order, a slice at a time.
    const bytes = encodeOtlpProtobuf([trace]);
    const here = searchRows(prepareTrace(decodeOk(bytes).traces[0]), 'payments');
    expect(here.length).toBeGreaterThan(0);
    expect(slices.length).toBeGreaterThan(1);
    expect(slices.flatMap((s) => Array.from(s))).toEqual(Array.from(here));
    // 'a' matches nearly every row: ten slices of 4,096 rows, unless a newer search, asked once the first slice
    // is in, ends it (the worker reads the new request between two slices).
    const older: Int32Array[] = [];
    let second: Promise<void> | undefined;
    const first = waterfall.search('a', (rows) => {
      older.push(rows);
      second ??= waterfall.search('payments', () => undefined);
    });
    await first;
    await second;
    expect(older.length).toBeLessThan(Math.ceil(40_000 / 4096));
    waterfall.dispose();
    expect(workers.threads).toBe(0);
  }, 60_000);

  it('starts a spare thread ahead of the first file, which the first open takes', async () => {
    const workers = pool();
    workers.prepareSpare();
    workers.prepareSpare();
    expect([workers.threads, workers.spares]).toEqual([0, 1]);
    const trace = syntheticTrace(3_000, 'c'.repeat(32));
    const opened = await workers.open({ bytes: encodeOtlpProtobuf([trace]) });
    if (!opened.ok) throw new Error(opened.error);
    expect([workers.threads, workers.spares]).toEqual([1, 0]);
    expect((await WorkerWaterfall.prepare(opened.worker!, trace.traceId)).model.traceId).toBe(trace.traceId);
    workers.dispose();
    expect(workers.spares).toBe(0);
  }, 60_000);

  it('keeps the thread of a file let go of for the next file, with nothing of the first left in it', async () => {
    const workers = pool();
    const first = syntheticTrace(5_000, 'a'.repeat(32));
    const opened = await workers.open({ bytes: encodeOtlpProtobuf([first]) });
    if (!opened.ok) throw new Error(opened.error);
    const waterfall = await WorkerWaterfall.prepare(opened.worker!, first.traceId);
    waterfall.dispose();
    expect([workers.threads, workers.spares]).toEqual([0, 1]);
    // The first file's client is done with: a late request fails, it never reaches the next file's trace.
    await expect(opened.worker!.request('details', { span: 0 })).rejects.toThrow(/let go/);
    const second = syntheticTrace(5_000, 'b'.repeat(32));
    const next = await workers.open({ bytes: encodeOtlpProtobuf([second]) });
    if (!next.ok) throw new Error(next.error);
    expect([workers.threads, workers.spares]).toEqual([1, 0]);
    // Before its own trace is prepared, the thread answers nothing of the first file's.
    await expect(next.worker!.request('details', { span: 0 })).rejects.toThrow(/no trace has been prepared/);
    await expect(WorkerWaterfall.prepare(next.worker!, first.traceId)).rejects.toThrow(/not held/);
    const shown = await WorkerWaterfall.prepare(next.worker!, second.traceId);
    expect(shown.model.traceId).toBe(second.traceId);
    // A thread that is still answering when it is let go of ends instead of being kept.
    const searching = shown.search('a', () => undefined);
    shown.dispose();
    await searching.catch(() => undefined);
    expect([workers.threads, workers.spares]).toEqual([0, 0]);
    workers.dispose();
  }, 60_000);

  it.runIf(process.platform === 'linux')('runs its threads below the editor’s own (a nice value of their own)', async () => {
    const before = new Set(readdirSync('/proc/self/task'));
    const own = niceOf('/proc/thread-self/stat');
    const workers = pool();
    const opened = await workers.open({ bytes: encodeOtlpProtobuf([syntheticTrace(10)]) });
    if (!opened.ok) throw new Error(opened.error);
    const started = readdirSync('/proc/self/task').filter((task) => !before.has(task));
    expect(started.map((task) => niceOf(`/proc/self/task/${task}/stat`))).toContain(Math.min(19, own + WORKER_NICENESS));
    // The thread that started them keeps its priority, and a main thread asking is refused.
    expect(niceOf('/proc/thread-self/stat')).toBe(own);
    expect(lowerThreadPriority()).toBe(false);
    expect(niceOf('/proc/thread-self/stat')).toBe(own);
    workers.dispose();
  });

  it.runIf(process.platform === 'linux')('keeps a waiting thread at the editor’s priority until it reads a file (its first rows are waited on)', async () => {
    const before = new Set(readdirSync('/proc/self/task'));
    const own = niceOf('/proc/thread-self/stat');
    const workers = pool();
    workers.prepareSpare();
    // Time for the thread to start and run its module, which once lowered it at once.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const started = readdirSync('/proc/self/task').filter((task) => !before.has(task));
    expect(started.length).toBeGreaterThan(0);
    expect(started.map((task) => niceOf(`/proc/self/task/${task}/stat`))).not.toContain(Math.min(19, own + WORKER_NICENESS));
    const opened = await workers.open({ bytes: encodeOtlpProtobuf([syntheticTrace(10)]) });
    if (!opened.ok) throw new Error(opened.error);
    expect(started.map((task) => niceOf(`/proc/self/task/${task}/stat`))).toContain(Math.min(19, own + WORKER_NICENESS));
    workers.dispose();
  });

  it('sends a large file’s first rows before the file is read whole, and prepares its rows once', async () => {
    const workers = pool();
    const trace = syntheticTrace(30_000);
    const heard: string[] = [];
    let first: WaterfallModel | undefined;
    const opening = workers.open({ bytes: encodeOtlpProtobuf([trace]) }, undefined, undefined, (rows) => {
      heard.push('first rows');
      first = rows;
    });
    const opened = await opening.then((answer) => (heard.push('opened'), answer));
    if (!opened.ok) throw new Error(opened.error);
    expect(heard).toEqual(['first rows', 'opened']);
    const whole = prepareTrace(decodeOk(encodeOtlpProtobuf([trace])).traces[0]).model;
    expect(first).toEqual(previewModel(whole));
    const waterfall = await WorkerWaterfall.prepare(opened.worker!, trace.traceId);
    // Its rows come as they cross to the page, made in the worker: its first rows, then its columns in parts.
    expect(waterfall.model).toEqual(previewModel(whole));
    expect(assembled(waterfall)).toEqual(whole);
    // Its rows went to the host (transferred); asked again, the thread makes them anew.
    const again = await opened.worker!.request('prepare', { traceId: trace.traceId });
    expect('crossing' in again && assembled({ model: again.crossing.preview, crossing: again.crossing })).toEqual(whole);
    waterfall.dispose();
  }, 60_000);

  it('hands a large received trace from the receiver’s thread to a trace worker without its bytes crossing this one', async () => {
    const store = new ReceivedStore({ maxSpans: 100_000, maxBytes: 2 ** 30 }, () => undefined, RECEIVER_BUNDLE);
    const workers = pool();
    try {
      const listening = await store.listen({ host: '127.0.0.1', port: 0, allowRemote: false, maxBodyBytes: 2 ** 25 });
      if (!listening.ok) throw new Error(listening.message);
      const trace = syntheticTrace(COPY_SPAN_LIMIT + 500, 'e'.repeat(32));
      const reply = await send(`${listening.endpoint}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlpProtobuf([trace]) });
      expect(reply.status).toBe(200);
      const answer = await store.fetchTrace(trace.traceId);
      // Nothing of the trace came here: its bytes wait in the channel the trace worker is given.
      expect(answer?.body).toHaveLength(0);
      expect(answer?.trace).toBeUndefined();
      const opened = await workers.open({ port: answer!.port! });
      if (!opened.ok) throw new Error(opened.error);
      expect(opened.entries).toEqual([expect.objectContaining({ traceId: trace.traceId, spanCount: trace.spans.length, copied: false })]);
      const waterfall = await WorkerWaterfall.prepare(opened.worker!, trace.traceId);
      expect(waterfall.model).toEqual(prepareTrace(decodeOk(encodeOtlpProtobuf([trace])).traces[0]).model);
      waterfall.dispose();
      // A small trace comes whole, and no channel is left open for it.
      const small = syntheticTrace(20, 'f'.repeat(32));
      await send(`${listening.endpoint}/v1/traces`, { headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlpProtobuf([small]) });
      const whole = await store.fetchTrace(small.traceId);
      expect([whole?.trace?.spans.length, whole?.port]).toEqual([20, undefined]);
    } finally {
      store.dispose();
      workers.dispose();
    }
  }, 60_000);
});
