// Writes a trace as OTLP protobuf (one ExportTraceServiceRequest), the form a trace worker reads fastest: half
// the bytes of OTLP/JSON, decoded in half the time, and skimmed for its first rows before it is decoded at all
// (otlpProtobufSkim.ts). Values are written as otlpJsonWriter writes them, so either reads back the same trace.
import type { AttributeValue, Attributes, Scope, Span, Trace } from '../model/trace';
import { groupedSpans, linkAttributes, resourceAttributes, STATUS_NUMBER } from './otlpRequestShape';
import { KIND_NUMBER } from '../model/status';
import { hexDigitValue } from '../model/ids';
import { WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobufReader';

/**
 * Room kept before a nested message for its length, written once the message is: as much as the message's
 * length usually takes (a key-value pair one byte, a span two), so the message seldom moves; one that outgrows
 * its room is moved along once.
 */
const SMALL = 1;
const SPAN = 2;
const HUGE = 5;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UTF8 = new TextEncoder();
const TWO_32 = 2 ** 32;
/** A typical span's share of a request (a few attributes, now and then an event): the buffer's first size. */
const BYTES_PER_SPAN = 320;
/** How many bytes the varint of `n` (below 2^35) takes. */
function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

class Writer {
  private bytes: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** The last 16-byte id written, and its bytes (a message written since may have moved where they lie). */
  private lastHex = '';
  private readonly lastBytes = new Uint8Array(16);

  /** `expected`: the bytes it will likely take (one buffer, rather than a doubling one copied on every growth). */
  constructor(expected: number) {
    this.bytes = new Uint8Array(Math.max(1 << 16, expected));
    this.view = new DataView(this.bytes.buffer);
  }

  /** Its own buffer, of the message's size: a view into a larger one would cross to another thread whole. */
  done(): Uint8Array {
    return this.pos === this.bytes.length ? this.bytes : this.bytes.slice(0, this.pos);
  }

  private room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    bigger.set(this.bytes.subarray(0, this.pos));
    this.bytes = bigger;
    this.view = new DataView(bigger.buffer);
  }

  /** A non-negative integer below 2^53. */
  varint(n: number): void {
    this.room(10);
    while (n >= 0x80) {
      this.bytes[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.bytes[this.pos++] = n;
  }

  private bigVarint(n: bigint): void {
    this.room(10);
    let v = BigInt.asUintN(64, n);
    while (v >= 0x80n) {
      this.bytes[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.bytes[this.pos++] = Number(v);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  uint(field: number, n: number): void {
    this.tag(field, WIRE_VARINT);
    this.varint(n);
  }

  int64(field: number, n: number): void {
    this.tag(field, WIRE_VARINT);
    if (n >= 0 && Number.isSafeInteger(n)) this.varint(n);
    else this.bigVarint(BigInt(n));
  }

  /** A fixed64 as its two 32-bit halves (epoch nanoseconds pass 2^53). */
  fixed64(field: number, high: number, low: number): void {
    this.tag(field, WIRE_FIXED64);
    this.room(8);
    this.view.setUint32(this.pos, low, true);
    this.view.setUint32(this.pos + 4, high, true);
    this.pos += 8;
  }

  double(field: number, n: number): void {
    this.tag(field, WIRE_FIXED64);
    this.room(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  string(field: number, text: string): void {
    this.tag(field, WIRE_LENGTH);
    // Most strings of a trace are short ASCII (keys, names): written a character a byte, without a native call.
    if (text.length < 128) {
      this.room(1 + text.length);
      const at = this.pos;
      let i = 0;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        this.bytes[at + 1 + i] = c;
      }
      if (i === text.length) {
        this.bytes[at] = text.length;
        this.pos = at + 1 + text.length;
        return;
      }
    }
    const length = Buffer.byteLength(text);
    this.varint(length);
    this.room(length);
    this.pos += UTF8.encodeInto(text, this.bytes.subarray(this.pos, this.pos + length)).written;
  }

  /** An id's bytes from its (lowercase) hex; a trace's spans repeat its id, copied from where it was last written. */
  hexBytes(field: number, hex: string): void {
    if (hex.length & 1) throw new Error(`not a hex id: ${hex.slice(0, 40)}`);
    const length = hex.length >> 1;
    this.tag(field, WIRE_LENGTH);
    this.varint(length);
    this.room(length);
    if (hex === this.lastHex) {
      this.bytes.set(this.lastBytes, this.pos);
      this.pos += length;
      return;
    }
    const start = this.pos;
    for (let i = 0; i < length; i++) {
      const high = hexDigitValue(hex.charCodeAt(2 * i));
      const low = hexDigitValue(hex.charCodeAt(2 * i + 1));
      if (high < 0 || low < 0) throw new Error(`not a hex id: ${hex.slice(0, 40)}`);
      this.bytes[this.pos++] = (high << 4) | low;
    }
    if (length === 16) {
      this.lastHex = hex;
      this.lastBytes.set(this.bytes.subarray(start, this.pos));
    }
  }

  /** Opens a nested message under `field`, `room` bytes kept for its length; `end` it with what this returns. */
  begin(field: number, room: number): number {
    this.tag(field, WIRE_LENGTH);
    this.room(room);
    this.pos += room;
    return this.pos - room;
  }

  /** Puts the length of the message begun at `start` before it (moving it when its room was not its length's size). */
  end(start: number, room: number): void {
    const contentStart = start + room;
    const length = this.pos - contentStart;
    const size = varintSize(length);
    if (size !== room) {
      this.room(size - room);
      this.bytes.copyWithin(start + size, contentStart, this.pos);
      this.pos += size - room;
    }
    let n = length;
    let at = start;
    for (; n >= 0x80; n = Math.floor(n / 0x80)) this.bytes[at++] = (n % 0x80) | 0x80;
    this.bytes[at] = n;
  }
}

/** AnyValue, as otlpJsonWriter writes it: integers as int64 (past its range, as doubles), null as an empty value. */
function anyValue(w: Writer, value: AttributeValue): void {
  if (value === null) return;
  if (typeof value === 'string') return w.string(1, value);
  if (typeof value === 'boolean') return w.uint(2, value ? 1 : 0);
  if (typeof value === 'number') {
    const fits = Number.isSafeInteger(value) || (Number.isInteger(value) && BigInt(value) >= INT64_MIN && BigInt(value) <= INT64_MAX);
    return fits ? w.int64(3, value) : w.double(4, value);
  }
  if (Array.isArray(value)) {
    const array = w.begin(5, SPAN);
    for (const item of value) {
      const any = w.begin(1, SMALL);
      anyValue(w, item);
      w.end(any, SMALL);
    }
    return w.end(array, SPAN);
  }
  const map = w.begin(6, SPAN);
  keyValues(w, 1, value);
  w.end(map, SPAN);
}

function keyValues(w: Writer, field: number, attributes: Attributes): void {
  for (const key in attributes) {
    const keyValue = w.begin(field, SMALL);
    w.string(1, key);
    const any = w.begin(2, SMALL);
    anyValue(w, attributes[key]);
    w.end(any, SMALL);
    w.end(keyValue, SMALL);
  }
}

function scopeMessage(w: Writer, scope: Scope | undefined): void {
  w.string(1, scope?.name ?? '');
  if (scope?.version) w.string(2, scope.version);
  if (scope?.attributes) keyValues(w, 3, scope.attributes);
}

/** Writes epoch nanoseconds as fixed64: the trace's start in 32-bit halves, plus an offset from it. */
class Times {
  private readonly high: number;
  private readonly low: number;

  constructor(startUnixNano: bigint) {
    this.high = Number(startUnixNano >> 32n);
    this.low = Number(startUnixNano & 0xffffffffn);
  }

  write(w: Writer, field: number, offsetNs: number): void {
    const offset = Math.round(offsetNs);
    const carry = Math.floor(offset / TWO_32);
    const low = this.low + (offset - carry * TWO_32);
    const over = Math.floor(low / TWO_32);
    w.fixed64(field, this.high + carry + over, low - over * TWO_32);
  }
}

function spanMessage(w: Writer, times: Times, span: Span): void {
  w.hexBytes(1, span.traceId);
  w.hexBytes(2, span.spanId);
  if (span.parentSpanId) w.hexBytes(4, span.parentSpanId);
  w.string(5, span.name);
  w.uint(6, KIND_NUMBER[span.kind]);
  times.write(w, 7, span.startNs);
  times.write(w, 8, span.startNs + span.durationNs);
  keyValues(w, 9, span.attributes);
  for (const event of span.events) {
    const message = w.begin(11, SPAN);
    times.write(w, 1, span.startNs + event.offsetNs);
    w.string(2, event.name);
    keyValues(w, 3, event.attributes);
    w.end(message, SPAN);
  }
  for (const link of span.links) {
    const message = w.begin(13, SPAN);
    w.hexBytes(1, link.traceId);
    w.hexBytes(2, link.spanId);
    keyValues(w, 4, linkAttributes(link));
    w.end(message, SPAN);
  }
  const status = w.begin(15, SMALL);
  if (span.status.message) w.string(2, span.status.message);
  w.uint(3, STATUS_NUMBER[span.status.code]);
  w.end(status, SMALL);
}

/** The trace as one ExportTraceServiceRequest. Throws on an id that is not hex (the model's ids always are). */
export function toOtlpProtobuf(trace: Trace): Uint8Array {
  const w = new Writer(trace.spans.length * BYTES_PER_SPAN);
  const times = new Times(trace.startUnixNano);
  for (const [resource, scopes] of groupedSpans(trace)) {
    const resourceSpans = w.begin(1, HUGE);
    const resourceMessage = w.begin(1, SPAN);
    keyValues(w, 1, resourceAttributes(resource));
    w.end(resourceMessage, SPAN);
    for (const [scope, spans] of scopes) {
      const scopeSpans = w.begin(2, HUGE);
      const scopeStart = w.begin(1, SPAN);
      scopeMessage(w, scope);
      w.end(scopeStart, SPAN);
      for (const span of spans) {
        const message = w.begin(2, SPAN);
        spanMessage(w, times, span);
        w.end(message, SPAN);
      }
      w.end(scopeSpans, HUGE);
    }
    w.end(resourceSpans, HUGE);
  }
  return w.done();
}
