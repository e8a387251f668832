import { describe, expect, it } from 'vitest';
import { adjustClockSkew } from '../../src/core/analysis/clockSkew';
import { clockTolerance, computeCriticalPath, mainRoot, type CriticalSegment } from '../../src/core/analysis/criticalPath';
import { formatDuration } from '../../src/core/analysis/formatDuration';
import { computeSelfTimes } from '../../src/core/analysis/selfTime';
import { buildSpanTree, type SpanTree } from '../../src/core/analysis/spanTree';
import type { Trace } from '../../src/core/model/trace';
import { traceStory } from '../../src/core/analysis/traceStory';
import { buildTrace } from '../support/traceBuilder';

const ids = (trace: ReturnType<typeof buildTrace>, nodes: Iterable<number>) => [...nodes].map((i) => trace.spans[i].spanId.replace(/^0+/, ''));

describe('span tree', () => {
  it('orders rows depth-first with children by start time', () => {
    const trace = buildTrace([
      ['1', undefined, 0, 100],
      ['3', '1', 50, 10],
      ['2', '1', 10, 20],
      ['4', '2', 12, 5],
    ]);
    const tree = buildSpanTree(trace);
    expect(ids(trace, tree.order)).toEqual(['1', '2', '4', '3']);
    expect([...tree.order].map((i) => tree.depth[i])).toEqual([0, 1, 2, 1]);
    expect(tree.warnings).toEqual([]);
  });

  it('makes orphans roots with a warning', () => {
    const trace = buildTrace([
      ['1', undefined, 0, 100],
      ['2', 'ff', 10, 20],
    ]);
    const tree = buildSpanTree(trace);
    expect(ids(trace, tree.roots)).toEqual(['1', '2']);
    expect(tree.warnings.map((w) => w.code)).toEqual(['missing-parent']);
  });

  it('breaks cycles (including self-parents) and keeps every span', () => {
    const trace = buildTrace([
      ['1', '3', 0, 100],
      ['2', '1', 10, 20],
      ['3', '2', 12, 5],
      ['4', '4', 1, 1],
    ]);
    const tree = buildSpanTree(trace);
    expect(tree.order).toHaveLength(4);
    expect(tree.warnings.filter((w) => w.code === 'cycle')).toHaveLength(2);
    expect(tree.roots.length).toBe(2);
  });

  it('finds parents by id as a Map of the ids would: 16-digit hex ids, others, repeats, case', () => {
    const byMap = (spans: { spanId: string; parentSpanId?: string }[]) => {
      const index = new Map(spans.map((s, i) => [s.spanId, i]));
      return spans.map((s) => (s.parentSpanId === undefined ? -1 : (index.get(s.parentSpanId) ?? -1)));
    };
    // Random 64-bit ids, many sharing their low or high half (a table keyed by one half would confuse them).
    const hex = (n: number) => Math.floor(n).toString(16).padStart(8, '0');
    const rows: [string, string | undefined, number, number][] = [];
    for (let i = 0; i < 5_000; i++) {
      const shared = hex((i % 7) * 1e8);
      const random = hex(Math.random() * 2 ** 32);
      const id = i % 2 ? shared + random : random + shared;
      rows.push([id, i ? rows[Math.floor(Math.random() * i)][0] : undefined, i, 1]);
    }
    rows.push(['00000000000000ff', 'ffffffffffffffff', 0, 1], [rows[3][0], rows[0][0], 0, 1]);
    for (const set of [rows, [...rows, ['short', rows[1][0], 0, 1] as const], [...rows, ['00000000000000FF', rows[2][0], 0, 1] as const]]) {
      const trace = buildTrace(set as typeof rows);
      expect(Array.from(buildSpanTree(trace).parent)).toEqual(byMap(trace.spans));
    }
    // An uppercase parent id names no span: as strings they differ.
    const cased = buildTrace([
      ['00000000000000ab', undefined, 0, 1],
      ['00000000000000ac', '00000000000000AB', 0, 1],
    ]);
    expect(Array.from(buildSpanTree(cased).parent)).toEqual([-1, -1]);
  });

  it('handles a 100k-deep chain without recursion', () => {
    const rows: [string, string | undefined, number, number][] = [];
    for (let i = 1; i <= 100_000; i++) rows.push([i.toString(16), i === 1 ? undefined : (i - 1).toString(16), i, 200_000 - 2 * i]);
    const trace = buildTrace(rows);
    const tree = buildSpanTree(trace);
    expect(tree.depth[tree.order[99_999]]).toBe(99_999);
    expect(computeCriticalPath(trace, tree).segments.length).toBeGreaterThan(99_999);
  });
});

describe('self time', () => {
  it('subtracts the union of overlapping children, clipped to the parent', () => {
    const trace = buildTrace([
      ['1', undefined, 0, 100],
      ['2', '1', 10, 30],
      ['3', '1', 20, 30],
      ['4', '1', 90, 50],
    ]);
    const self = computeSelfTimes(trace, buildSpanTree(trace));
    // children cover [10,50) and [90,100) -> 50 of 100
    expect(self[0]).toBe(50);
    expect(self[1]).toBe(30);
  });
});

/** The critical path's rule as first written (every child list sorted up front, a segment object each): the reference. */
function plainCriticalPath(trace: Trace, tree: SpanTree): CriticalSegment[] {
  const n = trace.spans.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  for (const node of tree.order) {
    const p = tree.parent[node];
    const s = trace.spans[node].startNs;
    const e = s + trace.spans[node].durationNs;
    start[node] = p < 0 ? s : Math.min(Math.max(s, start[p]), end[p]);
    end[node] = p < 0 ? e : Math.max(Math.min(e, end[p]), start[node]);
  }
  const children = (node: number) => [...tree.childList.subarray(tree.childStart[node], tree.childStart[node + 1])].sort((a, b) => end[b] - end[a] || b - a);
  const segments: CriticalSegment[] = [];
  const root = mainRoot(trace, tree);
  const next = new Map<number, number[]>();
  let node = root;
  let cursor = end[root];
  for (;;) {
    const pending = next.get(node) ?? children(node);
    next.set(node, pending);
    while (pending.length && end[pending[0]] > cursor + clockTolerance(end[pending[0]] - start[pending[0]])) pending.shift();
    const child = pending.shift();
    if (child !== undefined) {
      if (end[child] < cursor) segments.push({ spanIndex: node, startNs: end[child], endNs: cursor });
      node = child;
      cursor = Math.min(end[child], cursor);
      continue;
    }
    if (start[node] < cursor || segments.length === 0) segments.push({ spanIndex: node, startNs: start[node], endNs: cursor });
    if (node === root) break;
    cursor = start[node];
    node = tree.parent[node];
  }
  return segments.reverse();
}

describe('critical path', () => {
  it('follows the last-finishing child and returns to the parent in gaps', () => {
    // root 0-100; a 10-25; b 30-80 (last to finish); b1 35-60 inside b; c 20-40 overlaps b's start, so it is off the path
    const trace = buildTrace([
      ['1', undefined, 0, 100],
      ['a', '1', 10, 15],
      ['c', '1', 20, 20],
      ['b', '1', 30, 50],
      ['b1', 'b', 35, 25],
    ]);
    const path = computeCriticalPath(trace, buildSpanTree(trace));
    const segments = path.segments.map((s) => [trace.spans[s.spanIndex].spanId.replace(/^0+/, ''), s.startNs, s.endNs]);
    expect(segments).toEqual([
      ['1', 0, 10],
      ['a', 10, 25],
      ['1', 25, 30],
      ['b', 30, 35],
      ['b1', 35, 60],
      ['b', 60, 80],
      ['1', 80, 100],
    ]);
    expect(
      ids(
        trace,
        path.onPath.reduce<number[]>((acc, v, i) => (v ? [...acc, i] : acc), []),
      ),
    ).toEqual(['1', 'a', 'b', 'b1']);
  });

  it('keeps every call of a loop on the path when consecutive calls overlap within clock precision', () => {
    // Twelve 15 ms queries, each starting 0.3 ms before the one before it ended, as the demo's SDK records them.
    const rows: Parameters<typeof buildTrace>[0] = [['1', undefined, 0, 200_000_000]];
    for (let k = 0; k < 12; k++) rows.push([`q${k}`, '1', 1_000_000 + k * 14_700_000, 15_000_000]);
    const trace = buildTrace(rows);
    const path = computeCriticalPath(trace, buildSpanTree(trace));
    expect(path.onPath.reduce((n, v) => n + v, 0)).toBe(13);
    // Segments never go back in time.
    for (let k = 1; k < path.segments.length; k++) expect(path.segments[k].startNs).toBeGreaterThanOrEqual(path.segments[k - 1].endNs);
  });

  it('clips children that overrun their parent', () => {
    const trace = buildTrace([
      ['1', undefined, 0, 100],
      ['2', '1', 50, 500],
    ]);
    const path = computeCriticalPath(trace, buildSpanTree(trace));
    expect(path.segments.map((s) => [s.startNs, s.endNs])).toEqual([
      [0, 50],
      [50, 100],
    ]);
  });

  it('equals the rule walked with a plain sort, on random trees with tied ends and wide fan-outs', () => {
    // Parents of 1-40 children (past the in-place sort's reach), ends on a coarse grid so many tie.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const rows: Parameters<typeof buildTrace>[0] = [['1', undefined, 0, 1000]];
      for (let id = 2; id <= 2 + Math.floor(random() * 120); id++) {
        const parent = String(1 + Math.floor(random() * Math.min(id - 1, 1 + (round % 3 === 0 ? 1 : 30))));
        rows.push([String(id), parent, Math.floor(random() * 10) * 100, Math.floor(random() * 10) * 100]);
      }
      const trace = buildTrace(rows);
      const tree = buildSpanTree(trace);
      const path = computeCriticalPath(trace, tree);
      const expected = plainCriticalPath(trace, tree);
      expect(path.segments).toEqual(expected);
      expect([...path.onPath]).toEqual(trace.spans.map((_, i) => (expected.some((s) => s.spanIndex === i) ? 1 : 0)));
      const held = trace.spans.map((_, i) => expected.filter((s) => s.spanIndex === i).reduce((sum, s) => sum + s.endNs - s.startNs, 0));
      expect([...path.spanTimes]).toEqual(held);
    }
  });

  it('covers zero-duration children without looping', () => {
    const trace = buildTrace([
      ['1', undefined, 0, 10],
      ['2', '1', 10, 0],
      ['3', '1', 10, 0],
    ]);
    const path = computeCriticalPath(trace, buildSpanTree(trace));
    expect(path.segments[0]).toMatchObject({ startNs: 0, endNs: 10 });
  });
});

describe('clock skew', () => {
  it('centres a server span that starts before its client span, moving its subtree', () => {
    const trace = buildTrace([
      ['1', undefined, 0, 1000, 'client'],
      ['2', '1', -300, 600, 'server'],
      ['3', '2', -250, 100],
    ]);
    trace.spans.forEach((s) => (s.startNs += 300));
    const warnings = adjustClockSkew(trace, buildSpanTree(trace));
    const [client, server, child] = trace.spans;
    expect(server.startNs - client.startNs).toBe(200);
    expect(child.startNs - server.startNs).toBe(50);
    expect(Math.min(...trace.spans.map((s) => s.startNs))).toBe(0);
    expect(trace.startUnixNano).toBe(1_700_000_000_000_000_300n);
    expect(warnings).toHaveLength(1);
  });

  it('leaves well-formed pairs and non-RPC children alone', () => {
    const trace = buildTrace([
      ['1', undefined, 0, 1000, 'client'],
      ['2', '1', 100, 600, 'server'],
      ['3', '2', 900, 500],
    ]);
    expect(adjustClockSkew(trace, buildSpanTree(trace))).toEqual([]);
    expect(trace.spans.map((s) => s.startNs)).toEqual([0, 100, 900]);
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850 ns'],
    [12_345, '12.3 µs'],
    [1_234, '1.23 µs'],
    [48_000_000, '48 ms'],
    [2_345_000_000, '2.35 s'],
    [192_000_000_000, '3m 12s'],
  ])('%d ns -> %s', (ns, text) => expect(formatDuration(ns)).toBe(text));
});

describe('trace story', () => {
  it('says where a failure started: the earliest failing span with no failure below it', () => {
    // root (error) ─┬─ a ── b (error: the origin, through a span that did not fail)
    //               └─ c (error, later)
    const trace = buildTrace([
      ['root', undefined, 0, 100],
      ['a', 'root', 10, 50],
      ['b', 'a', 20, 10],
      ['c', 'root', 70, 20],
    ]);
    for (const i of [0, 2, 3]) trace.spans[i].status = { code: 'error', message: `failed ${trace.spans[i].name}` };
    const story = traceStory(trace);
    expect(story.failedAt).toEqual({ service: 'svc', name: 'op-b', durationNs: 10, message: 'failed op-b' });
    expect(story.slowest?.name).toBe('op-a');
    trace.spans[2].status = { code: 'unset' };
    trace.spans[3].status = { code: 'unset' };
    expect(traceStory(trace).failedAt?.name).toBe('op-root');
  });
});
