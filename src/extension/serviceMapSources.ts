// Where a service map comes from, for the Service Map panel and the agents' tool alike: the traces the receiver
// holds (kept in its thread as they settle), the traces opened or loaded here, or a backend's own dependency graph
// over a time window.
import { ServiceGraph } from '../core/analysis/serviceGraph/serviceGraph';
import { mapFromDependencies, type ServiceMap } from '../core/analysis/serviceGraph/serviceMap';
import type { OpenedTraces } from '../core/sources/openedTraces';
import { describeLookback, type TraceSource } from '../core/sources/traceSource';
import type { ReceivedStore } from './receivedStore';
import type { SourceRegistry } from './sourceRegistry';

export const RECEIVED_MAP = 'Traces received by Trace Lens';
export const OPENED_MAP = 'Traces opened or loaded here';

export interface MapSources {
  store: ReceivedStore;
  opened: OpenedTraces;
  registry: SourceRegistry;
}

/** A backend's dependency graph is read over this window unless one is picked (the panel lets the user). */
export const DEFAULT_MAP_LOOKBACK_MS = 3_600_000;

/** The configured backends with a dependency API (Jaeger's, Zipkin's). */
async function mapBackends(registry: SourceRegistry): Promise<TraceSource[]> {
  return (await registry.all()).filter((s) => s.kind !== 'receiver' && s.dependencies);
}

/** The names a map can be read from now: the receiver's, the opened traces' when there are some, each backend's. */
export async function mapSourceNames({ opened, registry }: MapSources): Promise<string[]> {
  return [RECEIVED_MAP, ...(opened.all().length ? [OPENED_MAP] : []), ...(await mapBackends(registry)).map((s) => s.name)];
}

export async function readServiceMap({ store, opened, registry }: MapSources, source: string, lookbackMs: number): Promise<ServiceMap> {
  if (source === RECEIVED_MAP) return store.serviceMap();
  if (source === OPENED_MAP) {
    const graph = new ServiceGraph();
    for (const trace of opened.all()) graph.add(trace);
    return graph.snapshot();
  }
  const backend = (await mapBackends(registry)).find((s) => s.name === source);
  if (!backend?.dependencies) throw new Error(`${source} has no dependency API (Jaeger and Zipkin have one; Tempo computes its graph as metrics)`);
  return mapFromDependencies(await backend.dependencies(lookbackMs), backend.name, describeLookback(lookbackMs));
}
