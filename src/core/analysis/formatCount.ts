/** Counts as status bars print them: 950, 1.2k, 34k, 1.5M. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${trimmed(n / 1e3)}k`;
  return `${trimmed(n / 1e6)}M`;
}

function trimmed(value: number): string {
  return String(Number(value.toFixed(value < 10 ? 1 : 0)));
}
