// Traces the user opened from files, or loaded from a backend, this session: a hover over one of their ids needs
// no backend, and CodeLens statistics include their spans.
import { LruMap } from '../cache/lruMap';
import type { Trace } from '../model/trace';
import type { SpanDigest } from '../stats/spanDigest';
import type { TraceStory } from '../analysis/traceStory';

export interface HeldTrace {
  /** Absent for a trace too large to count (see the opener). */
  digest?: SpanDigest;
  story: TraceStory;
  /** The file it was read from (a URI's text), when it came from one. */
  file?: string;
}
import { traceMatchesQuery } from './searchMatch';
import { hitFromTrace, type Health, type SearchQuery, type SearchResult, type TraceSource } from './traceSource';

/** Enough for a service's recent traces loaded from a backend, bounded so memory stays small. */
const MAX_TRACES = 200;
/** Large traces held in worker threads count through their digests (a few MB each at 100k spans). */
const MAX_DIGESTS = 20;

export class OpenedTraces implements TraceSource {
  readonly kind = 'receiver';
  readonly name = 'Opened and loaded traces';
  readonly lookupUsesTimeRange = false;
  private readonly traces = new LruMap<string, Trace>(MAX_TRACES, (traceId) => this.forgotten?.(traceId));
  private readonly held = new LruMap<string, HeldTrace>(MAX_DIGESTS, (traceId) => this.forgotten?.(traceId));
  /** Hears of a trace let go to make room (what was found in it goes with it). */
  forgotten: ((traceId: string) => void) | undefined;

  remember(trace: Trace): void {
    this.traces.set(trace.traceId, trace);
  }

  /**
   * A large trace a worker thread holds: CodeLens counts it through its digest, a hover tells its story, and it
   * opens again from its file. (A lookup by id does not find it here: the trace itself is not in this thread.)
   */
  rememberHeld(traceId: string, held: HeldTrace): void {
    this.held.set(traceId, held);
  }

  heldTrace(traceId: string): HeldTrace | undefined {
    return this.held.get(traceId);
  }

  /** The digests of large opened traces, each with its traces flagged as held (all of them). */
  digests(): [SpanDigest, Uint8Array][] {
    return [...this.held.values()].flatMap(({ digest }) =>
      digest ? [[digest, new Uint8Array(digest.traces.length).fill(1)] as [SpanDigest, Uint8Array]] : [],
    );
  }

  all(): Trace[] {
    return [...this.traces.values()];
  }

  async getTrace(traceId: string): Promise<Trace | undefined> {
    return this.traces.get(traceId);
  }

  describeApi(): string {
    return 'traces opened from files';
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const hits = [...this.traces.values()].filter((t) => traceMatchesQuery(t, query)).map(hitFromTrace);
    return { hits: hits.slice(0, query.limit), notes: [] };
  }

  async services(): Promise<string[]> {
    return [...new Set([...this.traces.values()].flatMap((t) => t.spans.map((s) => s.resource.serviceName)))].sort();
  }

  async operations(service: string): Promise<string[]> {
    return [...new Set([...this.traces.values()].flatMap((t) => t.spans.filter((s) => s.resource.serviceName === service).map((s) => s.name)))].sort();
  }

  async health(): Promise<Health> {
    return { ok: true, detail: `${this.traces.size} traces opened from files` };
  }
}
