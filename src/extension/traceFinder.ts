// Looks trace ids up across the receiver and the configured sources, with a small cache: hovers over the same
// id, then a click on "Open Waterfall", cost one lookup. Misses are remembered briefly (the trace may still be
// arriving), finds longer; only a few whole traces are kept.
import { LruMap } from '../core/cache/lruMap';
import { lookupTrace, type LookupResult } from '../core/sources/traceLookup';
import type { SourceRegistry } from './sourceRegistry';

const MAX_ENTRIES = 20;
const FOUND_TTL_MS = 5 * 60_000;
const MISS_TTL_MS = 15_000;

interface Entry {
  result: LookupResult;
  at: number;
}

export class TraceFinder {
  private readonly cache = new LruMap<string, Entry>(MAX_ENTRIES);

  constructor(private readonly registry: SourceRegistry) {}

  async find(traceId: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<LookupResult> {
    const cached = this.cache.get(traceId);
    if (cached && Date.now() - cached.at < (cached.result.found ? FOUND_TTL_MS : MISS_TTL_MS)) return cached.result;
    const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
    const result = await lookupTrace(traceId, await this.registry.all(), { signal: signals.length ? AbortSignal.any(signals) : undefined });
    if (result.found || (result.reason !== 'cancelled' && result.errors.length === 0)) this.remember(traceId, result);
    return result;
  }

  private remember(traceId: string, result: LookupResult): void {
    this.cache.set(traceId, { result, at: Date.now() });
  }

  clear(): void {
    this.cache.clear();
  }
}
