// How long to wait before asking again something that had no answer: twice as long after each miss, up to a
// ceiling, so a question that may never be answered stops costing whoever is asked.

export interface Backoff {
  firstMs: number;
  longestMs: number;
}

/** The wait after the `misses`-th miss (1 for the first). */
export function backoffMs(misses: number, { firstMs, longestMs }: Backoff): number {
  return Math.min(longestMs, firstMs * 2 ** Math.max(0, misses - 1));
}
