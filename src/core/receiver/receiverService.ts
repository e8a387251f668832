// The receiver as one service: the OTLP (and optionally Zipkin) HTTP receivers, the span store they fill, and what
// the editor asks of them. It runs in its own worker thread; `emit` tells the extension host what changed: digests
// of stored spans for the code statistics, evictions, and the store's counts.
import { compareHeld, profileHeld, valuesHeld, type HeldTraces, type ValuesAnswer } from '../analysis/compare/compareHeld';
import { traceReport, type Compared } from '../analysis/compare/compareReport';
import type { AggregateReport, GroupReport, SplitRule, TraceReport } from '../analysis/compare/reportTypes';
import { FindingGroups } from '../analysis/findings/findingGroups';
import { SETTLE_MS, SettlingAnalysis } from '../analysis/findings/settlingAnalysis';
import type { TraceFinding } from '../analysis/findings/traceFinding';
import { ServiceGraph } from '../analysis/serviceGraph/serviceGraph';
import type { ServiceMap } from '../analysis/serviceGraph/serviceMap';
import type { FindingThresholds } from '../analysis/findings/thresholds';
import { checkStructure } from '../formats/decode';
import { skimHeldSpans } from '../formats/heldSpanSkim';
import { skimOrReason } from '../formats/spanSkim';
import { toOtlpJsonLines } from '../formats/otlpJsonWriter';
import { toOtlpProtobuf } from '../formats/otlpProtobufWriter';
import { traceFileBytes, type TraceFileFormat } from '../formats/traceFileBytes';
import { COPY_SPAN_LIMIT } from '../workers/traceFile';
import { prepareTrace } from '../waterfall/prepareTrace';
import { firstRowsOfSkim } from '../waterfall/firstRows';
import { PREVIEW_ABOVE, previewModel } from '../waterfall/previewModel';
import type { WaterfallModel } from '../waterfall/rows';
import { traceEndNs, type Trace } from '../model/trace';
import { StoreSource } from '../sources/storeSource';
import type { SearchQuery, SearchResult } from '../sources/traceSource';
import { DigestBuilder } from '../stats/spanDigest';
import type { ReceiverWorkerEvents } from '../workers/receiverWorkerProtocol';
import { SpanStore, type SpanStoreLimits, type StoreCounts, type StoredTraceInfo } from './spanStore';
import { combinedCounts, ReceiverStartError, TraceReceiver, type StartFailure } from './traceReceiver';
import { counted } from '../analysis/counted';

export interface ListenSettings {
  host: string;
  port: number;
  allowRemote: boolean;
  /** Jaeger's query API on the OTLP port (queryApi.ts): off unless the user turns it on. */
  answerQueries?: boolean;
  maxBodyBytes: number;
  zipkinPort?: number;
}

export type ListenAnswer = { ok: true; port: number; endpoint: string; zipkinEndpoint?: string } | { ok: false; reason: StartFailure; message: string };

export interface ReceiverStatus {
  size: StoreCounts;
  requests: number;
  failedRequests: number;
  acceptedSpans: number;
  rejectedSpans: number;
  /**
   * Traces evicted with spans the findings analysis had not reached (since the store was last cleared or given
   * new limits): they arrived faster than the store keeps them until they settle, or than the analysis's budget
   * gets through.
   */
  leftUnanalysed: number;
}

/** How long a restart waits before it asks for its own port once more. */
const RESTART_RETRY_MS = 300;

/** How often settled traces are looked for. */
export const ANALYSIS_INTERVAL_MS = 500;

export type Emit = <E extends keyof ReceiverWorkerEvents>(event: E, data: ReceiverWorkerEvents[E], transfer?: ArrayBuffer[]) => void;

export class ReceiverService {
  private readonly store: SpanStore;
  private readonly source: StoreSource;
  private receivers: TraceReceiver[] = [];
  private readonly added = new DigestBuilder();
  private removed: string[] = [];
  private flushing = false;
  private readonly analysis: SettlingAnalysis;
  /** The service map of the settled traces, kept as they settle and leave. */
  private readonly graph = new ServiceGraph();
  /**
   * The settled traces' findings, grouped here: the host hears the groups (a few, each with its exemplars), not
   * every trace's findings (a message per trace, a million spans' worth of them kept its collector busy).
   */
  private readonly findings = new FindingGroups();
  private findingsChanged = false;
  private leftUnanalysed = 0;

  constructor(
    limits: SpanStoreLimits,
    private readonly emit: Emit,
  ) {
    this.store = new SpanStore(limits);
    this.source = new StoreSource(this.store);
    this.analysis = new SettlingAnalysis(
      (traceId) => this.store.readOnlyTrace(traceId),
      (trace, findings, tree) => {
        // Seen when the trace ran, as the code's failures say it (a span's time), not when it settled and was read.
        this.findings.add(trace.traceId, Number(trace.startUnixNano / 1_000_000n) + traceEndNs(trace) / 1e6, findings);
        this.findingsChanged = true;
        this.graph.add(trace, tree.parent);
      },
    );
    // Unreferenced: the analysis never keeps a process (a test's, the CLI's) alive.
    setInterval(() => {
      this.analysis.analyseSettled();
      this.publishFindings();
    }, ANALYSIS_INTERVAL_MS).unref?.();
    this.store.onSpans({
      // A message holds one kind only, so the host applies additions and removals in the order they happened.
      added: (view) => {
        if (this.removed.length) this.flush();
        this.added.add(view);
        this.analysis.touched(view.traceId);
        this.schedule();
      },
      removed: (view) => {
        if (!this.added.empty) this.flush();
        this.removed.push(view.traceId);
        if (this.analysis.removed(view.traceId)) this.leftUnanalysed++;
        this.graph.remove(view.traceId);
        this.findingsChanged ||= this.findings.remove(view.traceId);
        this.schedule();
      },
    });
    this.store.onChanged(() => this.emit('changed', this.status()));
  }

  /** What one turn stored goes out as one message (a request's batch, or an eviction of many traces). */
  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.removed.length) this.emit('spans', { removed: this.removed.splice(0) });
    // Copied, not transferred: a batch's columns are a few kilobytes, less than a transfer costs.
    if (!this.added.empty) this.emit('spans', { added: this.added.take(), removed: [] });
  }

  /** The groups, when they changed since last said (at most once per analysis turn). */
  private publishFindings(): void {
    if (!this.findingsChanged) return;
    this.findingsChanged = false;
    this.emit('findingGroups', this.findings.groups());
  }

  /** A settled trace's findings (none for a trace not stored, or not settled yet). */
  findingsOf(traceId: string): TraceFinding[] {
    return this.findings.ofTrace(traceId);
  }

  async listen(settings: ListenSettings): Promise<ListenAnswer> {
    const restarting = this.receivers.some((r) => r.port === settings.port);
    await this.stop();
    const answer = await this.start(settings);
    // A port this receiver itself let go of a moment ago can still be held briefly (a CI run saw a restart on its
    // own port answered "in use"): a restart tries once more before it says so.
    if (answer.ok || answer.reason !== 'in-use' || !restarting) return answer;
    await new Promise((resolve) => setTimeout(resolve, RESTART_RETRY_MS));
    return this.start(settings);
  }

  private async start(settings: ListenSettings): Promise<ListenAnswer> {
    const log = (message: string) => this.emit('log', message);
    const common = { host: settings.host, allowRemote: settings.allowRemote, maxBodyBytes: settings.maxBodyBytes, log };
    const otlp = new TraceReceiver(this.store, { ...common, protocol: 'otlp', port: settings.port, answersQueries: settings.answerQueries });
    const zipkin = settings.zipkinPort === undefined ? undefined : new TraceReceiver(this.store, { ...common, protocol: 'zipkin', port: settings.zipkinPort });
    this.receivers = zipkin ? [otlp, zipkin] : [otlp];
    try {
      for (const receiver of this.receivers) await receiver.start();
    } catch (error) {
      await this.stop();
      if (!(error instanceof ReceiverStartError)) throw error;
      return { ok: false, reason: error.reason, message: error.message };
    }
    return { ok: true, port: otlp.port ?? settings.port, endpoint: otlp.endpoint!, zipkinEndpoint: zipkin?.endpoint };
  }

  setFindingThresholds(thresholds: FindingThresholds): void {
    this.analysis.thresholds = thresholds;
  }

  async stop(): Promise<void> {
    const stopping = this.receivers;
    this.receivers = [];
    await Promise.all(stopping.map((r) => r.stop()));
  }

  setLimits(limits: SpanStoreLimits): void {
    this.store.setLimits(limits);
    // Counted anew under the new limits: the view's note then says whether raising them was enough.
    this.leftUnanalysed = 0;
  }

  status(): ReceiverStatus {
    const { requests, failedRequests, acceptedSpans, rejectedSpans } = combinedCounts(this.receivers);
    return { size: this.store.size, requests, failedRequests, acceptedSpans, rejectedSpans, leftUnanalysed: this.leftUnanalysed };
  }

  list(): StoredTraceInfo[] {
    return this.store.list();
  }

  getTrace(traceId: string): Trace | null {
    return this.store.getTrace(traceId) ?? null;
  }

  /**
   * A stored trace for a view: a small one whole (a checked copy); a large one as OTLP protobuf, to be decoded and
   * held by a trace worker as a large file is, so its waterfall is never prepared on the extension host's thread;
   * `preview` hears its first rows first, made here from the spans held.
   */
  lookupTrace(traceId: string, preview?: (first: WaterfallModel) => void): { trace: Trace } | { otlp: Uint8Array } | null {
    const stored = this.store.stored(traceId);
    if (!stored) return null;
    if (stored.spans.length <= COPY_SPAN_LIMIT) return { trace: this.store.getTrace(traceId)! };
    // Its first rows from the spans held here, before the trace is copied and written out (which take longer).
    if (preview && stored.spans.length > PREVIEW_ABOVE) preview(this.firstRows(stored));
    const raw = this.store.rawTrace(traceId)!;
    try {
      return { otlp: toOtlpProtobuf(raw) };
    } catch {
      // An id no decoder made (the store only holds decoded spans): JSON carries it as it is.
      return { otlp: traceFileBytes(raw, 'otlp-json') };
    }
  }

  /** A held trace's first rows from a skim of its spans; else from a checked copy's whole waterfall, as views get it. */
  private firstRows(stored: Parameters<typeof skimHeldSpans>[0]): WaterfallModel {
    const skim = skimOrReason(() => skimHeldSpans(stored));
    const first = 'unread' in skim ? skim : firstRowsOfSkim(skim);
    if (!('unread' in first)) return first;
    const view = this.store.rawTrace(stored.traceId)!;
    return previewModel(prepareTrace(view, checkStructure(view)).model);
  }

  /** A stored trace as received (no structure checks, no clock-skew correction), as a file's bytes. */
  traceFileBytes(traceId: string, format: TraceFileFormat): Uint8Array | null {
    const raw = this.store.rawTrace(traceId);
    return raw ? traceFileBytes(raw, format) : null;
  }

  exportJsonl(): { text: string; traces: number; spans: number } {
    const traces = this.store
      .list()
      .map((t) => this.store.rawTrace(t.traceId))
      .filter((t): t is Trace => t !== undefined);
    return { text: toOtlpJsonLines(traces), traces: traces.length, spans: traces.reduce((sum, t) => sum + t.spans.length, 0) };
  }

  clear(): { traces: number; spans: number } {
    const { traces, spans } = this.store.size;
    this.store.clear();
    // Cleared by the user, not lost to the pace of arrival.
    this.leftUnanalysed = 0;
    return { traces, spans };
  }

  serviceMap(): ServiceMap {
    const map = this.graph.snapshot();
    const arriving = this.analysis.waiting;
    if (arriving) map.notes.push(`${counted(arriving, 'trace')} still arriving: each joins the map once no span of it has come for ${SETTLE_MS / 1000} s`);
    return map;
  }

  attributeValues({ attribute, service }: { attribute: string; service?: string }): ValuesAnswer {
    return valuesHeld(this.held, attribute, service);
  }

  compareGroups({ split, service }: { split: SplitRule; service?: string }): Promise<Compared<GroupReport>> {
    return compareHeld(this.held, split, service);
  }

  profileOperation({ service, operation }: { service: string; operation: string }): Promise<Compared<AggregateReport>> {
    return profileHeld(this.held, service, operation);
  }

  compareTraces({ a, b }: { a: string | Trace; b: string | Trace }): Compared<TraceReport> | null {
    const [ta, tb] = [a, b].map((t) => (typeof t === 'string' ? this.store.getTrace(t) : t));
    return ta && tb ? traceReport(ta, tb) : null;
  }

  private readonly held: HeldTraces = {
    ids: () => this.store.traceIds(),
    spans: (traceId) => this.store.stored(traceId),
    trace: (traceId) => this.store.getTrace(traceId),
  };

  search(query: SearchQuery): Promise<SearchResult> {
    return this.source.search(query);
  }

  services(): Promise<string[]> {
    return this.source.services();
  }

  operations(service: string): Promise<string[]> {
    return this.source.operations(service);
  }
}
