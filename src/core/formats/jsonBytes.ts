// A cursor over the bytes of a JSON document, for readers that take what they need of it without JSON.parse
// making every object first: the file skim (otlpJsonSkim.ts) and the receiver's request reader
// (otlpJsonRequest.ts). Where it cannot go on (malformed or unusual JSON) it throws SkimUnread, and the caller
// leaves the bytes to JSON.parse, which reads them or says what is wrong.
import { hexDigitValue, normaliseSpanId } from '../model/ids';
import { splitNanos, type SplitTime } from '../model/spanTime';
import { SkimUnread } from './spanSkim';

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
export const NEWLINE = 0x0a;

/** Deeper values are left to JSON.parse. */
const MAX_DEPTH = 256;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** What an object or array read as a value stands for where only scalars are read: the decoder's functions refuse it. */
const NOT_SCALAR = Object.freeze({});
/** 2^63 ns (splitNanos's bound) has 19 digits and starts with a 9: a time of 19 digits starting lower is below it. */
const MAX_TIME_DIGITS = 19;
const NINE = 0x39;

/** A key looked for: its bytes, and those of its whole four-byte words as numbers (compared four at a time). */
export interface Field {
  name: string;
  bytes: Uint8Array;
  words: Uint32Array;
}

export const encoded = (names: readonly string[]): Field[] =>
  names.map((name) => {
    const bytes = new TextEncoder().encode(name);
    const view = new DataView(bytes.buffer);
    return { name, bytes, words: Uint32Array.from({ length: bytes.length >> 2 }, (_, i) => view.getUint32(i * 4, true)) };
  });
/** Where each of `names` is among `fields`. */
export const indexesOf = (fields: readonly Field[], names: readonly string[]): number[] =>
  names.map((name) => fields.findIndex((field) => field.name === name));

const [TRUE, FALSE, NULL] = encoded(['true', 'false', 'null']).map((field) => field.bytes);

/** Strings up to this many bytes are read in place for their closing quote (see JsonBytes.stringEnd). */
const SHORT_STRING = 32;

export class JsonBytes {
  pos = 0;
  readonly text: Buffer;
  private readonly view: DataView;
  /**
   * The last span id read (spanIdHalves()): its halves, and its text where that is not its bytes (an id other than
   * sixteen lowercase hex digits; else undefined).
   */
  idLow = 0;
  idHigh = 0;
  idText: string | undefined;
  /** The last time read (readTime()). */
  timeMajor = 0;
  timeMinor = 0;

  constructor(readonly bytes: Uint8Array) {
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * One document; or JSON Lines, each line one document, as the decode splits them (decode.ts isJsonLines):
   * `read` is called at each. Whether there were several (JSON Lines).
   */
  documents(read: () => void): boolean {
    const b = this.bytes;
    read();
    const firstEnd = this.pos;
    this.whitespace();
    if (this.pos >= b.length) return false;
    // More follows: the decode reads lines only if the first line is a whole document. (Looked for only now: in a
    // file of one document on one line, the search for a newline went through every byte, 20 ms at 76 MB.)
    const firstNewline = b.indexOf(NEWLINE);
    if (firstNewline < firstEnd || firstNewline >= this.pos) throw new SkimUnread('several JSON values, not one per line');
    while (this.pos < b.length) {
      const start = this.pos;
      read();
      const next = b.indexOf(NEWLINE, start);
      if (next >= 0 && next < this.pos) throw new SkimUnread('a JSON Lines document over several lines');
      this.lineEnd();
      this.whitespace();
    }
    return true;
  }

  /** Spaces to the end of a line (or the input): a second value on one line is no JSON Lines line. */
  private lineEnd(): void {
    const b = this.bytes;
    while (b[this.pos] === 0x20 || b[this.pos] === 0x09 || b[this.pos] === 0x0d) this.pos++;
    if (this.pos < b.length && b[this.pos] !== NEWLINE) throw new SkimUnread('several JSON values on one line');
  }

  /** At an opening brace: moves past it, and says whether a member follows (else it moves past the closing one too). */
  enterObject(): boolean {
    this.pos++;
    this.whitespace();
    if (this.bytes[this.pos] !== CLOSE_OBJECT) return true;
    this.pos++;
    return false;
  }

  /** At an opening bracket: moves past it, and says whether an item follows (else past the closing one too). */
  enterArray(): boolean {
    this.pos++;
    this.whitespace();
    if (this.bytes[this.pos] !== CLOSE_ARRAY) return true;
    this.pos++;
    return false;
  }

  /**
   * At a member's key: which of `fields` it is (-1 for another), moving to its value. `guess`: the field looked
   * at first (writers put an object's keys in one order: the one after the last is most often next).
   */
  key(fields: readonly Field[], guess = 0): number {
    const b = this.bytes;
    const from = this.pos;
    if (b[from] !== QUOTE) throw new SkimUnread('malformed JSON: a key is not a string');
    if (guess >= 0 && guess < fields.length && this.isKey(fields[guess])) return guess;
    // Keys are short: a loop beats a call to find the quote, and sees an escape or a control character on its way.
    let end = from + 1;
    let c = b[end];
    while (c !== QUOTE && c !== BACKSLASH && c >= 0x20) c = b[++end];
    const field = c === QUOTE ? this.fieldIndex(from + 1, end, fields, guess) : -1;
    if (c !== QUOTE) {
      // An escaped key might spell a field, and a raw control character is no JSON: only JSON.parse can tell.
      if (c === BACKSLASH || c < 0x20) throw new SkimUnread('an escaped key, or a control character in one');
      throw new SkimUnread('malformed JSON: the input ends inside a key');
    }
    this.pos = end + 1;
    this.whitespace();
    this.expect(COLON);
    this.whitespace();
    return field;
  }

  /** Whether the key at `pos` is `field` (then moved past, to its value). Fields hold no quote, escape or control. */
  private isKey(field: Field): boolean {
    const at = this.pos + 1;
    const length = field.bytes.length;
    if (this.bytes[at + length] !== QUOTE || !this.holds(at, field)) return false;
    this.pos = at + length + 1;
    this.whitespace();
    this.expect(COLON);
    this.whitespace();
    return true;
  }

  /** Whether the bytes at `at` are those of `field` (their length is the caller's to check). */
  private holds(at: number, field: Field): boolean {
    const { words, bytes } = field;
    const view = this.view;
    for (let i = 0; i < words.length; i++) if (view.getUint32(at + i * 4, true) !== words[i]) return false;
    for (let i = words.length * 4; i < bytes.length; i++) if (this.bytes[at + i] !== bytes[i]) return false;
    return true;
  }

  /** Which of `fields` the key in bytes [from, end) is, else -1; looked for from `guess` on, round to it. */
  private fieldIndex(from: number, end: number, fields: readonly Field[], guess: number): number {
    const length = end - from;
    const count = fields.length;
    for (let n = 0, k = guess >= 0 && guess < count ? guess : 0; n < count; n++, k = k + 1 < count ? k + 1 : 0) {
      const field = fields[k];
      if (field.bytes.length === length && field.bytes[0] === this.bytes[from] && this.holds(from, field)) return k;
    }
    return -1;
  }

  /**
   * An object's members: `read` is called at the value of each key in `fields` (with its index there), every
   * other value is passed over. Ends past the closing brace. `order`: the field that followed each last time (at
   * [field + 1]; [0] the first), learned as the members are read, and looked for first.
   */
  members(fields: readonly Field[], read: (field: number) => void, order?: Int8Array): void {
    if (!this.enterObject()) return;
    let field = -1;
    do {
      const next = this.key(fields, order ? order[field + 1] : 0);
      if (order && next >= 0) order[field + 1] = next;
      field = next;
      if (field >= 0) read(field);
      else this.skipValue(0);
    } while (this.more(CLOSE_OBJECT));
  }

  /** A list's items: `read` is called at each one. Ends past the closing bracket. */
  items(read: () => void): void {
    if (!this.enterArray()) return;
    do read();
    while (this.more(CLOSE_ARRAY));
  }

  /** After a member or item: whether another follows (past its comma), else past the closing `close`. */
  more(close: number): boolean {
    this.whitespace();
    if (this.bytes[this.pos] === COMMA) {
      this.pos++;
      this.whitespace();
      return true;
    }
    this.expect(close);
    return false;
  }

  /**
   * Passes over any value by its brackets, strings by memchr to their closing quote, without judging what is
   * between them: a reader that must refuse malformed JSON has JSON.parse read what this passed (parsedValue).
   */
  skipValue(depth: number): void {
    const b = this.bytes;
    const c = b[this.pos];
    if (c === QUOTE) return this.skipString();
    if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) return this.skipScalar();
    let open = 0;
    let at = this.pos;
    for (;;) {
      const byte = b[at];
      if (byte === QUOTE) {
        this.pos = at;
        this.skipString();
        at = this.pos;
        continue;
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        if (++open + depth > MAX_DEPTH) throw new SkimUnread('values nested deeper than the skim goes');
      } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        if (--open === 0) return void (this.pos = at + 1);
      } else if (byte === undefined) throw new SkimUnread('malformed JSON: the input ends inside a value');
      at++;
    }
  }

  protected skipString(): void {
    this.pos = this.stringEnd() + 1;
  }

  /** A number (its bytes, loosely), true, false or null. */
  private skipScalar(): void {
    const b = this.bytes;
    const from = this.pos;
    const c = b[from];
    const literal = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : undefined;
    if (literal) {
      for (let i = 0; i < literal.length; i++) if (b[from + i] !== literal[i]) throw new SkimUnread(`malformed JSON at byte ${from}`);
      this.pos += literal.length;
      return;
    }
    // Written so that the end of the input (undefined) is no number either.
    if (!(c === 0x2d || (c >= 0x30 && c <= 0x39))) throw new SkimUnread(`malformed JSON at byte ${from}`);
    while (isNumberByte(b[++this.pos]));
  }

  /** A scalar's value, or NOT_SCALAR for an object or list (passed over). */
  value(): unknown {
    const c = this.bytes[this.pos];
    if (c === QUOTE) {
      const from = this.pos;
      const end = this.stringEnd();
      this.pos = end + 1;
      return this.stringAt(from, end);
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      this.skipValue(0);
      return NOT_SCALAR;
    }
    return this.integer() ?? this.scalar();
  }

  /** Any value as JSON.parse reads it: scalars from the bytes, objects and lists by JSON.parse of theirs. */
  parsedValue(): unknown {
    const c = this.bytes[this.pos];
    if (c === QUOTE) return this.string();
    if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) return this.value();
    const from = this.pos;
    this.skipValue(0);
    try {
      return JSON.parse(this.text.toString('utf8', from, this.pos));
    } catch {
      throw new SkimUnread('malformed JSON');
    }
  }

  /**
   * The string at `pos`, as JSON.parse reads it, refusing what it refuses (a raw control character); its bytes
   * are read once, to the closing quote, and made by `decoded` unless it holds an escape.
   */
  string(): string {
    const b = this.bytes;
    const from = this.pos;
    let at = from + 1;
    let c = b[at];
    while (c !== QUOTE && c !== BACKSLASH && c >= 0x20) c = b[++at];
    if (c === QUOTE) {
      this.pos = at + 1;
      return this.decoded(from + 1, at);
    }
    if (c !== BACKSLASH) throw new SkimUnread('malformed JSON: a control character or the end inside a string');
    const end = this.stringEnd();
    this.pos = end + 1;
    try {
      return JSON.parse(this.text.toString('utf8', from, end + 1)) as string;
    } catch {
      throw new SkimUnread('malformed JSON: a string');
    }
  }

  /** Bytes [from, to) of a string without escapes, as text (a reader may keep one copy of each). */
  protected decoded(from: number, to: number): string {
    return this.text.toString('utf8', from, to);
  }

  /** The string whose quotes are at `from` and `end`, as JSON.parse reads it. */
  private stringAt(from: number, end: number): string {
    return this.hasBackslash(from, end) ? (JSON.parse(this.text.toString('utf8', from, end + 1)) as string) : this.text.toString('utf8', from + 1, end);
  }

  /** Whether the string whose quotes are at `from` and `end` holds an escape (only short ones are asked of). */
  private hasBackslash(from: number, end: number): boolean {
    for (let i = from + 1; i < end; i++) if (this.bytes[i] === BACKSLASH) return true;
    return false;
  }

  /** A whole number of up to 15 digits (kinds, codes, counts, flags) from its bytes, without making its text. */
  private integer(): number | undefined {
    const b = this.bytes;
    const from = this.pos;
    let at = b[from] === 0x2d ? from + 1 : from;
    const first = at;
    let value = 0;
    for (let c = b[at]; c >= 0x30 && c <= 0x39; c = b[++at]) value = value * 10 + (c - 0x30);
    const digits = at - first;
    // JSON has no leading zeros; a fraction or exponent, or more digits, is left to the number's text.
    if (digits === 0 || digits > 15 || (b[first] === 0x30 && digits > 1) || isNumberByte(b[at])) return undefined;
    this.pos = at;
    return first === from ? value : -value;
  }

  /** A number, true, false or null. */
  private scalar(): number | boolean | null {
    const b = this.bytes;
    const from = this.pos;
    while (this.pos < b.length && isScalarByte(b[this.pos])) this.pos++;
    const token = this.text.toString('latin1', from, this.pos);
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    if (JSON_NUMBER.test(token)) return Number(token);
    throw new SkimUnread(`malformed JSON at byte ${from}`);
  }

  /**
   * The closing quote of the string opening at `pos`. Most strings (keys, ids, names) are short and read in place;
   * a longer one, or one with an escape, by memchr (most of a file's bytes are in strings): called for every string,
   * memchr cost more than it found (a 76 MB file skipped whole: 134 ms, against 86 ms read in place first).
   */
  stringEnd(): number {
    const b = this.bytes;
    const from = this.pos + 1;
    const near = Math.min(from + SHORT_STRING, b.length);
    for (let at = from; at < near; at++) {
      const c = b[at];
      if (c === QUOTE) return at;
      if (c === BACKSLASH) break;
    }
    let at = from;
    for (;;) {
      const quote = b.indexOf(QUOTE, at);
      if (quote < 0) throw new SkimUnread('malformed JSON: a string without its closing quote');
      let backslashes = 0;
      while (b[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return quote;
      at = quote + 1;
    }
  }

  /**
   * A span id, as normaliseSpanId reads it, into idLow and idHigh (and idText); whether it is one. Sixteen
   * lowercase hex digits (nearly every id) are read from the bytes, anything else as the decode reads it.
   */
  spanIdHalves(): boolean {
    const b = this.bytes;
    const from = this.pos;
    if (b[from] === QUOTE && b[from + 17] === QUOTE) {
      const high = hex8(b, from + 1);
      const low = hex8(b, from + 9);
      if (high >= 0 && low >= 0 && (high > 0 || low > 0)) {
        this.pos = from + 18;
        this.idLow = low;
        this.idHigh = high;
        this.idText = undefined;
        return true;
      }
    }
    const id = normaliseSpanId(this.parsedValue());
    if (!id) return false;
    this.idText = id;
    this.idLow = parseInt(id.slice(8), 16);
    this.idHigh = parseInt(id.slice(0, 8), 16);
    return true;
  }

  /** A time as splitNanos reads it. */
  time(): SplitTime | undefined {
    return this.readTime() ? { major: this.timeMajor, minor: this.timeMinor } : undefined;
  }

  /**
   * A time as splitNanos reads it, into timeMajor and timeMinor (no object made: two for every span); whether it is
   * one. The usual decimal string of 10-19 digits is read from the bytes.
   */
  readTime(): boolean {
    const b = this.bytes;
    const from = this.pos;
    if (b[from] === QUOTE) {
      let at = from + 1;
      while (b[at] >= 0x30 && b[at] <= 0x39) at++;
      const digits = at - from - 1;
      if (b[at] === QUOTE && digits >= 10 && (digits < MAX_TIME_DIGITS || (digits === MAX_TIME_DIGITS && b[from + 1] < NINE))) {
        this.pos = at + 1;
        this.timeMajor = decimal(b, from + 1, at - 9);
        this.timeMinor = decimal(b, at - 9, at);
        return true;
      }
    }
    const time = splitNanos(this.parsedValue() ?? 0);
    if (!time) return false;
    this.timeMajor = time.major;
    this.timeMinor = time.minor;
    return true;
  }

  expect(byte: number): void {
    if (this.bytes[this.pos] !== byte) throw new SkimUnread(`malformed JSON at byte ${this.pos}`);
    this.pos++;
  }

  whitespace(): void {
    const b = this.bytes;
    let c = b[this.pos];
    // Every whitespace byte is at most a space: most bytes are told apart by one comparison.
    if (c > 0x20) return;
    while (c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09) c = b[++this.pos];
  }
}

/** The value of hex digits [at, at + 8) (lowercase only), else -1. */
function hex8(b: Uint8Array, at: number): number {
  let value = 0;
  for (let i = at; i < at + 8; i++) {
    const digit = hexDigitValue(b[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** The number decimal digits [from, to) say (at most 10 of them: exact). */
function decimal(b: Uint8Array, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (b[i] - 0x30);
  return value;
}

function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45 || c === 0x65;
}

function isScalarByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45;
}
