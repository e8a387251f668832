/**
 * A whole number with thousands separators, 1234567 → "1,234,567", as toLocaleString('en-US') writes it, without
 * loading the locale data: its first call took 20 ms of a new waterfall page's first paint.
 */
export function groupDigits(n: number): string {
  const grouped = String(Math.trunc(Math.abs(n))).replace(/\B(?=(\d{3})+$)/g, ',');
  return n <= -1 ? `-${grouped}` : grouped;
}
