import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/core/timing/backoff';

describe('backoffMs', () => {
  it('waits twice as long after each miss, up to its ceiling', () => {
    const schedule = { firstMs: 3000, longestMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 12].map((misses) => backoffMs(misses, schedule))).toEqual([3000, 6000, 12_000, 24_000, 30_000, 30_000, 30_000]);
  });
});
