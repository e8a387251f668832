/** Nanoseconds as a Go duration string, the syntax Jaeger and Tempo take for duration filters ("150ms"). */
export function goDuration(ns: number): string {
  const whole = Math.round(ns);
  if (whole % 1e9 === 0) return `${whole / 1e9}s`;
  if (whole % 1e6 === 0) return `${whole / 1e6}ms`;
  if (whole % 1e3 === 0) return `${whole / 1e3}us`;
  return `${whole}ns`;
}
