/** Human-readable durations as trace viewers print them: 850 ns, 12.3 µs, 48 ms, 2.35 s, 3m 12s. */
export function formatDuration(ns: number): string {
  if (Math.abs(Math.round(ns)) < 1e3) return `${Math.round(ns)} ns`;
  // The unit is chosen after rounding, so 999.6 ns reads "1 µs", never "1000 ns".
  for (const [size, unit, limit] of UNITS) {
    const value = trim(ns / size);
    if (Math.abs(Number(value)) < limit) return `${value} ${unit}`;
  }
  const seconds = Math.round(Math.abs(ns) / 1e9);
  return `${ns < 0 ? '-' : ''}${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

const UNITS: [size: number, unit: string, limit: number][] = [
  [1e3, 'µs', 1000],
  [1e6, 'ms', 1000],
  [1e9, 's', 60],
];

function trim(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}
