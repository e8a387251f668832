// Whole attributes (an OTLP KeyValue: its key and a plain value) kept by their bytes, protobuf or JSON. Spans of one
// kind repeat most of their attributes exactly ("http.request.method": "GET", "db.system": "postgresql", a route, a
// status code), and a repeated one is then found by one comparison of its bytes, where reading it made two nested
// messages (or objects), two strings and a value. Bounded as StringTable is: one place per hash, a later one
// taking it.
import type { AttributeValue } from '../model/trace';
import { holdsBytes, textHash } from './stringTable';

/** Longer attributes (a statement, a URL with its query) are read each time: they rarely repeat. */
const MAX_BYTES = 96;
const TABLE_BITS = 12;

export type PlainValue = string | number | boolean | null;

/** Lists and maps are not kept: each span gets one of its own, as it does when read. */
function isPlain(value: AttributeValue): value is PlainValue {
  return value === null || typeof value !== 'object';
}

export interface KeptAttribute {
  hash: number;
  bytes: DataView;
  length: number;
  key: string;
  value: PlainValue;
  /**
   * The attributes read after this one the last two times: spans of one kind hold theirs in one order, and the
   * spans of a batch are of a few kinds.
   */
  next?: KeptAttribute;
  other?: KeptAttribute;
}

export class KeyValueTable {
  private readonly places: (KeptAttribute | undefined)[];
  private readonly shift: number;
  private view: DataView = new DataView(new ArrayBuffer(0));
  private input: Uint8Array = new Uint8Array(0);
  private previous: KeptAttribute | undefined;

  /** `bits`: 2^bits places. */
  constructor(bits = TABLE_BITS) {
    this.places = new Array<KeptAttribute | undefined>(1 << bits).fill(undefined);
    this.shift = 32 - bits;
  }

  /** The input looked in from now on. */
  reading(input: Uint8Array): this {
    this.input = input;
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    this.previous = undefined;
    return this;
  }

  /** The attribute whose message is the bytes [start, end), if it was kept. */
  find(start: number, end: number): KeptAttribute | undefined {
    const length = end - start;
    if (length > MAX_BYTES) return undefined;
    const guess = this.guess(start, length, false);
    if (guess !== undefined) return guess;
    const known = this.placed(textHash(this.view, start, end), start, length);
    return known && this.follow(known);
  }

  /**
   * The attribute that followed the last one read the last time, if the bytes at `start` begin with its own: a JSON
   * object ends where its bytes say, so those bytes are the whole of the one at `start`, found before its end is.
   */
  findStartingAt(start: number): KeptAttribute | undefined {
    return this.guess(start, this.input.length - start, true);
  }

  /**
   * One of the attributes that followed the last one read, if the bytes at `start` are it: `length` bytes, or with
   * `within`, at most that many (a JSON object's bytes begin with it).
   */
  private guess(start: number, length: number, within: boolean): KeptAttribute | undefined {
    const previous = this.previous;
    if (previous === undefined) return undefined;
    const next = previous.next;
    if (next !== undefined && (next.length === length || (within && next.length < length)) && this.holds(next, start)) return (this.previous = next);
    const other = previous.other;
    if (other !== undefined && (other.length === length || (within && other.length < length)) && this.holds(other, start)) return (this.previous = other);
    return undefined;
  }

  /** What the bytes [start, end) (a KeyValue message, a JSON object) were read as, when `find` did not know them. */
  read(start: number, end: number, key: string, value: AttributeValue): void {
    const length = end - start;
    if (length > MAX_BYTES || !isPlain(value)) {
      this.previous = undefined;
      return;
    }
    const hash = textHash(this.view, start, end);
    // A JSON object read again: its end was not known to look it up by before.
    const known = this.placed(hash, start, length);
    if (known !== undefined) {
      this.follow(known);
      return;
    }
    const place = hash >>> this.shift;
    // What it takes the place of leads nowhere any more (see `follow`).
    const replaced = this.places[place];
    if (replaced !== undefined) replaced.next = replaced.other = undefined;
    const bytes = new DataView(new Uint8Array(this.input.subarray(start, end)).buffer);
    this.follow((this.places[place] = { hash, bytes, length, key, value }));
  }

  private placed(hash: number, start: number, length: number): KeptAttribute | undefined {
    const known = this.places[hash >>> this.shift];
    return known !== undefined && known.hash === hash && known.length === length && this.holds(known, start) ? known : undefined;
  }

  /**
   * Only an attribute that holds its place is given a next one: the table holds its places' attributes and at most
   * two more each, never a chain of attributes that lost their places, each the next of the one before.
   */
  private follow(kept: KeptAttribute): KeptAttribute {
    const previous = this.previous;
    if (previous !== undefined && previous.next !== kept && this.places[previous.hash >>> this.shift] === previous) {
      previous.other = previous.next;
      previous.next = kept;
    }
    return (this.previous = kept);
  }

  private holds({ bytes, length }: KeptAttribute, start: number): boolean {
    return holdsBytes(bytes, length, this.view, start);
  }
}
