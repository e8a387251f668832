import { describe, expect, it } from 'vitest';
import { idPlace } from '../../src/core/model/ids';
import { parentIndexes, parentsAndRepeats, repeatsAnId } from '../../src/core/model/parentIndex';
import { crowdedIds } from '../support/hostileInput';
import { buildSpan } from '../support/traceBuilder';

const spans = (...ids: [id: string, parent?: string][]) => ids.map(([spanId, parentSpanId]) => buildSpan({}, { spanId, parentSpanId }));

describe('span ids as a table', () => {
  it('tells a repeated id, in hex ids and in ids that are not', () => {
    expect(repeatsAnId(spans(['00000000000000a1'], ['00000000000000b2'], ['10000000000000a1']))).toBe(false);
    expect(repeatsAnId(spans(['00000000000000a1'], ['00000000000000b2'], ['00000000000000a1']))).toBe(true);
    expect(repeatsAnId(spans(['A1'], ['a1'], ['span-3']))).toBe(false);
    expect(repeatsAnId(spans(['A1'], ['span-3'], ['A1']))).toBe(true);
  });

  it('tells parents and a repeated id from one read, in hex ids and in ids that are not', () => {
    const answer = (list: ReturnType<typeof spans>) => {
      const { parents, repeats } = parentsAndRepeats(list);
      return { parents: [...parents], repeats };
    };
    expect(answer(spans(['00000000000000a1'], ['00000000000000b2', '00000000000000a1']))).toEqual({ parents: [-1, 0], repeats: false });
    expect(answer(spans(['00000000000000a1'], ['00000000000000a1']))).toEqual({ parents: [-1, -1], repeats: true });
    expect(answer(spans(['A1'], ['span-3', 'A1']))).toEqual({ parents: [-1, 0], repeats: false });
    expect(answer(spans(['A1'], ['span-3', 'A1'], ['A1']))).toEqual({ parents: [-1, 2, -1], repeats: true });
  });

  it('finds parents, a repeated id naming its last span', () => {
    const list = spans(['00000000000000a1'], ['00000000000000b2', '00000000000000a1'], ['00000000000000a1'], ['00000000000000c3', 'ffffffffffffffff']);
    expect([...parentIndexes(list)]).toEqual([-1, 2, -1, -1]);
  });

  // Hostile ids: every low bit of both halves the same, only each half's top byte told apart.
  const crowded = (k: number) => `${(k >> 8).toString(16).padStart(2, '0')}000000${(k & 255).toString(16).padStart(2, '0')}000000`;

  it('places ids that differ only in their top bits as widely as random ids', () => {
    const places = new Set(Array.from({ length: 65_536 }, (_, k) => idPlace((k >> 8) << 24, (k & 255) << 24, 17)));
    // 65,536 random ids take about 51,600 of 2^17 places; placed by their low bits, these took one.
    expect(places.size).toBeGreaterThan(50_000);
  });

  it('links a chain of such ids as a Map would', () => {
    const chain = Array.from({ length: 4096 }, (_, k) => buildSpan({}, { spanId: crowded(k), parentSpanId: k > 0 ? crowded(k - 1) : undefined }));
    const parents = parentIndexes(chain);
    expect(parents[0]).toBe(-1);
    expect(parents.every((p, k) => k === 0 || p === k - 1)).toBe(true);
    expect(repeatsAnId(chain)).toBe(false);
    expect(repeatsAnId([...chain, buildSpan({}, { spanId: crowded(4095) })])).toBe(true);
  });

  it('links 100,000 spans whose ids were made to share one place, as a Map would (the table gives way)', () => {
    const ids = crowdedIds(100_000);
    const chain = ids.map((spanId, k) => buildSpan({}, { spanId, parentSpanId: k > 0 ? ids[k - 1] : undefined }));
    const place = (id: string) => idPlace(Number.parseInt(id.slice(0, 8), 16), Number.parseInt(id.slice(8), 16), 18);
    expect(new Set(ids.map(place)).size).toBe(1);
    const parents = parentIndexes(chain);
    expect(parents.every((p, k) => p === k - 1)).toBe(true);
    expect(repeatsAnId(chain)).toBe(false);
  });
});
