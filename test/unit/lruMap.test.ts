import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/core/cache/lruMap';

describe('LruMap', () => {
  it('keeps the most recently used entries up to its capacity', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // a is now the most recent
    map.set('c', 3); // evicts b, the least recently used
    expect([map.get('b'), map.get('a'), map.get('c'), map.size]).toEqual([undefined, 1, 3, 2]);
    map.set('a', 10); // replacing refreshes, never grows
    expect([...map.values()]).toEqual([3, 10]);
  });

  it('says which entry it pushed out, and only that (a delete or a replace is no eviction)', () => {
    const evicted: [string, number][] = [];
    const map = new LruMap<string, number>(2, (key, value) => evicted.push([key, value]));
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    map.delete('b');
    map.set('c', 4);
    map.set('d', 5);
    expect(evicted).toEqual([['a', 3]]);
  });
});
