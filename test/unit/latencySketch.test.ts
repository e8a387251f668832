// The latency sketch on small, hand-checked inputs: zero durations, removal, weights, merging across ranges.
// (Accuracy on a million samples is in codeMapping.test.ts.)
import { describe, expect, it } from 'vitest';
import { LatencySketch, RELATIVE_ACCURACY } from '../../src/core/stats/latencySketch';

const MS = 1e6;

function sketchOf(...ms: number[]): LatencySketch {
  const s = new LatencySketch();
  for (const v of ms) s.add(v * MS);
  return s;
}

function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * RELATIVE_ACCURACY);
}

/** Between the values of ranks ⌊q·(n−1)⌋ and the next, by how far q falls between them (the comparisons' quantile). */
function exact(ms: number[], q: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  return (sorted[lo] + (sorted[Math.ceil(at)] - sorted[lo]) * (at - lo)) * MS;
}

describe('LatencySketch', () => {
  it('answers each rank of a small set within 1%, the ends exactly, and NaN when empty', () => {
    const s = sketchOf(5, 1, 4, 2, 3);
    expect([s.count, s.sum, s.min, s.max]).toEqual([5, 15 * MS, 1 * MS, 5 * MS]);
    expect(s.quantile(0)).toBe(1 * MS);
    expect(s.quantile(1)).toBe(5 * MS);
    expectNear(s.quantile(0.25), 2 * MS);
    expectNear(s.quantile(0.5), 3 * MS);
    expectNear(s.quantile(0.75), 4 * MS);
    // Between the two largest: the lower alone (4 ms) would say 1% of calls took longer than every call but one.
    expectNear(s.quantile(0.99), 4.96 * MS);
    expectNear(s.quantile(0.9), exact([5, 1, 4, 2, 3], 0.9));
    expect(new LatencySketch().quantile(0.5)).toBeNaN();
  });

  it('never answers outside [min, max]', () => {
    const s = sketchOf(7, 7, 7);
    for (const q of [0.01, 0.5, 0.99]) expect(s.quantile(q)).toBe(7 * MS);
  });

  it('counts zero and negative durations (clock skew) as 0 at the bottom', () => {
    const s = new LatencySketch();
    s.add(0, 3);
    s.add(-5);
    s.add(10 * MS);
    expect([s.count, s.min, s.max]).toEqual([5, -5, 10 * MS]);
    expect(s.quantile(0.5)).toBe(0);
    expect(s.quantile(0.75)).toBe(0);
    expectNear(s.quantile(0.99), exact([0, 0, 0, 0, 10], 0.99)); // 96% of the way from the last zero to 10 ms
    s.remove(0);
    s.remove(0);
    s.remove(0);
    s.remove(-5);
    expect(s.count).toBe(1);
    expectNear(s.quantile(0.5), 10 * MS);
  });

  it('weights a value added many times', () => {
    const s = new LatencySketch();
    s.add(1 * MS, 99);
    s.add(100 * MS);
    expect([s.count, s.sum]).toEqual([100, 199 * MS]);
    expectNear(s.quantile(0.5), 1 * MS);
    expectNear(s.quantile(0.98), 1 * MS);
    expect(s.quantile(1)).toBe(100 * MS);
  });

  it('takes a value out again, and ignores removals it cannot match', () => {
    const s = sketchOf(1, 50, 100);
    s.remove(100 * MS);
    expect([s.count, s.sum]).toEqual([2, 51 * MS]);
    expectNear(s.quantile(0.99), exact([1, 50], 0.99));
    s.remove(1e15); // above every bucket
    s.remove(1); // below every bucket
    s.remove(100 * MS); // already taken out
    expect([s.count, s.sum]).toEqual([2, 51 * MS]);
    const empty = new LatencySketch();
    empty.remove(5 * MS);
    expect([empty.count, empty.sum]).toEqual([0, 0]);
  });

  it('does not go below zero when the zero bucket is emptied twice', () => {
    const s = new LatencySketch();
    s.add(0);
    s.add(8 * MS);
    s.remove(0);
    s.remove(0);
    expect(s.count).toBe(1);
    expectNear(s.quantile(0.5), 8 * MS);
    s.add(0);
    expect(s.quantile(0)).toBe(0);
    expectNear(s.quantile(0.1), exact([0, 8], 0.1));
  });

  it('merges sketches whose ranges do not overlap, either way round, and empty ones', () => {
    const low = sketchOf(1, 2);
    const high = sketchOf(1000, 2000);
    const a = LatencySketch.mergeAll([new LatencySketch(), high, low]);
    const b = sketchOf(1000, 2000);
    b.merge(low);
    b.merge(new LatencySketch());
    for (const s of [a, b]) {
      expect([s.count, s.min, s.max, s.sum]).toEqual([4, 1 * MS, 2000 * MS, 3003 * MS]);
      expectNear(s.quantile(1 / 3), 2 * MS);
      expectNear(s.quantile(2 / 3), 1000 * MS);
      expectNear(s.quantile(0.5), exact([1, 2, 1000, 2000], 0.5));
    }
    const zeros = new LatencySketch();
    zeros.add(0, 2);
    const c = LatencySketch.mergeAll([zeros, sketchOf(4)]);
    expect(c.count).toBe(3);
    expect(c.quantile(0.5)).toBe(0);
    expect(LatencySketch.mergeAll([]).count).toBe(0);
    const into = new LatencySketch();
    into.merge(sketchOf(3, 300));
    expect(into.count).toBe(2);
    expectNear(into.quantile(0.99), exact([3, 300], 0.99));
  });
});
