// The bounded in-memory store the receiver fills. Spans of one trace arrive in many batches, in any order and
// sometimes twice (exporter retries); the store merges them per trace and, when full, evicts with tail-based
// retention: ordinary traces go first (least recently updated first), traces that hold the slowest span of an
// operation next, traces with errors last.
import { hasClockSkew } from '../analysis/clockSkew';
import { buildSpanTree, type SpanTree } from '../analysis/spanTree';
import { parentsAndRepeats } from '../model/parentIndex';
import { checkStructure } from '../formats/decode';
import { KIND_BY_NUMBER, KIND_NUMBER } from '../model/status';
import { isError, type Resource, type Scope, type Span, type SpanKind, type Trace, type TraceWarning } from '../model/trace';
import { pushWarning, resolveDuplicateIds } from '../model/traceAssembler';
import { estimateSharedBytes, estimateSpanBytes } from './spanSize';

export interface SpanStoreLimits {
  maxSpans: number;
  /** Estimated heap bytes of the stored spans (see spanSize.ts). */
  maxBytes: number;
}

/** Sized for a laptop: at the measured ~0.6 KB per typical span this is well under half a gigabyte. */
export const DEFAULT_STORE_LIMITS: SpanStoreLimits = { maxSpans: 200_000, maxBytes: 256 * 1024 * 1024 };

/** Eviction frees down to this share of a limit, so a full store does not scan on every batch. */
const EVICT_TO = 0.9;
const CHANGE_DEBOUNCE_MS = 250;

export interface StoredTraceInfo {
  traceId: string;
  /** Service and name of the earliest span without a parent; empty while the root has not arrived. */
  rootService: string;
  rootName: string;
  startUnixNano: bigint;
  durationNs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  /** Date.now() when the trace last received spans. */
  updatedAt: number;
}

export interface OperationInfo {
  service: string;
  name: string;
  spanCount: number;
  errorCount: number;
  slowestNs: number;
  slowestTraceId?: string;
}

export interface StoreCounts {
  spans: number;
  traces: number;
  bytes: number;
  /** Spans not stored again because the same trace id, span id and start were already there. */
  duplicateSpans: number;
  evictedSpans: number;
  evictedTraces: number;
}

interface StoredTrace {
  traceId: string;
  startUnixNano: bigint;
  spans: Span[];
  /**
   * First span stored under each id; a different span with the same id (a Zipkin shared half) is kept too. Made
   * when a second batch of the trace comes: a batch's own ids are unique (TraceAssembler makes them so), and most
   * traces come in one.
   */
  byId?: Map<string, Span>;
  /** The resources and scopes its spans hold, each counted once in `bytes` (a 20 MiB resource attribute is real memory). */
  shared: Set<object>;
  /** The last resource and scope its spans were counted with (storeSpan looks up only a change). */
  lastResource?: Resource;
  lastScope?: Scope;
  /** Starts of the spans that share an id with another (rare; made on the first clash): duplicates in O(1). */
  clashes?: Map<string, Set<number>>;
  warnings: TraceWarning[];
  bytes: number;
  endNs: number;
  errorCount: number;
  root?: Span;
  /** How many operations have their slowest span in this trace. */
  slowestOf: number;
  updatedAt: number;
}

interface Operation extends OperationInfo {
  slowestTrace?: StoredTrace;
  /** Its held spans by kind (KIND_NUMBER): Jaeger's query API lists an operation once per kind it was seen with. */
  kinds: number[];
}

const MAX_WARNINGS_PER_TRACE = 100;

function warningsOf(stored: StoredTrace): TraceWarning[] {
  const warnings: TraceWarning[] = [];
  for (const w of stored.warnings) pushWarning(warnings, w);
  return warnings;
}

/**
 * A copy made field by field, not spread: a spread object starts from the empty literal's shape, where the span
 * decoder's drafts (`spans` first, holding a list) live, and a number there made V8 throw away the decoder's
 * optimised code (seen with --trace-generalization, a hundred requests into a receiver's life).
 */
function countsOf(c: StoreCounts): StoreCounts {
  return {
    spans: c.spans,
    traces: c.traces,
    bytes: c.bytes,
    duplicateSpans: c.duplicateSpans,
    evictedSpans: c.evictedSpans,
    evictedTraces: c.evictedTraces,
  };
}

export class SpanStore {
  /** Map order is the eviction order: a trace that receives spans moves to the end. */
  private readonly traces = new Map<string, StoredTrace>();
  /** By service, then span name: nested maps save building a key string per span. */
  private readonly operations = new Map<string, Map<string, Operation>>();
  private readonly listeners = new Set<() => void>();
  /** Synchronous, per batch: incremental indexes (code statistics) follow the store exactly. */
  private readonly spanListeners = new Set<{ added(view: Trace): void; removed(view: Trace): void }>();
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private counts: StoreCounts = { spans: 0, traces: 0, bytes: 0, duplicateSpans: 0, evictedSpans: 0, evictedTraces: 0 };

  constructor(
    private limits: SpanStoreLimits = DEFAULT_STORE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  setLimits(limits: SpanStoreLimits): void {
    this.limits = limits;
    this.enforceLimits();
  }

  /** Takes ownership of the decoded traces' spans (they are rebased in place). Returns the spans stored. */
  add(traces: readonly Trace[]): number {
    let stored = 0;
    for (const trace of traces) stored += this.addTrace(trace);
    this.counts.spans += stored;
    this.enforceLimits();
    if (stored > 0) this.scheduleChanged();
    return stored;
  }

  private addTrace(incoming: Trace): number {
    let target = this.traces.get(incoming.traceId);
    if (target) {
      this.traces.delete(incoming.traceId);
      rebase(target, incoming);
    } else {
      target = {
        traceId: incoming.traceId,
        startUnixNano: incoming.startUnixNano,
        spans: [],
        shared: new Set(),
        warnings: [],
        bytes: 0,
        endNs: 0,
        errorCount: 0,
        slowestOf: 0,
        updatedAt: 0,
      };
      this.counts.traces++;
    }
    this.traces.set(incoming.traceId, target);
    target.updatedAt = this.now();
    for (const warning of incoming.warnings) if (target.warnings.length < MAX_WARNINGS_PER_TRACE) target.warnings.push(warning);
    const added: Span[] = [];
    if (target.spans.length && !target.byId) this.indexIds(target);
    for (const span of incoming.spans) {
      if (target.byId && this.isDuplicate(target, target.byId, span)) {
        this.counts.duplicateSpans++;
        continue;
      }
      this.storeSpan(target, span);
      added.push(span);
    }
    if (added.length) for (const l of this.spanListeners) l.added(view(target, added));
    return added.length;
  }

  private indexIds(trace: StoredTrace): void {
    const byId = new Map<string, Span>();
    trace.byId = byId;
    for (const span of trace.spans) this.isDuplicate(trace, byId, span);
  }

  private isDuplicate(trace: StoredTrace, byId: Map<string, Span>, span: Span): boolean {
    const first = byId.get(span.spanId);
    if (!first) {
      byId.set(span.spanId, span);
      return false;
    }
    if (first.startNs === span.startNs) return true;
    // Rare: two different spans share an id. Thousands of them must not cost a scan each.
    trace.clashes ??= new Map();
    let starts = trace.clashes.get(span.spanId);
    if (!starts) trace.clashes.set(span.spanId, (starts = new Set([first.startNs])));
    if (starts.has(span.startNs)) return true;
    starts.add(span.startNs);
    return false;
  }

  private storeSpan(trace: StoredTrace, span: Span): void {
    // A batch's spans share one resource and scope in runs: only a change is looked up.
    let bytes = estimateSpanBytes(span);
    if (span.resource !== trace.lastResource) bytes += this.newlyShared(trace, (trace.lastResource = span.resource));
    if (span.scope && span.scope !== trace.lastScope) bytes += this.newlyShared(trace, (trace.lastScope = span.scope));
    trace.spans.push(span);
    trace.bytes += bytes;
    this.counts.bytes += bytes;
    trace.endNs = Math.max(trace.endNs, span.startNs + span.durationNs);
    if (isError(span)) trace.errorCount++;
    // The root lists show is the one the waterfall's header names (criticalPath.mainRoot): the longest-running.
    if (span.parentSpanId === undefined && (!trace.root || span.durationNs > trace.root.durationNs)) trace.root = span;
    this.countOperation(trace, span);
  }

  /** The bytes of a resource or scope the trace did not hold yet (0 if it did). */
  private newlyShared(trace: StoredTrace, shared: Resource | Scope): number {
    if (trace.shared.has(shared)) return 0;
    trace.shared.add(shared);
    return estimateSharedBytes(shared);
  }

  private countOperation(trace: StoredTrace, span: Span): void {
    const service = span.resource.serviceName;
    let byName = this.operations.get(service);
    if (!byName) this.operations.set(service, (byName = new Map()));
    let op = byName.get(span.name);
    if (!op) {
      op = { service, name: span.name, spanCount: 0, errorCount: 0, slowestNs: -1, kinds: KIND_BY_NUMBER.map(() => 0) };
      byName.set(span.name, op);
    }
    op.spanCount++;
    op.kinds[KIND_NUMBER[span.kind]]++;
    if (isError(span)) op.errorCount++;
    if (span.durationNs > op.slowestNs) {
      op.slowestNs = span.durationNs;
      if (op.slowestTrace !== trace) {
        if (op.slowestTrace) op.slowestTrace.slowestOf--;
        trace.slowestOf++;
        op.slowestTrace = trace;
        op.slowestTraceId = trace.traceId;
      }
    }
  }

  private enforceLimits(): void {
    const { maxSpans, maxBytes } = this.limits;
    if (this.counts.spans <= maxSpans && this.counts.bytes <= maxBytes) return;
    const spanTarget = Math.max(1, Math.floor(maxSpans * EVICT_TO));
    const byteTarget = Math.floor(maxBytes * EVICT_TO);
    const fits = () => this.counts.spans <= spanTarget && this.counts.bytes <= byteTarget;
    // Three passes, least valuable first; each pass walks the traces least recently updated first.
    const passes: ((t: StoredTrace) => boolean)[] = [(t) => t.errorCount === 0 && t.slowestOf === 0, (t) => t.errorCount === 0, () => true];
    for (const evictable of passes) {
      for (const trace of this.traces.values()) {
        if (fits()) return;
        if (evictable(trace)) this.evict(trace);
      }
    }
  }

  private evict(trace: StoredTrace): void {
    for (const l of this.spanListeners) l.removed(view(trace, trace.spans));
    this.traces.delete(trace.traceId);
    this.counts.traces--;
    this.counts.spans -= trace.spans.length;
    this.counts.bytes -= trace.bytes;
    this.counts.evictedTraces++;
    this.counts.evictedSpans += trace.spans.length;
    for (const span of trace.spans) {
      const byName = this.operations.get(span.resource.serviceName);
      const op = byName?.get(span.name);
      if (!byName || !op) continue;
      op.spanCount--;
      op.kinds[KIND_NUMBER[span.kind]]--;
      if (isError(span)) op.errorCount--;
      if (op.spanCount === 0) {
        byName.delete(span.name);
        if (byName.size === 0) this.operations.delete(span.resource.serviceName);
      } else if (op.slowestTrace === trace) {
        // The next slower span that arrives becomes the operation's slowest; a rescan would cost O(store).
        op.slowestTrace = undefined;
        op.slowestTraceId = undefined;
        op.slowestNs = -1;
      }
    }
  }

  get size(): StoreCounts {
    return countsOf(this.counts);
  }

  has(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  /** The stored trace itself, for reading only (shared with later batches). */
  stored(traceId: string): Pick<Trace, 'traceId' | 'startUnixNano' | 'spans' | 'warnings'> | undefined {
    return this.traces.get(traceId);
  }

  /** Oldest first. */
  traceIds(): string[] {
    return [...this.traces.keys()];
  }

  /** The trace as received, as a copy (no structure checks, no clock-skew correction): what an export writes. */
  rawTrace(traceId: string): Trace | undefined {
    const stored = this.traces.get(traceId);
    if (!stored) return undefined;
    const warnings = warningsOf(stored);
    const spans = resolveDuplicateIds(
      stored.spans.map((s) => ({ ...s })),
      warnings,
    );
    return { traceId, startUnixNano: stored.startUnixNano, spans, warnings };
  }

  /**
   * The trace checked as `getTrace` checks it, with its tree, for reading only: the stored spans themselves when
   * the check would change none of them (no id shared by two spans, no clock skew), else a checked copy. The
   * findings analysis reads every settled trace this way; views, which annotate, get copies.
   */
  readOnlyTrace(traceId: string): { trace: Trace; tree: SpanTree | undefined } | undefined {
    const stored = this.traces.get(traceId);
    if (!stored) return undefined;
    // The ids are read once, for their repeats and the tree alike.
    const { parents, repeats } = parentsAndRepeats(stored.spans);
    if (!repeats) {
      const trace: Trace = { traceId, startUnixNano: stored.startUnixNano, spans: stored.spans, warnings: warningsOf(stored) };
      const tree = buildSpanTree(trace, parents);
      if (!hasClockSkew(trace, tree)) {
        trace.warnings.push(...tree.warnings);
        return { trace, tree };
      }
    }
    return this.checkedTrace(traceId);
  }

  /**
   * A self-contained copy of the trace for a view: the stored spans are shared with later batches, so views get
   * copies they may annotate (clock-skew adjustment moves spans).
   */
  getTrace(traceId: string): Trace | undefined {
    return this.checkedTrace(traceId)?.trace;
  }

  /** `getTrace`, with the span tree its structure check built (undefined when clock skew moved spans). */
  private checkedTrace(traceId: string): { trace: Trace; tree: SpanTree | undefined } | undefined {
    const trace = this.rawTrace(traceId);
    return trace && { trace, tree: checkStructure(trace) };
  }

  /** Newest (most recently updated) first. */
  list(): StoredTraceInfo[] {
    const result: StoredTraceInfo[] = [];
    for (const t of this.traces.values()) result.push(info(t));
    return result.reverse();
  }

  operationsOf(service?: string): OperationInfo[] {
    const result: OperationInfo[] = [];
    const services = service === undefined ? [...this.operations.values()] : [this.operations.get(service) ?? new Map<string, Operation>()];
    for (const byName of services) {
      for (const { slowestTrace: _, kinds: __, ...op } of byName.values()) result.push(op);
    }
    return result;
  }

  /** A service's operations, each with the kinds its held spans have. */
  operationKinds(service: string): { name: string; kinds: SpanKind[] }[] {
    return [...(this.operations.get(service)?.values() ?? [])].map((op) => ({
      name: op.name,
      kinds: KIND_BY_NUMBER.filter((_, number) => op.kinds[number] > 0),
    }));
  }

  services(): string[] {
    return [...this.operations.keys()].sort();
  }

  clear(): void {
    for (const t of this.traces.values()) for (const l of this.spanListeners) l.removed(view(t, t.spans));
    this.traces.clear();
    this.operations.clear();
    this.counts.spans = 0;
    this.counts.traces = 0;
    this.counts.bytes = 0;
    this.scheduleChanged();
  }

  /** Spans as they are stored and evicted (views share the store's span objects: read only). */
  onSpans(listener: { added(view: Trace): void; removed(view: Trace): void }): { dispose(): void } {
    this.spanListeners.add(listener);
    return { dispose: () => this.spanListeners.delete(listener) };
  }

  /** Debounced: a burst of batches makes one call. */
  onChanged(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private scheduleChanged(): void {
    if (this.changeTimer || this.listeners.size === 0) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      for (const listener of [...this.listeners]) listener();
    }, CHANGE_DEBOUNCE_MS);
    this.changeTimer.unref?.();
  }

  dispose(): void {
    clearTimeout(this.changeTimer);
    this.listeners.clear();
    this.spanListeners.clear();
  }
}

function view(trace: StoredTrace, spans: Span[]): Trace {
  return { traceId: trace.traceId, startUnixNano: trace.startUnixNano, spans, warnings: [] };
}

/** Puts the incoming spans and the stored ones on one time base: the earlier of the two starts. */
function rebase(stored: StoredTrace, incoming: Trace): void {
  if (incoming.startUnixNano >= stored.startUnixNano) {
    const shift = Number(incoming.startUnixNano - stored.startUnixNano);
    if (shift !== 0) for (const span of incoming.spans) span.startNs += shift;
    return;
  }
  const shift = Number(stored.startUnixNano - incoming.startUnixNano);
  for (const span of stored.spans) span.startNs += shift;
  stored.endNs += shift;
  stored.startUnixNano = incoming.startUnixNano;
}

function info(t: StoredTrace): StoredTraceInfo {
  const services = new Set<string>();
  for (const span of t.spans) services.add(span.resource.serviceName);
  return {
    traceId: t.traceId,
    rootService: t.root?.resource.serviceName ?? '',
    rootName: t.root?.name ?? '',
    startUnixNano: t.startUnixNano,
    durationNs: t.endNs,
    spanCount: t.spans.length,
    errorCount: t.errorCount,
    services: [...services].sort(),
    updatedAt: t.updatedAt,
  };
}
