// One string per span id of an input: an id is found by its eight bytes, and one that meets another in its place
// is never taken for it.
import { describe, expect, it } from 'vitest';
import { SpanIdTexts } from '../../src/core/formats/spanIdTexts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('span ids as text', () => {
  for (const [half, idOf] of [
    ['last', (k: number) => Uint8Array.of(1, 2, 3, 4, k & 255, k >> 8, 7, 9)],
    ['first', (k: number) => Uint8Array.of(k & 255, k >> 8, 7, 9, 1, 2, 3, 4)],
  ] as const) {
    it(`gives each id its own text, never another's in its place, though ids differ in their ${half} four bytes only`, () => {
      // Few places (a small input): 600 ids meet in them.
      const texts = new SpanIdTexts(0);
      const ids = Array.from({ length: 600 }, (_, k) => idOf(k));
      const look = () =>
        ids.filter((id) => {
          const found = texts.find(id, 0);
          if (found === undefined) texts.keep(hex(id));
          else expect(found).toBe(hex(id));
          return found !== undefined;
        }).length;
      expect(look()).toBe(0);
      // Each once more: the ids still in their place are found as themselves, the others were pushed out.
      const found = look();
      expect(found).toBeGreaterThan(0);
      expect(found).toBeLessThan(ids.length);
    });
  }

  it('finds the same bytes at another place of another input', () => {
    const texts = new SpanIdTexts(1 << 20);
    const id = Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2);
    expect(texts.find(id, 0)).toBeUndefined();
    texts.keep(hex(id));
    const other = new Uint8Array(20);
    other.set(id, 11);
    expect(texts.find(other, 11)).toBe(hex(id));
  });
});
