// The list of traces a person browses (received, opened, loaded): one row per trace, a filter typed as words
// (`checkout errors >250ms op=/orders`), a sort and an optional grouping. Pure: the side bar and tests use it.
import { parseDurationNs } from '../model/durationText';
import type { Trace } from '../model/trace';
import { summariseTrace } from './traceSummary';

export interface TraceRow {
  traceId: string;
  rootService: string;
  rootName: string;
  durationNs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  /** Epoch ms of the latest update (received) or of the trace's start (opened). */
  updatedAt: number;
  origin: 'received' | 'opened';
}

export interface TraceFilter {
  text: string;
  services: string[];
  operations: string[];
  words: string[];
  errorsOnly: boolean;
  minDurationNs?: number;
}

export type SortBy = 'newest' | 'slowest';
export type GroupBy = 'none' | 'service' | 'operation';

export function rowFromTrace(trace: Trace): TraceRow {
  const s = summariseTrace(trace);
  return {
    traceId: trace.traceId,
    rootService: s.rootService,
    rootName: s.rootName,
    durationNs: s.durationNs,
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    services: s.services,
    updatedAt: Number(trace.startUnixNano / 1_000_000n),
    origin: 'opened',
  };
}

/**
 * `service=checkout` (or `svc=`), `op=/orders` (part of the root operation), `errors`, `>250ms` (at least that
 * long), any other word: part of the root service or operation. A word that cannot be read is an error message.
 */
export function parseTraceFilter(text: string): TraceFilter | string {
  const filter: TraceFilter = { text: text.trim(), services: [], operations: [], words: [], errorsOnly: false };
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const pair = /^(service|svc|op|operation)=(.+)$/i.exec(word);
    if (pair) (/^s/i.test(pair[1]) ? filter.services : filter.operations).push(pair[2].toLowerCase());
    else if (/^(errors?|failed|failing)$/i.test(word)) filter.errorsOnly = true;
    else if (word.startsWith('>')) {
      const ns = parseDurationNs(word.replace(/^>=?/, ''));
      if (ns === undefined) return `"${word}" is not a duration (try >250ms or >2s)`;
      filter.minDurationNs = ns;
    } else filter.words.push(word.toLowerCase());
  }
  return filter;
}

export function matchesFilter(row: TraceRow, filter: TraceFilter): boolean {
  const name = `${row.rootService} ${row.rootName}`.toLowerCase();
  return (
    (!filter.errorsOnly || row.errorCount > 0) &&
    (filter.minDurationNs === undefined || row.durationNs >= filter.minDurationNs) &&
    filter.services.every((s) => row.services.some((service) => service.toLowerCase() === s)) &&
    filter.operations.every((o) => row.rootName.toLowerCase().includes(o)) &&
    filter.words.every((w) => name.includes(w))
  );
}

export function sortRows(rows: TraceRow[], by: SortBy): TraceRow[] {
  return [...rows].sort(by === 'slowest' ? (a, b) => b.durationNs - a.durationNs : (a, b) => b.updatedAt - a.updatedAt);
}

export interface RowGroup {
  key: string;
  rows: TraceRow[];
  errorCount: number;
}

/** Groups in order of their size (the busiest first); rows keep the order they came in. */
export function groupRows(rows: readonly TraceRow[], by: Exclude<GroupBy, 'none'>): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  for (const row of rows) {
    const key = by === 'service' ? row.rootService || '(root not received)' : `${row.rootService}: ${row.rootName}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, rows: [], errorCount: 0 }));
    group.rows.push(row);
    if (row.errorCount > 0) group.errorCount++;
  }
  return [...groups.values()].sort((a, b) => b.rows.length - a.rows.length || a.key.localeCompare(b.key));
}
