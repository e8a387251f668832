// The traces of one group (a value of an attribute, of a service) fetched from a backend for a comparison: the
// backend searches (Jaeger and Zipkin tags, Tempo TraceQL `{.service.version="1.4.2"}`), then each hit is
// fetched, a few at a time. What was asked and what came back is said, so a report never hides a short side.
import type { Trace } from '../model/trace';
import { describeLookback, type TraceSource } from './traceSource';

/** Traces fetched at once per group. */
const CONCURRENCY = 6;

export interface GroupQuery {
  service: string;
  attribute: string;
  value: string;
  lookbackMs: number;
  /** The most traces fetched for the group. */
  limit: number;
}

export interface FetchedGroup {
  traces: Trace[];
  /** One line on what was fetched, then the backend's own notes (a filter applied here, not by it). */
  notes: string[];
}

export async function fetchGroup(source: TraceSource, query: GroupQuery, signal?: AbortSignal): Promise<FetchedGroup> {
  const { service, attribute, value, lookbackMs, limit } = query;
  const found = await source.search({ service, attributes: { [attribute]: value }, lookbackMs, limit }, signal);
  const traces: Trace[] = [];
  let missing = 0;
  const queue = [...found.hits];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let hit = queue.shift(); hit; hit = queue.shift()) {
        const trace = await source.getTrace(hit.traceId, { signal, lookbackMs });
        if (trace) traces.push(trace);
        else missing++;
      }
    }),
  );
  const gone = missing ? `; ${missing} found by the search could not be fetched` : '';
  const capped = found.hits.length >= limit ? ` (the search stops at ${limit})` : '';
  return {
    traces,
    notes: [
      `${source.name}: ${traces.length} traces of ${service} with ${attribute}=${value} in ${describeLookback(lookbackMs)}${capped}${gone}`,
      ...found.notes,
    ],
  };
}
