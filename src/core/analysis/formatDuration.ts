/** Human-readable durations as trace viewers print them: 850 ns, 12.3 µs, 48 ms, 2.35 s, 3m 12s. */
export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${Math.round(ns)} ns`;
  if (abs < 1e6) return `${trim(ns / 1e3)} µs`;
  if (abs < 1e9) return `${trim(ns / 1e6)} ms`;
  if (abs < 60e9) return `${trim(ns / 1e9)} s`;
  const minutes = Math.floor(abs / 60e9);
  const seconds = Math.round((abs - minutes * 60e9) / 1e9);
  return `${ns < 0 ? '-' : ''}${minutes}m ${seconds}s`;
}

function trim(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}
