// A mergeable latency summary with bounded relative error (the DDSketch construction): values fall into
// logarithmic buckets of ratio γ = (1+α)/(1−α), so any quantile is within α of a value of the right rank.
// α = 1% here. Summaries of two code locations, or two time windows, merge by adding bucket counts.

export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

export class LatencySketch {
  private readonly buckets = new Map<number, number>();
  private zeros = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  add(valueNs: number, times = 1): void {
    this.count += times;
    this.sum += valueNs * times;
    if (valueNs < this.min) this.min = valueNs;
    if (valueNs > this.max) this.max = valueNs;
    if (valueNs <= 0) {
      this.zeros += times;
      return;
    }
    const index = Math.ceil(Math.log(valueNs) / LOG_GAMMA);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + times);
  }

  merge(other: LatencySketch): void {
    for (const [index, n] of other.buckets) this.buckets.set(index, (this.buckets.get(index) ?? 0) + n);
    this.zeros += other.zeros;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** The q-quantile (0 ≤ q ≤ 1) within RELATIVE_ACCURACY of the exact value; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    // The element of rank floor(q·(n−1)) in sorted order, as the exact quantile is defined in the tests.
    const rank = Math.floor(q * (this.count - 1));
    if (rank < this.zeros) return 0;
    let seen = this.zeros;
    const indexes = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      seen += this.buckets.get(index)!;
      if (seen > rank) return Math.min(this.max, Math.max(this.min, (2 * GAMMA ** index) / (GAMMA + 1)));
    }
    return this.max;
  }
}
