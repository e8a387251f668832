// The words a search is narrowed by, the same in the editor and the CLI: durations (`100ms`, `>250ms`) and
// attribute filters (`http.response.status_code=500`; the value is everything after the first `=`).
import { parseDurationNs } from '../model/durationText';

export interface SearchFilters {
  minDurationNs?: number;
  attributes: Record<string, string>;
}

/** `key=value` words as attribute filters, or a message naming the word that is not one. */
export function attributePairs(words: readonly string[]): Record<string, string> | string {
  const attributes: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) return `"${word}" is not key=value (e.g. http.response.status_code=500)`;
    attributes[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return attributes;
}

/** What the Search Traces prompt takes: a minimum duration and key=value words, separated by spaces. */
export function parseSearchFilters(text: string): SearchFilters | string {
  let minDurationNs: number | undefined;
  const pairs: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    if (word.indexOf('=') > 0) {
      pairs.push(word);
      continue;
    }
    const ns = parseDurationNs(word.replace(/^>=?/, ''));
    if (ns === undefined) return `"${word}" is neither a duration (100ms) nor key=value`;
    minDurationNs = ns;
  }
  const attributes = attributePairs(pairs);
  return typeof attributes === 'string' ? attributes : { minDurationNs, attributes };
}
