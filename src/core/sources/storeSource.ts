// The local receiver's store as a source: asked first for a trace id, searchable like a backend.
import type { SpanStore } from '../receiver/spanStore';
import type { Trace } from '../model/trace';
import { traceMatchesQuery } from './searchMatch';
import type { Health, SearchQuery, SearchResult, TraceHit, TraceSource } from './traceSource';

export class StoreSource implements TraceSource {
  readonly kind = 'receiver';
  readonly name = 'Local receiver';
  readonly lookupUsesTimeRange = false;

  constructor(private readonly store: SpanStore) {}

  async getTrace(traceId: string): Promise<Trace | undefined> {
    return this.store.getTrace(traceId);
  }

  describeApi(): string {
    return "the receiver's in-memory store";
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const since = Date.now() - query.lookbackMs;
    const hits: TraceHit[] = [];
    for (const info of this.store.list()) {
      if (hits.length >= query.limit) break;
      if (info.updatedAt < since || !info.services.includes(query.service)) continue;
      const trace = this.store.rawTrace(info.traceId);
      if (!trace || !traceMatchesQuery(trace, query)) continue;
      hits.push({
        traceId: info.traceId,
        rootService: info.rootService,
        rootName: info.rootName,
        startUnixNano: info.startUnixNano.toString(),
        durationNs: info.durationNs,
        spanCount: info.spanCount,
        errorCount: info.errorCount,
      });
    }
    return { hits, notes: [] };
  }

  async services(): Promise<string[]> {
    return this.store.services();
  }

  async operations(service: string): Promise<string[]> {
    return this.store
      .operationsOf(service)
      .map((op) => op.name)
      .sort();
  }

  async health(): Promise<Health> {
    const { spans, traces } = this.store.size;
    return { ok: true, detail: `${spans} spans in ${traces} traces` };
  }
}
