// Whole attributes (an OTLP KeyValue message: its key and a plain value) kept by their bytes. Spans of one kind
// repeat most of their attributes exactly ("http.request.method": "GET", "db.system": "postgresql", a route, a
// status code), and a repeated one is then found by one comparison of its bytes, where reading it made two nested
// messages, two strings and a value. Bounded as StringTable is: one place per hash, a later one taking it.
import { textHash } from './stringTable';

/** Longer attributes (a statement, a URL with its query) are read each time: they rarely repeat. */
const MAX_BYTES = 96;
const TABLE_BITS = 12;

export type PlainValue = string | number | boolean | null;

interface KeptAttribute {
  hash: number;
  bytes: DataView;
  length: number;
  key: string;
  value: PlainValue;
  /** The attribute read after this one the last time: spans of one kind hold theirs in one order. */
  next?: KeptAttribute;
}

export class KeyValueTable {
  private readonly places: (KeptAttribute | undefined)[];
  private readonly shift: number;
  private view: DataView = new DataView(new ArrayBuffer(0));
  private input: Uint8Array = new Uint8Array(0);
  private previous: KeptAttribute | undefined;
  /** The hash of the bytes `find` missed last, for `keep`. */
  private missed: number | undefined;

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
    this.missed = undefined;
    if (length > MAX_BYTES) return (this.previous = undefined);
    const guess = this.previous?.next;
    if (guess !== undefined && guess.length === length && this.holds(guess, start)) return (this.previous = guess);
    const hash = textHash(this.view, start, end);
    const known = this.places[hash >>> this.shift];
    if (known !== undefined && known.hash === hash && known.length === length && this.holds(known, start)) return this.follow(known);
    this.missed = hash;
    return (this.previous = undefined);
  }

  /** Keeps what the bytes `find` missed last read as. */
  keep(start: number, end: number, key: string, value: PlainValue): void {
    const hash = this.missed;
    if (hash === undefined) return;
    this.missed = undefined;
    const bytes = new DataView(new Uint8Array(this.input.subarray(start, end)).buffer);
    const kept: KeptAttribute = { hash, bytes, length: end - start, key, value };
    this.places[hash >>> this.shift] = kept;
    this.follow(kept);
  }

  private follow(kept: KeptAttribute): KeptAttribute {
    if (this.previous !== undefined) this.previous.next = kept;
    return (this.previous = kept);
  }

  private holds({ bytes: known, length }: KeptAttribute, start: number): boolean {
    const view = this.view;
    let i = 0;
    for (; i + 4 <= length; i += 4) if (known.getUint32(i, true) !== view.getUint32(start + i, true)) return false;
    for (; i < length; i++) if (known.getUint8(i) !== view.getUint8(start + i)) return false;
    return true;
  }
}
