// Runs of alike siblings (one service, one name, one kind, one after another under one parent): twelve
// "SELECT price …" rows in a row are one loop to a reader, and the waterfall can fold them into one "× 12" row.
import type { WaterfallRows } from './rows';

/** Fewer alike siblings than this read fine as they are. */
export const MIN_RUN = 5;

/**
 * Each run's rows in tree order, first row first; O(rows). Siblings are found by jumping over each one's subtree;
 * a run is counted as it goes and its rows gathered only when it is long enough (an array per parent cost a
 * million-row page 50-130 ms).
 */
export function similarRuns(rows: WaterfallRows, minRun = MIN_RUN): Int32Array[] {
  const runs: Int32Array[] = [];
  const n = rows.depth.length;
  const { subtreeEnd } = rows;
  const gather = (first: number, length: number) => {
    const run = new Int32Array(length);
    for (let k = 0, c = first; k < length; k++, c = subtreeEnd[c]) run[k] = c;
    runs.push(run);
  };
  // The children of `parent` (-1: the roots) start right after it and end where its subtree does.
  for (let parent = -1; parent < n; parent++) {
    const end = parent < 0 ? n : subtreeEnd[parent];
    if (end <= parent + 1) continue;
    let first = parent + 1;
    let length = 1;
    for (let c = subtreeEnd[first]; c < end; c = subtreeEnd[c]) {
      if (alike(rows, first, c)) length++;
      else {
        if (length >= minRun) gather(first, length);
        first = c;
        length = 1;
      }
    }
    if (length >= minRun) gather(first, length);
  }
  return runs.sort((a, b) => a[0] - b[0]);
}

function alike(rows: WaterfallRows, a: number, b: number): boolean {
  return rows.service[a] === rows.service[b] && rows.name[a] === rows.name[b] && rows.kind[a] === rows.kind[b];
}
