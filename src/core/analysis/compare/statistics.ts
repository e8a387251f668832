// The tests a comparison rests on: Mann-Whitney U for latency (no assumption about the distribution's shape:
// latencies are skewed and multimodal), Fisher's exact test for error rates (exact at the small counts errors
// come in), and Benjamini-Hochberg to keep the share of false discoveries over many rows at q. Textbook formulas
// (normal approximation of U with tie and continuity corrections; the hypergeometric sum for Fisher), small
// enough to keep here and checked against textbook values in the tests.

/** log Γ(x) (Lanczos, g = 7): log-factorials for the hypergeometric probabilities without overflow. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(Z ≤ z) for a standard normal Z (Abramowitz and Stegun 7.1.26 through erf; error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface UTest {
  /** U of the first sample: how many (a, b) pairs have a > b, ties counting half. */
  u: number;
  z: number;
  /** Two-sided. */
  p: number;
}

/** Mann-Whitney U, two-sided, normal approximation with tie and continuity corrections (fine from ~8 per side). */
export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): UTest {
  const n1 = a.length;
  const n2 = b.length;
  // Both sorted (numerically, as typed arrays sort), then ranked in one merge: groups of thousands of traces
  // per call made an object per value and a comparator sort the main cost of comparing releases.
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let rankSumA = 0;
  let tieTerm = 0;
  let ranked = 0;
  for (let i = 0, j = 0; i < n1 || j < n2;) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    let inA = 0;
    let inB = 0;
    for (; i < n1 && x[i] === v; i++) inA++;
    for (; j < n2 && y[j] === v; j++) inB++;
    const ties = inA + inB;
    // The tied values share the mean of the ranks they span.
    rankSumA += inA * (ranked + (ties + 1) / 2);
    tieTerm += ties ** 3 - ties;
    ranked += ties;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, p: 1 };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, z: u >= mean ? Math.max(0, z) : -Math.max(0, z), p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))) };
}

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]] (rows: groups; columns: failed, did not), two-sided: the
 * probability of every table with the same margins that is no more likely than the one seen.
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  const logP = (x: number) =>
    logGamma(row1 + 1) +
    logGamma(n - row1 + 1) +
    logGamma(col1 + 1) +
    logGamma(n - col1 + 1) -
    logGamma(n + 1) -
    logGamma(x + 1) -
    logGamma(row1 - x + 1) -
    logGamma(col1 - x + 1) -
    logGamma(n - row1 - col1 + x + 1);
  const seen = logP(a);
  let p = 0;
  for (let x = Math.max(0, row1 + col1 - n); x <= Math.min(row1, col1); x++) {
    const lp = logP(x);
    // A relative tolerance: tables as likely as the one seen count, despite rounding.
    if (lp <= seen + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/** Which of the p-values are discoveries at false-discovery rate `q` (Benjamini-Hochberg step-up). */
export function benjaminiHochberg(pValues: readonly number[], q = 0.05): boolean[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  let cut = -1;
  order.forEach(([p], k) => {
    if (p <= ((k + 1) / m) * q) cut = k;
  });
  const discovered = new Array<boolean>(m).fill(false);
  for (let k = 0; k <= cut; k++) discovered[order[k][1]] = true;
  return discovered;
}

/** The q-quantile of sorted values (linear interpolation between closest ranks). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * The q-quantile as `quantile` reads it from sorted values, found without sorting them (Hoare's selection,
 * linear on average; the values are reordered): a figure that needs only its median need not sort.
 */
export function selectQuantile(values: Float64Array, q: number): number {
  if (values.length === 0) return NaN;
  const at = (values.length - 1) * q;
  const lo = Math.floor(at);
  const low = select(values, lo);
  if (at === lo) return low;
  // Selection leaves every value after `lo` at least as large: the next rank is their least.
  let high = Infinity;
  for (let i = lo + 1; i < values.length; i++) if (values[i] < high) high = values[i];
  return low + (high - low) * (at - lo);
}

/** Reorders `v` so that v[k] is its k-th least value, none after it less and none before it more. */
function select(v: Float64Array, k: number): number {
  let left = 0;
  let right = v.length - 1;
  while (right > left) {
    const pivot = v[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return v[k];
}
