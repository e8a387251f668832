// The overview's pixels, worked out in arrays rather than drawn a bar at a time: a million rows drawn with one
// fillRect each held the window for 1.5 s (three times while a 1M-span trace opened). Rows are painted last to
// first into each pixel line, and a painted pixel is never painted again (the later bar covered it, as the
// canvas would have), so the work is one pass over the rows plus one over the pixels. No DOM: unit-tested.

/** What the overview paints: row r's bar from startNs[r] for durationNs[r], coloured by service[r]. */
export interface OverviewRows {
  startNs: Float64Array;
  durationNs: Float64Array;
  service: Int32Array;
}

/**
 * Per pixel (row-major, `width` × `height`), 1 + the service index of the bar on top there, 0 where none is.
 * `visible` lists the rows shown, top to bottom, `count` of them; a row is at least one pixel wide and tall.
 */
export function rasterizeOverview(rows: OverviewRows, visible: Int32Array, count: number, totalNs: number, width: number, height: number): Int16Array {
  const pixels = new Int16Array(width * height);
  if (count === 0 || width === 0 || height === 0) return pixels;
  const total = totalNs || 1;
  // Per pixel: the next pixel at or after it not painted yet (a pixel past the line's end when none is).
  const next = new Int32Array(width + 1);
  const free = (x: number): number => {
    let root = x;
    while (next[root] !== root) root = next[root];
    // Shorten the paths walked, so each line costs about one pass over its pixels.
    while (next[x] !== root) {
      const after = next[x];
      next[x] = root;
      x = after;
    }
    return root;
  };
  // Rows are visited from the last, so each pixel line starts over when the rows move to a line above it.
  let line = -1;
  for (let p = count - 1; p >= 0; p--) {
    const r = visible[p];
    const top = Math.min(height - 1, Math.floor((p / count) * height));
    const bottom = Math.max(top + 1, Math.min(height, Math.floor(((p + 1) / count) * height)));
    const x0 = Math.min(width - 1, Math.max(0, Math.floor((rows.startNs[r] / total) * width)));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil(((rows.startNs[r] + rows.durationNs[r]) / total) * width)));
    const colour = rows.service[r] + 1;
    if (bottom - top > 1) {
      // Fewer rows than pixel lines: a row has lines of its own, painted whole.
      for (let y = top; y < bottom; y++) pixels.fill(colour, y * width + x0, y * width + x1);
      continue;
    }
    if (top !== line) {
      line = top;
      for (let x = 0; x <= width; x++) next[x] = x;
    }
    for (let x = free(x0); x < x1; x = free(x + 1)) {
      pixels[top * width + x] = colour;
      next[x] = x + 1;
    }
  }
  return pixels;
}
