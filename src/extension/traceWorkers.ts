// Trace files are decoded in worker threads, one thread per file: a file's traces live in its thread, so
// cancelling an open or a crash in a decoder frees exactly that file and nothing else. At most `slots` files
// decode at once (the machine's cores less the one the editor needs); the rest wait their turn. A thread whose
// file is let go of (its panel closed) is kept as a spare for the next file: its code is compiled by then, and a
// 100k-span file opens in about half the time it takes a new thread (measured: 0.46-0.65 s against 0.79-1.1 s).
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { Trace } from '../core/model/trace';
import type { FindingThresholds } from '../core/analysis/findings/thresholds';
import type { OpenAnswer, TraceWorkerMethods } from '../core/workers/traceWorkerProtocol';
import type { WaterfallModel } from '../core/waterfall/rows';
import { Worker, type MessagePort } from 'node:worker_threads';
import { CancelledError, WorkerClient } from './workerClient';

/** A heap past this kills the worker (and only it): a hostile file cannot take the editor's memory. */
export const WORKER_HEAP_MB = Math.max(1024, Math.min(8192, Math.floor(totalmem() / 4 / 2 ** 20)));

/** One worker thread holding one file's traces. */
export type TraceWorker = WorkerClient<TraceWorkerMethods>;

export type OpenedFile = Extract<OpenAnswer, { ok: true }> & {
  /** Small traces, whole. */
  copies: Trace[];
  /** The thread holding the large traces (none when every trace was copied). */
  worker?: TraceWorker;
};

/**
 * Bytes are moved to the worker, not copied: the caller must not use them afterwards. A port is where another
 * thread posted the bytes (they go from it to the worker without crossing this thread); it is closed here if
 * the open never starts.
 */
export type FileSource = { file: string } | { bytes: Uint8Array } | { port: MessagePort };

/**
 * Bytes that own their whole buffer, so it can be transferred: a small Buffer is a slice of Node's shared pool,
 * which cannot be moved. (`new Uint8Array(bytes)` copies; a Buffer's own slice() would not.)
 */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

export class TraceWorkers implements vscode.Disposable {
  private readonly live = new Set<TraceWorker>();
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly opening = new Set<AbortController>();
  /** A thread that finished its file, kept warm for the next (one: idle threads hold memory). */
  private spare: Worker | undefined;
  private disposed = false;
  /** Test hook: the next open crashes its worker mid-decode. */
  crashNextOpen = false;

  constructor(
    readonly slots = Math.max(1, Math.min(4, availableParallelism() - 1)),
    private readonly thread = { file: join(__dirname, 'traceWorker.js'), heapMb: WORKER_HEAP_MB },
  ) {}

  /** Threads alive now (each holds one file, or is decoding one). */
  get threads(): number {
    return this.live.size;
  }

  /**
   * Decodes a file in a new thread; cancelling ends the thread at once, wherever the decoding is. `preview` hears
   * the first rows of a file's one large trace before the file is read whole.
   */
  async open(
    source: FileSource,
    given?: AbortSignal,
    thresholds?: FindingThresholds,
    preview?: (first: WaterfallModel, skimmed: boolean) => void,
  ): Promise<Extract<OpenAnswer, { ok: false }> | OpenedFile> {
    const own = new AbortController();
    this.opening.add(own);
    try {
      return await this.decode(source, given ? AbortSignal.any([given, own.signal]) : own.signal, thresholds, preview);
    } finally {
      this.opening.delete(own);
    }
  }

  /** Cancels every open still decoding (as the notification's Cancel does for one). */
  cancelOpens(): void {
    for (const controller of this.opening) controller.abort();
  }

  private async decode(
    source: FileSource,
    signal: AbortSignal,
    thresholds?: FindingThresholds,
    preview?: (first: WaterfallModel, skimmed: boolean) => void,
  ): Promise<Extract<OpenAnswer, { ok: false }> | OpenedFile> {
    await this.turn(signal).catch((error: Error) => {
      if ('port' in source) source.port.close();
      throw error;
    });
    const worker = this.spawn();
    try {
      const copies: Trace[] = [];
      const crash = this.crashNextOpen;
      this.crashNextOpen = false;
      const common = { crash, thresholds, preview: !!preview };
      const params = 'bytes' in source ? { ...common, bytes: ownBuffer(source.bytes) } : { ...common, ...source };
      const transfer = 'bytes' in params ? [params.bytes.buffer as ArrayBuffer] : 'port' in source ? [source.port] : [];
      const partial = (part: TraceWorkerMethods['open']['partial']) => ('copies' in part ? copies.push(...part.copies) : preview?.(part.preview, part.skimmed));
      const answer = await worker.request('open', params, { partial, transfer, signal });
      const holds = answer.ok && answer.entries.some((e) => !e.copied);
      if (!holds) worker.release();
      return answer.ok ? { ...answer, copies, worker: holds ? worker : undefined } : answer;
    } catch (error) {
      worker.terminate();
      throw error;
    } finally {
      this.release();
    }
  }

  private spawn(): TraceWorker {
    const spare = this.spare;
    this.spare = undefined;
    const worker: TraceWorker = new WorkerClient(spare ?? this.thread.file, {
      resourceLimits: { maxOldGenerationSizeMb: this.thread.heapMb },
      keep: (thread) => this.keep(thread),
    });
    this.live.add(worker);
    worker.onStop(() => this.live.delete(worker));
    // Its last file is let go of before this one comes (messages arrive in order).
    if (spare) void worker.request('forget', null).catch(() => undefined);
    return worker;
  }

  /**
   * A thread started before the first file is, kept as the spare: the first open of a session then does not wait
   * for a thread to start and load its code (what every later open reuses anyway).
   */
  prepareSpare(): void {
    if (this.spare || this.disposed) return;
    this.keep(new Worker(this.thread.file, { resourceLimits: { maxOldGenerationSizeMb: this.thread.heapMb } }));
  }

  private keep(thread: Worker): void {
    if (this.spare || this.disposed) return void thread.terminate();
    this.spare = thread;
    thread.once('exit', () => {
      if (this.spare === thread) this.spare = undefined;
    });
  }

  /** Whether a thread is kept for the next file (tests). */
  get spares(): number {
    return this.spare ? 1 : 0;
  }

  private turn(signal?: AbortSignal): Promise<void> {
    if (this.running < this.slots) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', leave);
        this.running++;
        resolve();
      };
      const leave = () => {
        this.queue.splice(this.queue.indexOf(go), 1);
        reject(new CancelledError());
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.queue.push(go);
    });
  }

  private release(): void {
    this.running--;
    this.queue.shift()?.();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelOpens();
    for (const worker of [...this.live]) worker.terminate('the extension stopped');
    void this.spare?.terminate();
    this.spare = undefined;
  }
}
