// The extension host's view of the receiver's worker thread: what the store holds (asked for when shown), the
// digests of its spans (kept here for the code statistics, which map them onto the workspace), and its counts.
// If the thread dies, its traces are gone: listeners hear them removed, and a new thread takes over.
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { ValuesAnswer } from '../core/analysis/compare/compareHeld';
import type { ServiceMap } from '../core/analysis/serviceGraph/serviceMap';
import type { Compared } from '../core/analysis/compare/compareReport';
import type { AggregateReport, GroupReport, SplitRule, TraceReport } from '../core/analysis/compare/reportTypes';
import type { FindingThresholds } from '../core/analysis/findings/thresholds';
import type { FindingGroup } from '../core/analysis/findings/findingGroups';
import type { TraceFinding } from '../core/analysis/findings/traceFinding';
import type { Trace } from '../core/model/trace';
import type { ListenAnswer, ListenSettings, ReceiverStatus } from '../core/receiver/receiverService';
import type { SpanStoreLimits, StoreCounts, StoredTraceInfo } from '../core/receiver/spanStore';
import type { Health, LookupOptions, SearchQuery, SearchResult, TraceAnswer, TraceSource } from '../core/sources/traceSource';
import type { WaterfallModel } from '../core/waterfall/rows';
import type { SpanDigest } from '../core/stats/spanDigest';
import type { ReceiverWorkerEvents, ReceiverWorkerMethods } from '../core/workers/receiverWorkerProtocol';
import { WorkerClient } from './workerClient';
import { WORKER_HEAP_MB } from './traceWorkers';
import type { TraceFileFormat } from '../core/formats/traceFileBytes';

const EMPTY_STATUS: ReceiverStatus = {
  size: { spans: 0, traces: 0, bytes: 0, duplicateSpans: 0, evictedSpans: 0, evictedTraces: 0 },
  requests: 0,
  failedRequests: 0,
  acceptedSpans: 0,
  rejectedSpans: 0,
  leftUnanalysed: 0,
};

export interface SpanListener {
  added(digest: SpanDigest): void;
  /** Spans of one trace of `digest` (its index there) left the store. */
  removed(digest: SpanDigest, traceIndex: number): void;
}

export class ReceivedStore implements TraceSource, vscode.Disposable {
  readonly kind = 'receiver';
  readonly name = 'Local receiver';
  readonly lookupUsesTimeRange = false;
  private worker: WorkerClient<ReceiverWorkerMethods>;
  private latest: ReceiverStatus = EMPTY_STATUS;
  /** Where each stored trace's spans are: a digest and the trace's index in it (a trace arrives in several batches). */
  private readonly digestsOf = new Map<string, { digest: SpanDigest; index: number }[]>();
  /** Every digest with a trace still stored, and which of its traces are (1 = still stored). */
  private readonly live = new Map<SpanDigest, Uint8Array>();
  private readonly changeListeners = new Set<() => void>();
  private readonly spanListeners = new Set<SpanListener>();
  private readonly lostListeners = new Set<(reason: string) => void>();
  private readonly findingListeners = new Set<(groups: FindingGroup[]) => void>();
  private disposed = false;
  private findingThresholds: FindingThresholds | undefined;

  constructor(
    private limits: SpanStoreLimits,
    private readonly log: (message: string) => void,
    private readonly threadFile = join(__dirname, 'receiverWorker.js'),
  ) {
    this.worker = this.spawn();
  }

  private spawn(): WorkerClient<ReceiverWorkerMethods> {
    const worker = new WorkerClient<ReceiverWorkerMethods>(
      this.threadFile,
      { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, workerData: { limits: this.limits } },
      (event, data) => this.receive(event as keyof ReceiverWorkerEvents, data),
    );
    worker.onStop((reason) => this.lost(worker, reason));
    if (this.findingThresholds) worker.request('setFindingThresholds', this.findingThresholds).catch(() => undefined);
    return worker;
  }

  private receive(event: keyof ReceiverWorkerEvents, data: unknown): void {
    if (event === 'log') return this.log(data as string);
    if (event === 'changed') {
      this.latest = data as ReceiverStatus;
      return this.fireChanged();
    }
    if (event === 'findingGroups') return this.fireFindings(data as ReceiverWorkerEvents['findingGroups']);
    const { added, removed } = data as ReceiverWorkerEvents['spans'];
    for (const traceId of removed) this.forget(traceId);
    if (!added) return;
    this.live.set(added, new Uint8Array(added.traces.length).fill(1));
    added.traces.forEach(({ traceId }, index) => {
      const list = this.digestsOf.get(traceId);
      if (list) list.push({ digest: added, index });
      else this.digestsOf.set(traceId, [{ digest: added, index }]);
    });
    for (const l of this.spanListeners) l.added(added);
  }

  private forget(traceId: string): void {
    const parts = this.digestsOf.get(traceId);
    if (!parts) return;
    this.digestsOf.delete(traceId);
    for (const { digest, index } of parts) {
      for (const l of this.spanListeners) l.removed(digest, index);
      const stored = this.live.get(digest)!;
      stored[index] = 0;
      if (!stored.includes(1)) this.live.delete(digest);
    }
  }

  /** The thread died (a crash, out of memory): what it held is gone; a new thread starts empty. */
  private lost(worker: WorkerClient<ReceiverWorkerMethods>, reason: string): void {
    if (this.disposed || worker !== this.worker) return;
    this.log(`the receiver's worker thread stopped (${reason}); its ${this.latest.size.traces} traces are lost; starting a new one`);
    for (const traceId of [...this.digestsOf.keys()]) this.forget(traceId);
    this.latest = EMPTY_STATUS;
    this.worker = this.spawn();
    this.fireChanged();
    this.fireFindings([]);
    for (const listener of this.lostListeners) listener(reason);
  }

  private fireFindings(groups: FindingGroup[]): void {
    for (const listener of [...this.findingListeners]) listener(groups);
  }

  private fireChanged(): void {
    for (const listener of [...this.changeListeners]) listener();
  }

  /** The counts as last reported (the worker reports every change, debounced). */
  get size(): StoreCounts {
    return this.latest.size;
  }

  get status(): ReceiverStatus {
    return this.latest;
  }

  /** Whether no stored span is known here (the digests arrive before the counts do). */
  get empty(): boolean {
    return this.digestsOf.size === 0;
  }

  /** Every stored span, for a full rebuild of the statistics: digests, and which of their traces are still stored. */
  digests(): Iterable<[SpanDigest, Uint8Array]> {
    return this.live.entries();
  }

  onChanged(listener: () => void): vscode.Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  onSpans(listener: SpanListener): vscode.Disposable {
    this.spanListeners.add(listener);
    return { dispose: () => this.spanListeners.delete(listener) };
  }

  /** Whether the store holds spans of the trace. */
  holds(traceId: string): boolean {
    return this.digestsOf.has(traceId);
  }

  /** The findings of the stored traces that settled, grouped in the receiver's thread; heard when they change. */
  onFindingGroups(listener: (groups: FindingGroup[]) => void): vscode.Disposable {
    this.findingListeners.add(listener);
    return { dispose: () => this.findingListeners.delete(listener) };
  }

  /** A stored trace's findings, once it settled. */
  findingsOf(traceId: string): Promise<TraceFinding[]> {
    return this.worker.request('findingsOf', { traceId });
  }

  /** Kept, so a thread that replaces a lost one judges with them too. */
  setFindingThresholds(thresholds: FindingThresholds): Promise<null> {
    this.findingThresholds = thresholds;
    return this.worker.request('setFindingThresholds', thresholds);
  }

  /** The thread stopped and a new one took over (not listening yet). */
  onLost(listener: (reason: string) => void): vscode.Disposable {
    this.lostListeners.add(listener);
    return { dispose: () => this.lostListeners.delete(listener) };
  }

  listen(settings: ListenSettings): Promise<ListenAnswer> {
    return this.worker.request('listen', settings);
  }

  async stop(): Promise<void> {
    if (this.worker.alive) await this.worker.request('stop', null);
  }

  async setLimits(limits: SpanStoreLimits): Promise<void> {
    this.limits = limits;
    await this.worker.request('setLimits', limits);
  }

  list(): Promise<StoredTraceInfo[]> {
    return this.worker.request('list', null);
  }

  async getTrace(traceId: string): Promise<Trace | undefined> {
    return (await this.worker.request('getTrace', { traceId })) ?? undefined;
  }

  /**
   * A small trace whole; a large one as OTLP protobuf, which a trace worker decodes and holds (never this thread):
   * the receiver's thread posts it into a channel whose other end the trace worker is given. Its first rows are
   * sent ahead from the spans the receiver holds when `preview` is asked for.
   */
  async fetchTrace(traceId: string, options: LookupOptions = {}): Promise<TraceAnswer | undefined> {
    const { preview } = options;
    const partial = preview && ((part: { preview: WaterfallModel }) => preview(part.preview, "from the receiver's spans, before they were handed over"));
    const { port1, port2 } = new MessageChannel();
    const found = await this.worker
      .request('lookupTrace', { traceId, preview: !!preview, port: port1 }, { partial, transfer: [port1] })
      .catch((error: Error) => {
        port2.close();
        throw error;
      });
    const label = 'the built-in receiver';
    if (found && 'sent' in found) return { body: new Uint8Array(0), port: port2, label, url: label };
    port2.close();
    return found ? { body: new Uint8Array(0), trace: found.trace, label, url: label } : undefined;
  }

  /** A received trace as a file's bytes; undefined when the store does not hold it. */
  async traceFileBytes(traceId: string, format: TraceFileFormat): Promise<Uint8Array | undefined> {
    return (await this.worker.request('traceFileBytes', { traceId, format })) ?? undefined;
  }

  exportJsonl(): Promise<{ text: string; traces: number; spans: number }> {
    return this.worker.request('exportJsonl', null);
  }

  /** Empties the store; the statistics hear its traces removed at once. */
  async clear(): Promise<{ traces: number; spans: number }> {
    const cleared = await this.worker.request('clear', null);
    for (const traceId of [...this.digestsOf.keys()]) this.forget(traceId);
    this.latest = await this.worker.request('status', null);
    this.fireChanged();
    return cleared;
  }

  describeApi(): string {
    return "the receiver's in-memory store";
  }

  search(query: SearchQuery): Promise<SearchResult> {
    return this.worker.request('search', query);
  }

  services(): Promise<string[]> {
    return this.worker.request('services', null);
  }

  operations(service: string): Promise<string[]> {
    return this.worker.request('operations', { service });
  }

  /** The service map of the received traces that have settled, kept in the receiver's thread. */
  serviceMap(): Promise<ServiceMap> {
    return this.worker.request('serviceMap', null);
  }

  attributeValues(attribute: string, service?: string): Promise<ValuesAnswer> {
    return this.worker.request('attributeValues', { attribute, service });
  }

  /** Runs in the receiver's thread, in slices (it keeps receiving meanwhile). */
  compareGroups(split: SplitRule, service?: string): Promise<Compared<GroupReport>> {
    return this.worker.request('compareGroups', { split, service });
  }

  /** Where an operation's time goes over the received traces, in the receiver's thread. */
  profileOperation(service: string, operation: string): Promise<Compared<AggregateReport>> {
    return this.worker.request('profileOperation', { service, operation });
  }

  /** Two traces compared in the receiver's thread: each a stored trace's id, or a trace the host holds. */
  async compareTraces(a: string | Trace, b: string | Trace): Promise<Compared<TraceReport> | undefined> {
    return (await this.worker.request('compareTraces', { a, b })) ?? undefined;
  }

  async health(): Promise<Health> {
    const { spans, traces } = this.latest.size;
    return { ok: true, detail: `${spans} spans in ${traces} traces` };
  }

  /** Test hook: the thread dies as a crash would kill it. */
  async crashForTest(): Promise<void> {
    // Its answer and its death race: either way the thread is gone.
    await this.worker.request('crash', null).catch(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.worker.terminate('the extension stopped');
    this.changeListeners.clear();
    this.spanListeners.clear();
    this.findingListeners.clear();
  }
}
