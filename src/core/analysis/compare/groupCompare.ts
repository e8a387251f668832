// Two groups of traces (before and after a release, two environments, two time windows) compared node by node on
// the merged call tree. Per node and group: how many traces run it and how often, p50/p95/p99 of its time per
// trace, its error rate. A change is reported only when it is at least 5%, significant (Mann-Whitney U on the
// per-trace times, Fisher's exact test on failed spans, Benjamini-Hochberg over every test at q = 0.05), and both
// groups have enough traces with the node; below that the row says "too few traces" instead of guessing. A call
// seen on one side only is "new" or "gone" unless its absence could be chance ("too rare to tell").
import type { Trace } from '../../model/trace';
import { CallNodes, type CallNode } from './callTree';
import { gather, SampleTable, type Gathered } from './sampleTable';
import type { GroupStats, RowVerdict } from './reportTypes';
import { benjaminiHochberg, fisherExact, mannWhitneyU, quantile, selectQuantile } from './statistics';

export interface CompareOptions {
  /** Traces with the node needed on each side before a latency change is judged. */
  minSamples?: number;
  /** The least relative change in p50 worth reporting. */
  minChange?: number;
  /** False-discovery rate. */
  q?: number;
}

export const DEFAULT_COMPARE: Required<CompareOptions> = { minSamples: 20, minChange: 0.05, q: 0.05 };

export interface GroupRow {
  node: CallNode;
  a?: GroupStats;
  b?: GroupStats;
  verdict: RowVerdict;
  /** (B's p50 − A's) / A's; for errors, the change in error rate (percentage points as a fraction). */
  change: number;
  /** The p-value of the test behind the verdict, when one was run. */
  p?: number;
}

export interface GroupComparison {
  baseline: { traces: number };
  candidate: { traces: number };
  /** Changes first (slower before faster, largest first), then one-sided calls, then the rest. */
  rows: GroupRow[];
  notes: string[];
}

/** A node's figures in one group, and its time in each trace that ran it, sorted (what the U test compares). */
export function stats(g: Gathered | undefined, table: SampleTable): { stats: GroupStats; totals: Float64Array } | undefined {
  if (!g) return undefined;
  const totals = g.totals.sort();
  // The exemplar: the first trace (in the order they came) whose time is the median's.
  const median = totals[Math.floor((totals.length - 1) / 2)];
  const row = g.rows.find((r) => table.totalNs[r] === median)!;
  const figures = {
    traces: totals.length,
    perTrace: g.spans / totals.length,
    p50Ns: quantile(totals, 0.5),
    p95Ns: quantile(totals, 0.95),
    p99Ns: quantile(totals, 0.99),
    selfP50Ns: selectQuantile(g.selves, 0.5),
    spans: g.spans,
    errors: g.errors,
    exemplar: { traceId: table.traceIds[table.trace[row]], spanId: table.firstSpanIds[row] },
  };
  return { stats: figures, totals };
}

/** The share of a caller's p50 growth a slower callee must account for to be where the caller's slowdown is. */
const EXPLAINS = 0.9;

/**
 * Each row's place among its kind: the size of its change, except that a slower caller whose p50 growth a slower
 * callee accounts for follows that callee. The change is in the callee; the caller's relative change, over a base
 * a little larger and a sum a little noisier, would come out ahead of it by chance (in the demo, POST /charge over
 * chargeCard, now and then).
 */
function orderKeys(rows: readonly GroupRow[]): Map<GroupRow, number> {
  const key = new Map(rows.map((r) => [r, Math.abs(r.change)]));
  const growth = (r: GroupRow) => r.b!.p50Ns - r.a!.p50Ns;
  const slower = new Map(rows.filter((r) => r.verdict === 'slower').map((r) => [r.node, r]));
  const deepestFirst = [...slower.values()].sort((x, y) => y.node.depth - x.node.depth);
  for (const callee of deepestFirst)
    for (let at = callee.node.parent; at; at = at.parent) {
      const caller = slower.get(at);
      // Just below the callee's key: right after it, and after it again for each level up.
      if (caller && growth(callee) >= EXPLAINS * growth(caller)) key.set(caller, Math.min(key.get(caller)!, key.get(callee)! - 1e-9));
    }
  return key;
}

/** Could a call seen in `k` of `n` traces on one side be missing from all `m` traces of the other by chance? */
function absenceCouldBeChance(k: number, n: number, m: number): boolean {
  return (1 - k / n) ** m >= 0.05;
}

export function compareGroups(baseline: readonly Trace[], candidate: readonly Trace[], options: CompareOptions = {}): GroupComparison {
  const known = new CallNodes();
  const [a, b] = [new SampleTable(), new SampleTable()];
  for (const t of baseline) known.sampleInto(t, a);
  for (const t of candidate) known.sampleInto(t, b);
  return compareSamples(known, a, b, options);
}

/** Groups already sampled onto one set of nodes (so a caller can sample trace by trace, and let go of each). */
export function compareSamples(
  known: { readonly all: readonly CallNode[] },
  tableA: SampleTable,
  tableB: SampleTable,
  options: CompareOptions = {},
): GroupComparison {
  const { minSamples, minChange, q } = { ...DEFAULT_COMPARE, ...options };
  const notes: string[] = [];
  // Traces on each side.
  const a = tableA.traces;
  const b = tableB.traces;
  if (!a || !b) {
    notes.push(`${!a ? 'the baseline' : 'the candidate'} has no traces: there is nothing to compare it with`);
    return { baseline: { traces: a }, candidate: { traces: b }, rows: [], notes };
  }
  type Pending = { row: GroupRow; test?: 'latency' | 'errors' };
  const pending: Pending[] = [];
  const [gatheredA, gatheredB] = [gather(tableA), gather(tableB)];
  for (const node of known.all) {
    const inA = stats(gatheredA.get(node.key), tableA);
    const inB = stats(gatheredB.get(node.key), tableB);
    const sa = inA?.stats;
    const sb = inB?.stats;
    if (!sa || !sb) {
      const [seen, n, m] = sa ? [sa.traces, a, b] : [sb!.traces, b, a];
      const verdict: RowVerdict = absenceCouldBeChance(seen, n, m) ? 'too-rare' : sa ? 'gone' : 'new';
      pending.push({ row: { node, a: sa, b: sb, verdict, change: 0 } });
      continue;
    }
    const rateA = sa.errors / sa.spans;
    const rateB = sb.errors / sb.spans;
    if (sa.errors + sb.errors > 0) {
      const p = fisherExact(sb.errors, sb.spans - sb.errors, sa.errors, sa.spans - sa.errors);
      pending.push({ row: { node, a: sa, b: sb, verdict: rateB > rateA ? 'more-errors' : 'fewer-errors', change: rateB - rateA, p }, test: 'errors' });
    }
    const change = (sb.p50Ns - sa.p50Ns) / (sa.p50Ns || 1);
    if (sa.traces < minSamples || sb.traces < minSamples) {
      pending.push({ row: { node, a: sa, b: sb, verdict: 'too-few', change } });
      continue;
    }
    const p = mannWhitneyU(inB!.totals, inA!.totals).p;
    pending.push({ row: { node, a: sa, b: sb, verdict: change > 0 ? 'slower' : 'faster', change, p }, test: 'latency' });
  }
  const tested = pending.filter((x) => x.test);
  const discovered = benjaminiHochberg(
    tested.map((x) => x.row.p!),
    q,
  );
  tested.forEach((x, k) => {
    const large = x.test === 'errors' ? Math.abs(x.row.change) >= 0.01 : Math.abs(x.row.change) >= minChange;
    if (!discovered[k] || !large) x.row.verdict = 'unchanged';
  });
  // A node keeps each row that changed (its latency and its errors may both have); one that did not, one row.
  const byNode = new Map<CallNode, GroupRow[]>();
  for (const { row } of pending) byNode.set(row.node, [...(byNode.get(row.node) ?? []), row]);
  const rows = [...byNode.values()].flatMap((list) => {
    const changed = list.filter((r) => r.verdict !== 'unchanged');
    return changed.length ? changed : [list[list.length - 1]];
  });
  const rank: Record<RowVerdict, number> = {
    slower: 0,
    'more-errors': 1,
    new: 2,
    faster: 3,
    'fewer-errors': 4,
    gone: 5,
    'too-rare': 6,
    'too-few': 7,
    unchanged: 8,
  };
  const key = orderKeys(rows);
  rows.sort((x, y) => rank[x.verdict] - rank[y.verdict] || key.get(y)! - key.get(x)! || x.node.depth - y.node.depth);
  if (a < minSamples || b < minSamples)
    notes.push(`too few traces to judge latency: ${a} and ${b}, at least ${minSamples} a side are needed (error rates and new or gone calls are still shown)`);
  return { baseline: { traces: a }, candidate: { traces: b }, rows, notes };
}
