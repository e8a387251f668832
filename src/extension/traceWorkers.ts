// Trace files are decoded in worker threads, one thread per file: a file's traces live and die with its thread,
// so cancelling an open or a crash in a decoder frees exactly that file and nothing else. At most `slots` files
// decode at once (the machine's cores less the one the editor needs); the rest wait their turn.
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { Trace } from '../core/model/trace';
import type { FindingThresholds } from '../core/analysis/findings/thresholds';
import type { OpenAnswer, TraceWorkerMethods } from '../core/workers/traceWorkerProtocol';
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

/** Bytes are moved to the worker, not copied: the caller must not use them afterwards. */
export type FileSource = { file: string } | { bytes: Uint8Array };

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

  /** Decodes a file in a new thread; cancelling ends the thread at once, wherever the decoding is. */
  async open(source: FileSource, given?: AbortSignal, thresholds?: FindingThresholds): Promise<Extract<OpenAnswer, { ok: false }> | OpenedFile> {
    const own = new AbortController();
    this.opening.add(own);
    try {
      return await this.decode(source, given ? AbortSignal.any([given, own.signal]) : own.signal, thresholds);
    } finally {
      this.opening.delete(own);
    }
  }

  /** Cancels every open still decoding (as the notification's Cancel does for one). */
  cancelOpens(): void {
    for (const controller of this.opening) controller.abort();
  }

  private async decode(source: FileSource, signal: AbortSignal, thresholds?: FindingThresholds): Promise<Extract<OpenAnswer, { ok: false }> | OpenedFile> {
    await this.turn(signal);
    const worker = this.spawn();
    try {
      const copies: Trace[] = [];
      const crash = this.crashNextOpen;
      this.crashNextOpen = false;
      const params = 'bytes' in source ? { bytes: ownBuffer(source.bytes), crash, thresholds } : { file: source.file, crash, thresholds };
      const transfer = params.bytes ? [params.bytes.buffer as ArrayBuffer] : [];
      const answer = await worker.request('open', params, { partial: (batch) => copies.push(...batch), transfer, signal });
      const holds = answer.ok && answer.entries.some((e) => !e.copied);
      if (!holds) worker.terminate();
      return answer.ok ? { ...answer, copies, worker: holds ? worker : undefined } : answer;
    } catch (error) {
      worker.terminate();
      throw error;
    } finally {
      this.release();
    }
  }

  private spawn(): TraceWorker {
    const worker: TraceWorker = new WorkerClient(this.thread.file, { resourceLimits: { maxOldGenerationSizeMb: this.thread.heapMb } });
    this.live.add(worker);
    worker.onStop(() => this.live.delete(worker));
    return worker;
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
    this.cancelOpens();
    for (const worker of [...this.live]) worker.terminate('the extension stopped');
  }
}
