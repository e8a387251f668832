// Runs of alike siblings (one service, one name, one kind, one after another under one parent): twelve
// "SELECT price …" rows in a row are one loop to a reader, and the waterfall can fold them into one "× 12" row.
import type { WaterfallRows } from './rows';

/** Fewer alike siblings than this read fine as they are. */
export const MIN_RUN = 5;

/** Each run's rows in tree order, first row first; O(rows). */
export function similarRuns(rows: WaterfallRows, minRun = MIN_RUN): Int32Array[] {
  const runs: Int32Array[] = [];
  const n = rows.span.length;
  // Children of a row are found by jumping over each child's subtree; roots are the children of "no row".
  const visitChildren = (first: number, end: number) => {
    let run: number[] = [];
    for (let c = first; c < end; c = rows.subtreeEnd[c]) {
      const last = run[run.length - 1];
      if (last !== undefined && !alike(rows, last, c)) {
        if (run.length >= minRun) runs.push(new Int32Array(run));
        run = [];
      }
      run.push(c);
    }
    if (run.length >= minRun) runs.push(new Int32Array(run));
  };
  visitChildren(0, n);
  for (let r = 0; r < n; r++) if (rows.subtreeEnd[r] > r + 1) visitChildren(r + 1, rows.subtreeEnd[r]);
  return runs.sort((a, b) => a[0] - b[0]);
}

function alike(rows: WaterfallRows, a: number, b: number): boolean {
  return rows.service[a] === rows.service[b] && rows.name[a] === rows.name[b] && rows.kind[a] === rows.kind[b];
}
