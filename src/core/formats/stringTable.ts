// One copy of each short string of the inputs a reader decodes (attribute keys, names, services, most values):
// a receiver holds every span, and each copy spared is an object fewer for its garbage collector. Strings are
// found by their bytes, so a reader makes a string only the first time it meets it.

const INTERN_MAX_LENGTH = 48;
/** The size of a table for one input alone (2^bits places): most files repeat a few thousand short strings. */
export const OWN_TABLE_BITS = 12;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const isPlain = (byte: number) => byte >= 0x20 && byte !== QUOTE && byte !== BACKSLASH;

/** A string with its bytes, which confirm a found entry four bytes at a time. */
interface InternedText {
  hash: number;
  text: string;
  bytes: DataView;
  /** Its bytes' length (a DataView's byteLength is a call into the runtime, not inlined: a tenth of `text`'s time). */
  length: number;
  /** The string read after it the last time: most often the next one again (spans of one kind hold their keys and values in one order). */
  next?: InternedText;
  /** Whether it holds no quote, backslash or control character: its bytes are a whole JSON string's. */
  plain: boolean;
}

/**
 * Interned strings by hash; pass one table to many readers to share strings across messages. One place per hash
 * (a later string takes the place of an earlier one whose hash falls there): bounded by its size, so rare
 * strings cannot pin it, and found with an index where a Map's lookup was a quarter of the interning's time.
 */
export class StringTable {
  private readonly places: (InternedText | undefined)[];
  private readonly shift: number;

  constructor(bits = 16) {
    this.places = new Array<InternedText | undefined>(1 << bits).fill(undefined);
    this.shift = 32 - bits;
  }

  find(hash: number): InternedText | undefined {
    const found = this.places[hash >>> this.shift];
    return found !== undefined && found.hash === hash ? found : undefined;
  }

  keep(entry: InternedText): void {
    this.places[entry.hash >>> this.shift] = entry;
  }
}

/** The hash StringTable keeps a string under: of its bytes [start, end), four at a time. */
export function textHash(view: DataView, start: number, end: number): number {
  let hash = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) hash = Math.imul(hash ^ view.getUint32(i, true), 0x9e3779b1);
  for (; i < end; i++) hash = Math.imul(hash ^ view.getUint8(i), 0x9e3779b1);
  return hash;
}

/** Whether `known` (of `length` bytes) holds the bytes of `view` at `start`, four bytes at a time. */
export function holdsBytes(known: DataView, length: number, view: DataView, start: number): boolean {
  let i = 0;
  for (; i + 4 <= length; i += 4) if (known.getUint32(i, true) !== view.getUint32(start + i, true)) return false;
  for (; i < length; i++) if (known.getUint8(i) !== view.getUint8(start + i)) return false;
  return true;
}

/** The UTF-8 strings of one input's bytes, short ones through a table. */
export class InternedTexts {
  private readonly view: DataView;
  private readonly buffer: Buffer;
  /** The interned string `text` returned last. */
  private previous: InternedText | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly interned: StringTable,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Strings up to INTERN_MAX_LENGTH bytes are found in the table by hash and confirmed against its bytes, both
   * four bytes at a time: every attribute key and most values of every span come here (a byte at a time and
   * through a Map, decoding a receiver's batches took a third more CPU).
   */
  text(start: number, end: number): string {
    const length = end - start;
    if (length > INTERN_MAX_LENGTH || length === 0) {
      this.previous = undefined;
      return length === 0 ? '' : this.buffer.toString('utf8', start, end);
    }
    // The string that followed the previous one last time, confirmed by its bytes: no hash to make.
    const guess = this.previous?.next;
    if (guess !== undefined && guess.length === length && holdsBytes(guess.bytes, length, this.view, start)) return (this.previous = guess).text;
    const hash = textHash(this.view, start, end);
    let known = this.interned.find(hash);
    if (known === undefined || known.length !== length || !holdsBytes(known.bytes, length, this.view, start)) {
      const decoded = this.buffer.toString('utf8', start, end);
      // ASCII only (a byte a character); its bytes copied (a Buffer's slice is a view: it would hold the request).
      if (decoded.length !== length) {
        this.previous = undefined;
        return decoded;
      }
      const bytes = new Uint8Array(this.bytes.subarray(start, end));
      this.interned.keep((known = { hash, text: decoded, bytes: new DataView(bytes.buffer), length, plain: bytes.every(isPlain) }));
    }
    if (this.previous !== undefined) this.previous.next = known;
    this.previous = known;
    return known.text;
  }

  /**
   * The string that followed the previous one last time, if the bytes at `start` are it, closed by a quote: a
   * JSON reader finds a repeated string without first looking for its end.
   */
  quotedNext(start: number): string | undefined {
    const guess = this.previous?.next;
    if (guess === undefined || !guess.plain || this.bytes[start + guess.length] !== QUOTE || !holdsBytes(guess.bytes, guess.length, this.view, start))
      return undefined;
    this.previous = guess;
    return guess.text;
  }
}
