// Span ids as text, one string per id of an input: a span's id and its children's parent id are the same eight
// bytes, and a stored span keeps both, so one string serves them (a receiver holds every span: one string fewer
// per span is one object fewer for its garbage collector to copy and mark). A cache with one place per hash of the
// bytes: an id that meets another in its place is made again, never taken for it.
import { idPlace } from '../model/ids';

/** Places: about one per span of the input (SPAN_BYTES a span's rough size), within these bounds. */
const SPAN_BYTES = 256;
const MIN_BITS = 8;
const MAX_BITS = 16;

export class SpanIdTexts {
  private readonly low: Int32Array;
  private readonly high: Int32Array;
  private readonly texts: (string | undefined)[];
  private readonly bits: number;
  /** The place and bytes `find` looked at last, for `keep`. */
  private slot = 0;
  private lastLow = 0;
  private lastHigh = 0;

  constructor(inputBytes: number) {
    const bits = Math.min(MAX_BITS, Math.max(MIN_BITS, Math.ceil(Math.log2(inputBytes / SPAN_BYTES + 1))));
    this.low = new Int32Array(1 << bits);
    this.high = new Int32Array(1 << bits);
    this.texts = new Array<string | undefined>(1 << bits).fill(undefined);
    this.bits = bits;
  }

  /** The text kept for the 8 bytes at `at`, if any. */
  find(bytes: Uint8Array, at: number): string | undefined {
    const low = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
    const high = bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24);
    return this.findHalves(low, high);
  }

  /** The text kept for the id whose two 32-bit halves these are, if any. */
  findHalves(low: number, high: number): string | undefined {
    low |= 0;
    high |= 0;
    this.slot = idPlace(high, low, this.bits);
    this.lastLow = low;
    this.lastHigh = high;
    const text = this.texts[this.slot];
    return text !== undefined && this.low[this.slot] === low && this.high[this.slot] === high ? text : undefined;
  }

  /** Keeps `text` for the bytes `find` was last asked about. */
  keep(text: string): void {
    this.low[this.slot] = this.lastLow;
    this.high[this.slot] = this.lastHigh;
    this.texts[this.slot] = text;
  }
}
