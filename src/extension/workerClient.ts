// The extension host's end of one worker thread: typed requests with streamed partial answers, unsolicited
// events, cancellation that ends the thread at once, and a clear error for everything pending when the thread
// stops (a crash, an out-of-memory kill, or terminate()).
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import type { MethodSpec, WorkerReply, WorkerRequest } from '../core/workers/workerMessages';

type Spec<Methods, M extends keyof Methods> = Methods[M] extends MethodSpec ? Methods[M] : never;

export interface RequestOptions<P> {
  partial?: (value: P) => void;
  transfer?: TransferListItem[];
  /** Aborting ends the thread (whatever it is doing) and fails the request with CancelledError. */
  signal?: AbortSignal;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  partial?(value: unknown): void;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface WorkerOptions {
  resourceLimits: ResourceLimits;
  workerData?: unknown;
  /** Where release() sends the thread to be kept for another job (a pool's spare); without it, release() ends it. */
  keep?: (thread: Worker) => void;
}

export class WorkerClient<Methods> {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private stopped: string | undefined;
  private readonly stopListeners: ((reason: string) => void)[] = [];
  private readonly thread: Worker;
  private readonly detach: () => void;

  /** `thread`: a script to start a thread from, or a thread kept from an earlier client (see release). */
  constructor(
    thread: string | Worker,
    private readonly options: WorkerOptions,
    onEvent: (event: string, data: unknown) => void = () => undefined,
  ) {
    const { resourceLimits } = options;
    this.thread = typeof thread === 'string' ? new Worker(thread, { resourceLimits, workerData: options.workerData }) : thread;
    const onMessage = (reply: WorkerReply) => ('event' in reply ? onEvent(reply.event, reply.data) : this.receive(reply));
    const onError = (error: Error & { code?: string }) =>
      this.stop(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it ran out of memory (limit ${resourceLimits.maxOldGenerationSizeMb} MB)` : `it failed: ${error.message}`,
      );
    const onExit = (code: number) => this.stop(`its thread exited (code ${code})`);
    this.thread.on('message', onMessage).on('error', onError).on('exit', onExit);
    this.detach = () => this.thread.off('message', onMessage).off('error', onError).off('exit', onExit);
  }

  get alive(): boolean {
    return this.stopped === undefined;
  }

  /** Called once when the thread stops. */
  onStop(listener: (reason: string) => void): void {
    if (this.stopped) listener(this.stopped);
    else this.stopListeners.push(listener);
  }

  async request<M extends keyof Methods>(
    method: M,
    params: Spec<Methods, M>['params'],
    options: RequestOptions<Spec<Methods, M>['partial']> = {},
  ): Promise<Spec<Methods, M>['result']> {
    const { signal } = options;
    if (signal?.aborted) throw new CancelledError();
    const cancel = () => this.terminate('the work was cancelled');
    signal?.addEventListener('abort', cancel);
    try {
      return (await this.send(method, params, options)) as Spec<Methods, M>['result'];
    } catch (error) {
      throw signal?.aborted ? new CancelledError() : error;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  private send<M extends keyof Methods>(method: M, params: Spec<Methods, M>['params'], { partial, transfer = [] }: RequestOptions<unknown>): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error(`the worker stopped: ${this.stopped}`));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, partial });
      this.thread.postMessage({ id, method, params } as WorkerRequest<Methods, M>, transfer);
    });
  }

  terminate(reason = 'it was let go'): void {
    this.stop(reason);
    void this.thread.terminate();
  }

  /**
   * Done with the worker. This client stops as after terminate() (a late request fails; it never reaches another
   * job's data), but an idle thread goes to the pool that lent it, compiled and warm, for the next job.
   */
  release(): void {
    const { keep } = this.options;
    if (!keep || this.stopped || this.pending.size) return this.terminate();
    this.stop('it was let go');
    this.detach();
    keep(this.thread);
  }

  private receive(reply: Exclude<WorkerReply, { event: string }>): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    if ('partial' in reply) return waiting.partial?.(reply.partial);
    this.pending.delete(reply.id);
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.result);
  }

  private stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = reason;
    const error = new Error(`the worker stopped: ${reason}`);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    for (const listener of this.stopListeners.splice(0)) listener(reason);
  }
}
