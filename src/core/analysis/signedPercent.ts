// A change as people read it in reports, lenses and the terminal: "+38%", "−4.5%" (a true minus sign), one
// decimal under ten percent where the size would otherwise round away.

/** `change` as a fraction (0.38 is +38%); `unit` for error-rate points (" pts"). */
export function signedPercent(change: number, unit = '%'): string {
  const decimals = change !== 0 && Math.abs(change) < 0.1 ? 1 : 0;
  return `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(decimals)}${unit}`;
}
