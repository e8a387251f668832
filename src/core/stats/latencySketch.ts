// A mergeable latency summary with bounded relative error (the DDSketch construction): values fall into
// logarithmic buckets of ratio γ = (1+α)/(1−α), so any quantile is within α of a value of the right rank.
// α = 1% here. Buckets are a dense array from the lowest index used (latencies span a few hundred buckets),
// so merging the summaries of a function's lines is a loop of additions.

export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

function bucketOf(valueNs: number): number {
  return Math.ceil(Math.log(valueNs) / LOG_GAMMA);
}

export class LatencySketch {
  /** counts[i] holds values of bucket offset + i. */
  private counts: number[] = [];
  private offset = 0;
  private zeros = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  private addToBucket(index: number, n: number): void {
    this.cover(index, index + 1);
    this.counts[index - this.offset] += n;
  }

  add(valueNs: number, times = 1): void {
    this.count += times;
    this.sum += valueNs * times;
    if (valueNs < this.min) this.min = valueNs;
    if (valueNs > this.max) this.max = valueNs;
    if (valueNs <= 0) this.zeros += times;
    else this.addToBucket(bucketOf(valueNs), times);
  }

  /**
   * Takes one value out again (an evicted span). A value no bucket holds changes nothing, so count and buckets
   * stay in step. min and max keep their old values: they bound, not equal.
   */
  remove(valueNs: number): void {
    if (valueNs <= 0) {
      if (this.zeros === 0) return;
      this.zeros--;
    } else {
      const i = bucketOf(valueNs) - this.offset;
      if (!(this.counts[i] > 0)) return;
      this.counts[i]--;
    }
    this.count--;
    this.sum -= valueNs;
  }

  merge(other: LatencySketch): void {
    if (other.counts.length) {
      this.cover(other.offset, other.offset + other.counts.length);
      const shift = other.offset - this.offset;
      for (let i = 0; i < other.counts.length; i++) this.counts[shift + i] += other.counts[i];
    }
    this.zeros += other.zeros;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** One sketch of many (a function's lines): the bucket range is sized once, then counts are added. */
  static mergeAll(sketches: readonly LatencySketch[]): LatencySketch {
    const result = new LatencySketch();
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of sketches) {
      if (!s.counts.length) continue;
      lo = Math.min(lo, s.offset);
      hi = Math.max(hi, s.offset + s.counts.length);
    }
    if (hi > lo) result.cover(lo, hi);
    for (const s of sketches) result.merge(s);
    return result;
  }

  /** Grows the bucket array, once, to hold indexes [from, to). */
  private cover(from: number, to: number): void {
    const end = this.offset + this.counts.length;
    if (this.counts.length && from >= this.offset && to <= end) return;
    const lo = this.counts.length ? Math.min(from, this.offset) : from;
    const hi = this.counts.length ? Math.max(to, end) : to;
    const next = new Array<number>(hi - lo).fill(0);
    for (let i = 0; i < this.counts.length; i++) next[this.offset - lo + i] = this.counts[i];
    this.counts = next;
    this.offset = lo;
  }

  /**
   * The q-quantile (0 ≤ q ≤ 1) within RELATIVE_ACCURACY of the exact value; NaN when empty. Exact is between
   * the values of ranks ⌊q·(n−1)⌋ and the next, as the comparisons read quantiles (statistics.ts `quantile`):
   * the lower of the two alone made the p99 of calls of 1 and 50 ms read 1 ms.
   */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const at = q * (this.count - 1);
    const rank = Math.floor(at);
    const low = this.atRank(rank);
    return at === rank ? low : low + (this.atRank(rank + 1) - low) * (at - rank);
  }

  /** The value of rank `rank` (0-based) in sorted order, within RELATIVE_ACCURACY. */
  private atRank(rank: number): number {
    if (rank < this.zeros) return 0;
    let seen = this.zeros;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen > rank) return Math.min(this.max, Math.max(this.min, (2 * GAMMA ** (this.offset + i)) / (GAMMA + 1)));
    }
    return this.max;
  }
}
