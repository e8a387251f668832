// The order the flame graph lays a trace's rows out in, apart from the chart: no DOM here, so the unit tests check it.

/**
 * Rows by depth, then start, then row: counted into their depths in row order, then each depth's rows sorted by
 * start unless they already are (in a tree whose siblings do not overlap, every depth is). A sort of every row
 * with a comparator took 135-275 ms at a million rows.
 */
export function byDepthThenStart(depth: ArrayLike<number>, startNs: ArrayLike<number>): Int32Array {
  const n = depth.length;
  const firstAt: number[] = [];
  for (let r = 0; r < n; r++) firstAt[depth[r] + 1] = (firstAt[depth[r] + 1] ?? 0) + 1;
  firstAt[0] = 0;
  for (let d = 1; d < firstAt.length; d++) firstAt[d] = (firstAt[d] ?? 0) + firstAt[d - 1];
  const order = new Int32Array(n);
  const next = firstAt.slice();
  for (let r = 0; r < n; r++) order[next[depth[r]]++] = r;
  for (let d = 0; d + 1 < firstAt.length; d++) {
    const rows = order.subarray(firstAt[d], firstAt[d + 1]);
    let sorted = true;
    for (let k = 1; k < rows.length && sorted; k++) sorted = startNs[rows[k - 1]] <= startNs[rows[k]];
    if (!sorted) rows.sort((a, b) => startNs[a] - startNs[b] || a - b);
  }
  return order;
}
