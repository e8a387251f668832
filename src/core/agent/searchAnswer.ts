// A trace search for a language model: what it asks in the words the editor's search prompt takes, checked into a
// query; and what each source found, with the trace ids to ask about next.
import { formatDuration } from '../analysis/formatDuration';
import { parseDurationNs } from '../model/durationText';
import { attributePairs } from '../sources/searchFilters';
import type { SearchQuery, SearchResult } from '../sources/traceSource';
import { answer, quoted } from './agentText';
import { counted } from '../analysis/counted';

/** A tool's search input, as a model fills it in. */
export interface SearchInput {
  service: string;
  operation?: string;
  /** "250ms", "2s". */
  minDuration?: string;
  /** "key=value" each, e.g. "http.response.status_code=500". */
  attributes?: string[];
  /** How far back: "15m", "1h" (the default), "48h" (hours are the largest unit). */
  lookback?: string;
  limit?: number;
}

const DEFAULT_LOOKBACK_MS = 3_600_000;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

/** The query, or why the input is not one (said to the model, which can ask again). */
export function searchQueryFrom(input: SearchInput): SearchQuery | string {
  const service = String(input.service ?? '').trim();
  if (!service) return 'a search needs the service whose spans to look for';
  const minDurationNs = input.minDuration ? parseDurationNs(String(input.minDuration)) : undefined;
  if (input.minDuration && !minDurationNs) return `minDuration "${String(input.minDuration).slice(0, 40)}" is not a duration such as 250ms or 2s`;
  const lookbackNs = input.lookback ? parseDurationNs(String(input.lookback)) : DEFAULT_LOOKBACK_MS * 1e6;
  if (!lookbackNs) return `lookback "${String(input.lookback).slice(0, 40)}" is not a duration such as 15m or 24h`;
  // A model may give one pair as a string where a list was asked for.
  const given: unknown = input.attributes ?? [];
  const attributes = attributePairs((Array.isArray(given) ? given : [given]).map(String));
  if (typeof attributes === 'string') return attributes;
  const limit = Number.isInteger(input.limit) && input.limit! > 0 ? Math.min(input.limit!, MAX_LIMIT) : DEFAULT_LIMIT;
  const operation = input.operation ? String(input.operation) : undefined;
  return { service, operation, minDurationNs, attributes, lookbackMs: lookbackNs / 1e6, limit };
}

/** One source's part of a search: what it found, or why it could not answer. */
export type SourceSearch = { source: string; result: SearchResult } | { source: string; error: string };

function startText(startUnixNano: string): string {
  if (!/^\d+$/.test(startUnixNano)) return 'start unknown';
  return new Date(Number(BigInt(startUnixNano) / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 19);
}

/** "1h", "15m", as the lookback was asked. */
function lookbackText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : formatDuration(ms * 1e6);
}

function queryText(query: SearchQuery): string {
  const parts = [`service ${quoted(query.service)}`];
  if (query.operation) parts.push(`operation ${quoted(query.operation)}`);
  if (query.minDurationNs) parts.push(`at least ${formatDuration(query.minDurationNs)}`);
  for (const [key, value] of Object.entries(query.attributes ?? {})) parts.push(`${quoted(key)}=${quoted(value)}`);
  return `${parts.join(', ')}, in the last ${lookbackText(query.lookbackMs)}`;
}

export function searchAnswer(query: SearchQuery, searched: readonly SourceSearch[]): string {
  const lines = [`Traces with a span of ${queryText(query)}:`];
  for (const part of searched) {
    if ('error' in part) {
      lines.push(`${part.source}: could not search: ${quoted(part.error)}`);
      continue;
    }
    const { hits, notes } = part.result;
    lines.push(`${part.source}: ${hits.length ? counted(hits.length, 'trace') : 'none'}`);
    for (const h of hits) {
      const failed = h.errorCount ? `, ${h.errorCount} failed` : '';
      const spans = h.spanCount === undefined ? '' : `, ${h.spanCount} spans${failed}`;
      lines.push(
        `- ${h.traceId} ${startText(h.startUnixNano)}, ${formatDuration(h.durationNs)}${spans}: root ${quoted(h.rootService)} · ${quoted(h.rootName)}`,
      );
    }
    for (const note of notes) lines.push(`  note: ${quoted(note)}`);
  }
  return answer(lines);
}
