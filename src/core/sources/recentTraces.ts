// The most recent traces a source holds, fetched whole: what code statistics and findings are made from where no
// trace file holds the traffic (a backend, a running receiver read through its query API). Bounded: a source is
// asked for a few traces per service, never for everything it has.
import type { Trace } from '../model/trace';
import type { TraceSource } from './traceSource';

export interface RecentOptions {
  /** Those services' traces; every service the source names when not given. */
  services?: readonly string[];
  lookbackMs: number;
  perService: number;
  /** At most this many traces in all (a trace of several services counts once). */
  total: number;
  signal?: AbortSignal;
}

/** Traces fetched at once: a backend answers a few lookups in parallel well, a hundred at once less so. */
const PARALLEL = 4;

export async function loadRecentTraces(source: TraceSource, options: RecentOptions): Promise<Trace[]> {
  const { lookbackMs, perService, total, signal } = options;
  const services = options.services ?? (await source.services(signal));
  const ids = new Set<string>();
  for (const service of services) {
    if (ids.size >= total) break;
    const { hits } = await source.search({ service, lookbackMs, limit: perService }, signal);
    for (const hit of hits) if (ids.size < total) ids.add(hit.traceId);
  }
  const wanted = [...ids];
  const found: Trace[] = [];
  for (let i = 0; i < wanted.length; i += PARALLEL) {
    // A trace that left the source between the search and the lookup is skipped.
    const batch = await Promise.all(wanted.slice(i, i + PARALLEL).map((id) => source.getTrace(id, { signal, lookbackMs: 2 * lookbackMs })));
    for (const trace of batch) if (trace) found.push(trace);
  }
  return found;
}
