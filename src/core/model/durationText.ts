// Durations as people type them in flags and search boxes: "250ms", "1.5s", "2m", "500us", "1h30m".
// Go's time.ParseDuration units, since Jaeger and Tempo take that syntax too.

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;

/** Nanoseconds, or undefined when the text is not a duration with units. */
export function parseDurationNs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const start = PART.lastIndex;
    const match = PART.exec(trimmed);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * UNIT_NS[match[2]];
  }
  return total;
}
