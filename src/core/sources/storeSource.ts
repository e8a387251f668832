// The local receiver's store as a source: asked first for a trace id, searchable like a backend.
import type { SpanStore } from '../receiver/spanStore';
import type { Trace } from '../model/trace';
import type { Health, SearchQuery, TraceHit, TraceSource } from './traceSource';

export class StoreSource implements TraceSource {
  readonly kind = 'receiver';
  readonly name = 'Local receiver';
  readonly lookupUsesTimeRange = false;

  constructor(private readonly store: SpanStore) {}

  async getTrace(traceId: string): Promise<Trace | undefined> {
    return this.store.getTrace(traceId);
  }

  async search(query: SearchQuery): Promise<TraceHit[]> {
    const since = Date.now() - query.lookbackMs;
    const hits: TraceHit[] = [];
    for (const info of this.store.list()) {
      if (hits.length >= query.limit) break;
      if (info.updatedAt < since || !info.services.includes(query.service)) continue;
      if (query.minDurationNs && info.durationNs < query.minDurationNs) continue;
      if (query.maxDurationNs && info.durationNs > query.maxDurationNs) continue;
      if (query.operation || query.attributes) {
        const trace = this.store.rawTrace(info.traceId);
        const match = trace?.spans.some((s) => s.resource.serviceName === query.service && (!query.operation || s.name === query.operation) && Object.entries(query.attributes ?? {}).every(([k, v]) => String(s.attributes[k]) === v));
        if (!match) continue;
      }
      hits.push({ traceId: info.traceId, rootService: info.rootService, rootName: info.rootName, startUnixNano: info.startUnixNano.toString(), durationNs: info.durationNs, spanCount: info.spanCount, errorCount: info.errorCount });
    }
    return hits;
  }

  async services(): Promise<string[]> {
    return this.store.services();
  }

  async operations(service: string): Promise<string[]> {
    return this.store.operationsOf(service).map((op) => op.name).sort();
  }

  async health(): Promise<Health> {
    const { spans, traces } = this.store.size;
    return { ok: true, detail: `${spans} spans in ${traces} traces` };
  }
}
