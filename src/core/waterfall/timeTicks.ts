// Ticks for a time axis: round steps (1, 2 or 5 times a power of ten) in one unit chosen for the step, so a
// 208 ms trace reads "0, 50 ms, 100 ms, 150 ms, 200 ms" rather than quarters like "52 ms" or a "0 ns" start.

export interface TimeTick {
  /** Where, in ns on the axis. */
  ns: number;
  label: string;
}

const UNITS: [size: number, unit: string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** The round step that gives about `count` ticks over `rangeNs`. */
export function tickStep(rangeNs: number, count = 5): number {
  const rough = Math.max(rangeNs, 1) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  // Two ticks at least (0 and one step): with few wanted, the round step can pass the range's end; then the
  // largest round step within it (2.5 too, so a 48 ms range reads "0, 25 ms", not three crowded ticks).
  const within =
    step > rangeNs
      ? [1, 2, 2.5, 5]
          .map((m) => m * power)
          .filter((s) => s <= rangeNs)
          .pop()
      : undefined;
  return Math.max(1, within ?? step);
}

export function timeTicks(startNs: number, endNs: number, count = 5): { step: number; ticks: TimeTick[] } {
  const step = tickStep(endNs - startNs, count);
  // The unit suits the largest time shown (so 1.2 ms reads "1.0 ms", not "1000 µs"); decimals suit the step.
  const [size, unit] = UNITS.find(([s]) => Math.max(step, endNs) >= s) ?? UNITS[UNITS.length - 1];
  const decimals = Math.max(0, Math.ceil(-Math.log10(step / size) - 1e-9));
  const ticks: TimeTick[] = [];
  for (let ns = Math.ceil(startNs / step) * step; ns <= endNs + 1e-6; ns += step) {
    const value = ns / size;
    ticks.push({ ns, label: ns === 0 ? '0' : `${value.toFixed(decimals)} ${unit}` });
  }
  return { step, ticks };
}
