// A receiver's decoder finds a repeated attribute by its bytes (KeyValueTable) rather than reading it again. An
// attribute found must be the one its bytes say, whatever else shares its hash or its place: the table outlives
// every request, so a sender could aim attributes at it.
import { describe, expect, it, vi } from 'vitest';
import { newDecodeTables, type DecodeTables } from '../../src/core/formats/decodeTables';
import { KeyValueTable } from '../../src/core/formats/keyValueTable';
import { decodeOtlpProtobuf } from '../../src/core/formats/otlpProtobuf';
import { readOtlpJsonRequest } from '../../src/core/formats/otlpJsonRequest';
import type { WireEncoding } from '../../src/core/receiver/otlpResponse';
import { textHash } from '../../src/core/formats/stringTable';
import type { AttributeValue, Attributes, Trace } from '../../src/core/model/trace';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../support/otelEncode';
import { syntheticBatch } from '../support/syntheticTrace';

/** Every span's attributes, events' and resource's, by span. */
function attributesOf(traces: Trace[]): Attributes[] {
  return traces
    .flatMap((t) => t.spans)
    .sort((a, b) => (a.traceId + a.spanId < b.traceId + b.spanId ? -1 : 1))
    .flatMap((s) => [s.attributes, s.resource.attributes, ...s.events.map((e) => e.attributes)]);
}

/** The request read from its bytes, as the receiver reads it (JSON read by JSON.parse instead would hide a wrong find). */
function decodedTraces(body: Buffer, encoding: WireEncoding, tables: DecodeTables): Trace[] {
  if (encoding === 'protobuf') return decodeOtlpProtobuf(body, tables).traces;
  const read = readOtlpJsonRequest(body, tables);
  if ('unread' in read) throw new Error(`left to JSON.parse: ${read.unread}`);
  return read.traces;
}

/** A value of each kind OTLP has, some long, some repeating, drawn from `next`. */
function valueFrom(next: () => number, i: number): AttributeValue {
  switch (i % 7) {
    case 0:
      return ['GET', 'POST', 'PUT'][Math.floor(next() * 3)];
    case 1:
      return Math.floor(next() * 4) * 100;
    case 2:
      return next() < 0.5;
    case 3:
      return Math.round(next() * 8) / 4;
    case 4:
      return 'x'.repeat(40 + Math.floor(next() * 80));
    case 5:
      return [Math.floor(next() * 3), 'a'];
    default:
      return `/api/${Math.floor(next() * 6)}`;
  }
}

describe('attributes found by their bytes', () => {
  for (const [encoding, encode] of [
    ['protobuf', encodeOtlpProtobuf],
    ['json', encodeOtlpJson],
  ] as const)
    for (const bits of [2, 12])
      it(`decodes every ${encoding} attribute as its bytes say, across requests sharing a table of ${2 ** bits} places`, () => {
        let seed = 7;
        const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
        // With four places, nearly every attribute lands where another one was.
        const shared = { ...newDecodeTables(), attributes: new KeyValueTable(bits) };
        // JSON looks first at the attributes that followed the last one, then by the bytes it passed over.
        const find = vi.spyOn(shared.attributes, 'find');
        const findStartingAt = vi.spyOn(shared.attributes, 'findStartingAt');
        for (let request = 1; request <= 6; request++) {
          const batch = syntheticBatch(request, 3, 24);
          for (const span of batch.flatMap((t) => t.spans)) {
            for (let i = 0; i < 6; i++) span.attributes[`k${Math.floor(next() * 4)}.${i}`] = valueFrom(next, Math.floor(next() * 7));
          }
          const body = Buffer.from(encode(batch));
          const withTable = decodedTraces(body, encoding, shared);
          expect(attributesOf(withTable)).toEqual(attributesOf(decodedTraces(body, encoding, newDecodeTables())));
          expect(attributesOf(withTable)).toEqual(attributesOf(batch));
        }
        // Found, not all read anew (the checks above would pass with no table at all): the synthetic spans hold
        // theirs in one order, and half the added ones repeat.
        const found = [...find.mock.results, ...findStartingAt.mock.results].filter((r) => r.value !== undefined).length;
        const attributes = encoding === 'protobuf' ? find.mock.calls.length : findStartingAt.mock.calls.length;
        if (bits === 12) expect(found / attributes).toBeGreaterThan(0.5);
      });

  it('decodes every single-byte change and every cut of a protobuf request as a decode without tables does, all with one set', () => {
    const batch = syntheticBatch(5, 1, 3);
    for (const span of batch[0].spans) span.attributes = { 'http.request.method': 'GET', n: 3, ok: true, ratio: 0.5 };
    const base = Buffer.from(encodeOtlpProtobuf(batch));
    const tables = newDecodeTables();
    const find = vi.spyOn(tables.attributes, 'find');
    let variants = 0;
    for (let at = 0; at < base.length; at++) {
      for (const byte of [0x00, 0x01, 0x0a, 0x12, 0x7f, 0xff, base[at] ^ 0x01]) {
        const body = Buffer.concat([base.subarray(0, at), Buffer.from([byte]), base.subarray(at + 1)]);
        expect(decodeOtlpProtobuf(body, tables), `byte ${at} set to ${byte}`).toStrictEqual(decodeOtlpProtobuf(body));
        variants++;
      }
      const cut = base.subarray(0, at);
      expect(decodeOtlpProtobuf(cut, tables), `cut at ${at}`).toStrictEqual(decodeOtlpProtobuf(cut));
    }
    // Most variants' attributes are the kept ones: the tables were used, not passed by.
    expect(find.mock.results.filter((r) => r.value !== undefined).length).toBeGreaterThan(variants);
  });

  it('gives each span a value of its own where the value is a list', () => {
    const batch = syntheticBatch(1, 1, 4);
    for (const span of batch[0].spans) span.attributes['tags'] = ['a', 'b'];
    const tables = newDecodeTables();
    const spans = [...decodeOtlpProtobuf(encodeOtlpProtobuf(batch), tables).traces, ...decodeOtlpProtobuf(encodeOtlpProtobuf(batch), tables).traces].flatMap(
      (t) => t.spans,
    );
    expect(spans.map((s) => s.attributes['tags'])).toEqual(spans.map(() => ['a', 'b']));
    expect(new Set(spans.map((s) => s.attributes['tags'])).size).toBe(spans.length);
  });

  it('tells apart two attributes of one hash', () => {
    // 8 bytes hash as imul(imul(8 ^ w1, φ) ^ w2, φ): another first word w1' with w2' = w2 ^ h1 ^ h1' gives the
    // same hash (stringTable.test.ts makes its pair the same way).
    const a = Buffer.from('abcdefgh', 'latin1');
    const h1 = Math.imul(8 ^ a.readUInt32LE(0), 0x9e3779b1);
    const b = Buffer.alloc(8);
    b.writeUInt32LE(0x64636261 ^ 1, 0);
    b.writeUInt32LE((a.readUInt32LE(4) ^ h1 ^ Math.imul(8 ^ b.readUInt32LE(0), 0x9e3779b1)) >>> 0, 4);
    const hash = (bytes: Buffer) => textHash(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, 8);
    expect(hash(b)).toBe(hash(a));
    const both = Buffer.concat([a, b]);
    const table = new KeyValueTable().reading(both);
    expect(table.find(0, 8)).toBeUndefined();
    table.read(0, 8, 'a', 1);
    expect(table.find(0, 8)?.value).toBe(1);
    expect(table.find(8, 16)).toBeUndefined();
  });
});
