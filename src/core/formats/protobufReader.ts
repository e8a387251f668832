// A minimal protocol-buffers wire reader, enough for OTLP: varints, fixed32/64, length-delimited fields.
// It throws ProtobufError on malformed input; callers turn that into warnings at message boundaries.

export class ProtobufError extends Error {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8');

export class ProtobufReader {
  pos: number;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array, start = 0, readonly end = bytes.length) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a varint of up to 53 bits; larger values lose precision (use int64 for those). */
  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError(`truncated varint at byte ${this.pos}`);
      const byte = this.bytes[this.pos++];
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw new ProtobufError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A signed 64-bit varint (two's complement): a number when exact, else its decimal digits. */
  int64(): number | string {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError(`truncated varint at byte ${this.pos}`);
      const byte = this.bytes[this.pos++];
      if (shift < 28) lo |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >> 4;
      } else hi |= (byte & 0x7f) << (shift - 32);
      shift += 7;
      if (byte < 0x80) {
        const value = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
        const signed = BigInt.asIntN(64, value);
        const n = Number(signed);
        return Number.isSafeInteger(n) ? n : signed.toString();
      }
    }
    throw new ProtobufError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  tag(): { field: number; wire: number } {
    const key = this.varint();
    return { field: Math.floor(key / 8), wire: key & 7 };
  }

  fixed32(): number {
    this.need(4);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** fixed64 as its two 32-bit halves, so epoch nanoseconds stay exact. */
  fixed64(): { major: number; minor: number } {
    this.need(8);
    const minor = this.view.getUint32(this.pos, true);
    const major = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return { major, minor };
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Start and end of a length-delimited field's payload; the reader moves past it. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    this.need(length);
    this.pos += length;
    return [start, start + length];
  }

  string(): string {
    const [start, end] = this.span();
    return decodeUtf8(this.bytes, start, end);
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LENGTH:
        this.span();
        return;
      case WIRE_FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtobufError(`unsupported wire type ${wire} at byte ${this.pos}`);
    }
  }

  private need(length: number): void {
    if (length < 0 || this.pos + length > this.end) throw new ProtobufError(`field runs past the end of its message at byte ${this.pos}`);
  }
}

/** Short ASCII strings (keys, names, ids) dominate OTLP; decoding them by hand avoids TextDecoder's call cost. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start < 48) {
    let out = '';
    for (let i = start; i < end; i++) {
      const byte = bytes[i];
      if (byte >= 0x80) return utf8.decode(bytes.subarray(start, end));
      out += String.fromCharCode(byte);
    }
    return out;
  }
  return utf8.decode(bytes.subarray(start, end));
}
