import { describe, expect, it } from 'vitest';
import { sortByKey } from '../../src/core/analysis/sortByKey';

describe('sortByKey', () => {
  it('orders a run of ids by key, ties by id, either way, short runs in place and long ones not', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(random() * 40);
      const key = Float64Array.from({ length: n }, () => Math.floor(random() * 6) * 0.5);
      const ids = Int32Array.from({ length: n }, (_, i) => i).sort(() => random() - 0.5);
      const from = Math.floor(random() * n);
      const to = from + Math.floor(random() * (n - from + 1));
      const direction = round % 2 ? 1 : -1;
      const expected = [...ids.slice(0, from), ...[...ids.slice(from, to)].sort((a, b) => direction * (key[a] - key[b] || a - b)), ...ids.slice(to)];
      sortByKey(ids, from, to, key, direction);
      expect([...ids]).toEqual(expected);
    }
  });
});
