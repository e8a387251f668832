// The protobuf reader's table of short strings: every span's attribute keys and most values are found there by a
// hash of their bytes. A string found must be the one the bytes say, whatever else shares its hash or its place
// (a receiver keeps one table for every request, so a sender could aim strings at it).
import { describe, expect, it } from 'vitest';
import { ProtobufReader } from '../../src/core/formats/protobufReader';
import { StringTable, textHash } from '../../src/core/formats/stringTable';

/** Length-delimited fields (field 1) holding each text, as a message of them. */
function message(texts: string[]): Uint8Array {
  const parts: number[] = [];
  for (const text of texts) {
    const bytes = Buffer.from(text, 'utf8');
    parts.push(0x0a);
    for (let n = bytes.length; ; n >>>= 7) {
      if (n < 0x80) {
        parts.push(n);
        break;
      }
      parts.push((n & 0x7f) | 0x80);
    }
    parts.push(...bytes);
  }
  return Uint8Array.from(parts);
}

function readAll(bytes: Uint8Array, table: StringTable): string[] {
  const r = new ProtobufReader(bytes, table);
  const texts: string[] = [];
  while (!r.done) {
    r.varint();
    texts.push(r.string());
  }
  return texts;
}

function hashOf(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return textHash(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length);
}

describe('the table of short strings', () => {
  it('reads every string as its bytes say, across messages sharing a table whose places most strings share', () => {
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const alphabet = 'abcdefghijklmnopqrstuvwxyz./_-{}0123456789';
    const texts = Array.from({ length: 3_000 }, (_, i) =>
      i % 97 === 0
        ? `é${i}` // not ASCII: read, never kept
        : Array.from({ length: 1 + Math.floor(next() * (i % 11 === 0 ? 80 : 40)) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
    );
    // Sixteen places: nearly every string lands where another one was.
    const table = new StringTable(4);
    for (let start = 0; start < texts.length; start += 250) {
      const batch = texts.slice(start, start + 250);
      const back = [...batch].reverse();
      expect(readAll(message([...batch, ...back]), table)).toEqual([...batch, ...back]);
    }
  });

  it('tells apart two strings of one hash', () => {
    // 8 bytes hash as imul(imul(8 ^ w1, φ) ^ w2, φ): another first word w1' with w2' = w2 ^ h1 ^ h1' gives the
    // same hash; tried until w2' is printable (the product's low bytes follow w1's low bytes: those vary first).
    const word = (text: string, at: number) => Buffer.from(text, 'latin1').readUInt32LE(at);
    const text = 'abcdefgh';
    const h1 = Math.imul(8 ^ word(text, 0), 0x9e3779b1);
    let pair: [string, string] | undefined;
    for (let i = 1; !pair && i < 1_000_000; i++) {
      const first = [...i.toString(36).padStart(4, '.')].reverse().join('');
      const second = Buffer.alloc(4);
      second.writeUInt32LE((word(text, 4) ^ h1 ^ Math.imul(8 ^ word(first, 0), 0x9e3779b1)) >>> 0);
      if (second.every((c) => c >= 0x20 && c < 0x7f)) pair = [text, first + second.toString('latin1')];
    }
    const [a, b] = pair!;
    expect(a).not.toBe(b);
    expect(hashOf(a)).toBe(hashOf(b));
    expect(readAll(message([a, b, a, b, b, a]), new StringTable())).toEqual([a, b, a, b, b, a]);
  });
});
