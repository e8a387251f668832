// Trace and span ids: lowercase hex, trace ids left-padded to 32 characters, span ids to 16.

const HEX_ONLY = /^[0-9a-fA-F]+$/;
const BASE64_ONLY = /^[A-Za-z0-9+/_-]+={0,2}$/;

export const TRACE_ID_HEX_LENGTH = 32;
export const SPAN_ID_HEX_LENGTH = 16;

function padHex(hex: string, length: number): string | undefined {
  if (hex.length > length) {
    // Longer ids are accepted only when the extra leading digits are zeros.
    const extra = hex.length - length;
    if (!/^0*$/.test(hex.slice(0, extra))) return undefined;
    hex = hex.slice(extra);
  }
  const lower = hex.toLowerCase();
  return lower.length === length ? lower : lower.padStart(length, '0');
}

function isAllZero(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return false;
  return true;
}

/** Whole ids only: 16 bytes for a trace id (or 8, a 64-bit one), 8 for a span id; "zz" is no id. */
function base64ToHex(value: string, expectedBytes: number): string | undefined {
  if (!BASE64_ONLY.test(value)) return undefined;
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== expectedBytes && !(expectedBytes === 16 && bytes.length === 8)) return undefined;
  return bytes.toString('hex').padStart(expectedBytes * 2, '0');
}

/**
 * Normalises an id written as hex (any case, leading zeros optional) or as base64 (Tempo, gogo jsonpb).
 * Hex wins when the text is hex of a plausible length, since most formats use hex.
 * Returns undefined for anything that is not an id, including the all-zero id (invalid by W3C and OTLP).
 */
function normaliseId(value: unknown, hexLength: number): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  let hex: string | undefined;
  if (HEX_ONLY.test(value) && value.length <= hexLength) hex = padHex(value, hexLength);
  else hex = base64ToHex(value, hexLength / 2) ?? (HEX_ONLY.test(value) ? padHex(value, hexLength) : undefined);
  return hex === undefined || isAllZero(hex) ? undefined : hex;
}

let lastTraceIdInput: unknown;
let lastTraceId: string | undefined;

export function normaliseTraceId(value: unknown): string | undefined {
  // Every span of a trace carries the same id text: normalise it once, share the result.
  if (value !== lastTraceIdInput) {
    lastTraceIdInput = value;
    lastTraceId = normaliseId(value, TRACE_ID_HEX_LENGTH);
  }
  return lastTraceId;
}

export function normaliseSpanId(value: unknown): string | undefined {
  return normaliseId(value, SPAN_ID_HEX_LENGTH);
}

/**
 * Fresh span ids not in `taken`, counting up from the largest one (as Jaeger's span-id deduper does). One scan
 * of `taken`, then each id costs a step: thousands of clashing spans must not cost thousands of scans.
 */
export function spanIdAllocator(taken: Set<string>): () => string {
  let max = 0n;
  for (const id of taken) {
    const value = BigInt(`0x${id}`);
    if (value > max) max = value;
  }
  let candidate = max + 1n;
  return () => {
    for (;;) {
      const hex = (candidate & 0xffffffffffffffffn).toString(16).padStart(SPAN_ID_HEX_LENGTH, '0');
      candidate++;
      if (!taken.has(hex) && !isAllZero(hex)) {
        taken.add(hex);
        return hex;
      }
    }
  };
}

/** A 64-bit id padded to 32 digits, shown as its backend shows it (16 digits); 128-bit ids unchanged. */
export function significantTraceId(traceId: string): string {
  return traceId.length === TRACE_ID_HEX_LENGTH && traceId.startsWith('0000000000000000') ? traceId.slice(16) : traceId;
}

/** Each ASCII code's lowercase hex digit value, -1 for anything else. */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, c) => '0123456789abcdef'.indexOf(String.fromCharCode(c)));

/** The value of a character code (or byte) as a lowercase hex digit; -1 for anything else. */
export function hexDigitValue(code: number): number {
  return code < 128 ? HEX_VALUE[code] : -1;
}

/** Eight lowercase hex digits of `text` from `at` (half a span id) as an unsigned number; -1 when any is not one. */
export function hexDigits8(text: string, at: number): number {
  let value = 0;
  for (let k = at; k < at + 8; k++) {
    const digit = hexDigitValue(text.charCodeAt(k));
    if (digit < 0) return -1;
    value = (value << 4) | digit;
  }
  return value >>> 0;
}

/** MurmurHash3's finaliser: every bit of `h` moves every bit of the result. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A span id's place in a table of 2^bits places, from its two 32-bit halves; every bit of the id moves it. Placed by
 * the low bits of a product, ids that differ only in their top bits (hostile ones, or numbered ones read in the
 * other byte order) all fell in one place: a 65,536-span trace's parents took 16 s to find.
 */
export function idPlace(high: number, low: number, bits: number): number {
  return mix(low ^ mix(high)) >>> (32 - bits);
}
