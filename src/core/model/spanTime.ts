// Exact absolute times without bigint in the hot path: a time is a pair (major, minor) in a radix chosen by the
// wire format (1e9 for decimal nanosecond strings and microsecond numbers, 2^32 for protobuf fixed64).
// Differences of two pairs are exact doubles as long as they stay below 2^53 ns (~104 days).

export interface SplitTime {
  major: number;
  minor: number;
}

export const DECIMAL_RADIX = 1e9;
export const FIXED64_RADIX = 4294967296;

const DIGITS = /^\d{1,20}$/;
/** 2^63 ns, the OTLP limit, in microseconds: later values are garbage, not times. */
const MAX_MICROS = 9_223_372_036_854_775;
const MAX_NANOS = 9_223_372_036_854_775_807n;
const MAX_NANOS_DIGITS = MAX_NANOS.toString();

/**
 * Whether decimal digits name a time past 2^63 - 1 ns. Digit strings of one length compare as their numbers do,
 * so only a 20-digit one is read as a bigint: a bigint per start and end was a twentieth of a JSON export's decode.
 */
function pastMaxNanos(digits: string): boolean {
  if (digits.length !== MAX_NANOS_DIGITS.length) return digits.length > MAX_NANOS_DIGITS.length && BigInt(digits) > MAX_NANOS;
  return digits > MAX_NANOS_DIGITS;
}

/** Epoch nanoseconds as OTLP/JSON writes them: a decimal string, or a number (exact only below 2^53). */
export function splitNanos(value: unknown): SplitTime | undefined {
  if (typeof value === 'string') {
    if (!DIGITS.test(value) || pastMaxNanos(value)) return undefined;
    if (value.length <= 9) return { major: 0, minor: Number(value) };
    return { major: Number(value.slice(0, -9)), minor: Number(value.slice(-9)) };
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_MICROS * 1000) {
    const major = Math.floor(value / 1e9);
    return { major, minor: Math.max(0, Math.round(value - major * 1e9)) };
  }
  return undefined;
}

/**
 * Epoch microseconds (Zipkin, Jaeger legacy), exact as doubles below 2^53 µs. Both formats write whole
 * microseconds: a fraction such as 1e-07 is no time (it would start the trace in 1970).
 */
export function splitMicros(value: unknown): SplitTime | undefined {
  const us = typeof value === 'string' && DIGITS.test(value) ? Number(value) : value;
  if (typeof us !== 'number' || !Number.isInteger(us) || us < 1 || us > MAX_MICROS) return undefined;
  const major = Math.floor(us / 1e6);
  return { major, minor: Math.round((us - major * 1e6) * 1000) };
}

export function diffNs(later: SplitTime, earlier: SplitTime, radix: number): number {
  return (later.major - earlier.major) * radix + (later.minor - earlier.minor);
}

export function compareSplit(a: SplitTime, b: SplitTime): number {
  return a.major - b.major || a.minor - b.minor;
}

export function splitToBigInt(time: SplitTime, radix: number): bigint {
  return BigInt(time.major) * BigInt(radix) + BigInt(time.minor);
}

/** A microsecond duration (Zipkin, Jaeger legacy) in nanoseconds; absent or invalid durations are 0. */
export function microsToNanos(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_MICROS ? Math.round(value * 1000) : 0;
}

/** An event's offset from its span's start, both in epoch microseconds; 0 when either is not a time. */
export function microsOffsetNs(eventUs: unknown, spanStartUs: unknown): number {
  const event = splitMicros(eventUs);
  const start = splitMicros(spanStartUs);
  return event && start ? diffNs(event, start, DECIMAL_RADIX) : 0;
}
