// Comparing traces: the statistics against textbook values and a no-shift simulation, the merged call tree's
// structure diff on real fixtures, and group comparison finding a known shift and refusing to guess on too few.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toOtlpJsonLines } from '../../src/core/formats/otlpJsonWriter';
import { buildCli, runCli } from '../support/cliProcess';
import { diffTraces } from '../../src/core/analysis/compare/traceDiff';
import { pathOf } from '../../src/core/analysis/compare/callTree';
import { compareGroups } from '../../src/core/analysis/compare/groupCompare';
import { AttributeValues, GroupSampling, sideOf } from '../../src/core/analysis/compare/groupSampling';
import { AttributeShares, MAX_VALUES_PER_ATTRIBUTE } from '../../src/core/analysis/compare/attributeShares';
import { groupReport, traceReport } from '../../src/core/analysis/compare/compareReport';
import { lensDelta, lensDeltaTooltip } from '../../src/core/analysis/compare/lensDelta';
import { traceRowChanged, traceRowChangeText } from '../../src/core/analysis/compare/traceRowChange';
import { OperationProfile } from '../../src/core/analysis/compare/operationProfile';
import { formatDuration } from '../../src/core/analysis/formatDuration';
import { benjaminiHochberg, fisherExact, mannWhitneyU, quantile, selectQuantile } from '../../src/core/analysis/compare/statistics';
import type { Span, Trace } from '../../src/core/model/trace';
import { decodeOk } from '../support/decodeOk';
import { buildSpan } from '../support/traceBuilder';
import { fixture } from '../support/fixtures';

/** A seeded generator (mulberry32), so the simulations are the same on every run. */
function random(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** A lognormal latency around `medianMs`, as request latencies are. */
function latencyNs(next: () => number, medianMs: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Math.round(medianMs * Math.exp(0.4 * normal) * 1e6);
}

let traceCounter = 0;

/** A request of one service version: the handler, a query of `queryNs`, and a render (fixed). */
function request(version: string, queryNs: number, failed = false): Trace {
  const traceId = (++traceCounter).toString(16).padStart(32, '0');
  const resource = { serviceName: 'orders', serviceVersion: version, attributes: { 'service.name': 'orders', 'service.version': version } };
  const span = (id: string, parent: string | undefined, name: string, startNs: number, durationNs: number, extra: Partial<Span> = {}): Span =>
    buildSpan(
      {},
      { traceId, spanId: id.padStart(16, '0'), parentSpanId: parent?.padStart(16, '0'), name, kind: 'internal', startNs, durationNs, resource, ...extra },
    );
  const spans = [
    span('1', undefined, 'GET /orders/42', 0, queryNs + 7_000_000, { kind: 'server' }),
    span('2', '1', 'SELECT orders', 1_000_000, queryNs, { kind: 'client', status: failed ? { code: 'error' } : { code: 'unset' } }),
    span('3', '1', 'render', queryNs + 2_000_000, 4_000_000),
  ];
  return { traceId, startUnixNano: BigInt(1_700_000_000_000_000_000 + traceCounter), spans, warnings: [] };
}

function group(version: string, n: number, next: () => number, medianMs: number, failures = 0): Trace[] {
  return Array.from({ length: n }, (_, i) => request(version, latencyNs(next, medianMs), i < failures));
}

describe('statistics', () => {
  it('Mann-Whitney U: the statistic by its definition, the p-value of the normal approximation', () => {
    const test = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(test.u).toBe(17);
    // Mean 10, variance 16.67, continuity-corrected z = 1.59: p = 0.111 (the exact p is 0.111 too).
    expect(test.p).toBeCloseTo(0.111, 2);
    // Ties share their rank: identical samples differ in nothing.
    expect(mannWhitneyU([1, 1, 2], [1, 1, 2]).p).toBeCloseTo(1, 6);
  });

  it('a quantile found by selection equals the one read from the sorted values, ties and all', () => {
    const next = random(5);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      for (const q of [0, 0.5, 0.95, 0.99, 1]) {
        // Few distinct values: many ties, where a careless partition loops or misplaces.
        const values = Float64Array.from({ length: n }, () => Math.floor(next() * (n < 10 ? 3 : n / 4)));
        const sorted = values.slice().sort();
        expect(selectQuantile(values.slice(), q)).toBe(quantile(sorted, q));
      }
    }
    expect(selectQuantile(new Float64Array(0), 0.5)).toBeNaN();
  });

  it("Fisher's exact test, two-sided, against textbook tables", () => {
    // Fisher's tea-tasting table.
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
    // The dieting example of the test's textbook description: p = 0.002759.
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.002759, 5);
    expect(fisherExact(0, 10, 0, 10)).toBeCloseTo(1, 9);
  });

  it('Benjamini-Hochberg keeps the discoveries under the step-up line', () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005])).toEqual([true, true, true, true]);
    expect(benjaminiHochberg([0.01, 0.02, 0.03, 0.5])).toEqual([true, true, true, false]);
    expect(benjaminiHochberg([0.04, 0.2])).toEqual([false, false]);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
});

/** POST /charge around chargeCard (of `chargeNs`), with `overheadNs` of its own: the demo's payments. */
function charge(version: string, chargeNs: number, overheadNs: number): Trace {
  const traceId = (++traceCounter).toString(16).padStart(32, '0');
  const resource = { serviceName: 'payments', serviceVersion: version, attributes: { 'service.name': 'payments', 'service.version': version } };
  const spans = [
    buildSpan({}, { traceId, spanId: '1'.padStart(16, '0'), name: 'POST /charge', kind: 'server', startNs: 0, durationNs: chargeNs + overheadNs, resource }),
    buildSpan(
      {},
      {
        traceId,
        spanId: '2'.padStart(16, '0'),
        parentSpanId: '1'.padStart(16, '0'),
        name: 'chargeCard',
        kind: 'internal',
        startNs: overheadNs / 2,
        durationNs: chargeNs,
        resource,
      },
    ),
  ];
  return { traceId, startUnixNano: BigInt(1_700_000_000_000_000_000 + traceCounter), spans, warnings: [] };
}

describe('two groups of traces', () => {
  it('lists a slower function before the handler that only wraps it, even when the handler grew a little more', () => {
    // chargeCard 10 → 40 ms (+300%); its handler's own time 0.1 → 1 ms, so the handler reads +306%.
    const next = random(11);
    const result = compareGroups(
      Array.from({ length: 40 }, () => charge('1.4.2', latencyNs(next, 10), 100_000)),
      Array.from({ length: 40 }, () => charge('1.5.0', latencyNs(next, 40), 1_000_000)),
    );
    const slower = result.rows.filter((r) => r.verdict === 'slower');
    expect(slower.map((r) => r.node.name)).toEqual(['chargeCard', 'POST /charge']);
    expect(slower[1].change).toBeGreaterThan(slower[0].change);
  });

  it('finds a query slower after a release (medians 20 → 30 ms), on the node it happened in', () => {
    const next = random(7);
    const result = compareGroups(group('1.4.1', 80, next, 20), group('1.4.2', 80, next, 30));
    const slower = result.rows.filter((r) => r.verdict === 'slower');
    expect(slower.map((r) => r.node.name)).toEqual(['SELECT orders', 'GET /orders/{n}']);
    expect(slower[0].change).toBeGreaterThan(0.25);
    expect(slower[0].p).toBeLessThan(0.001);
    expect(result.rows.find((r) => r.node.name === 'render')?.verdict).toBe('unchanged');
  });

  it('flags a change in at most 5% of 200 comparisons of groups drawn from one distribution', () => {
    const next = random(11);
    let flagged = 0;
    for (let run = 0; run < 200; run++) {
      const result = compareGroups(group('a', 30, next, 20), group('b', 30, next, 20));
      if (result.rows.some((r) => r.verdict === 'slower' || r.verdict === 'faster')) flagged++;
    }
    expect(flagged / 200).toBeLessThanOrEqual(0.05);
  });

  it('says "too few traces" instead of guessing, and finds more errors by Fisher', () => {
    const next = random(3);
    const few = compareGroups(group('a', 5, next, 20), group('b', 5, next, 40));
    expect(few.rows.filter((r) => r.verdict === 'slower')).toEqual([]);
    expect(few.rows.some((r) => r.verdict === 'too-few')).toBe(true);
    expect(few.notes[0]).toMatch(/too few traces to judge latency: 5 and 5, at least 20 a side/);
    const errors = compareGroups(group('a', 40, next, 20, 0), group('b', 40, next, 20, 12));
    const row = errors.rows.find((r) => r.verdict === 'more-errors')!;
    expect(row.node.name).toBe('SELECT orders');
    expect(row.change).toBeCloseTo(0.3, 5);
  });

  it('calls a call seen on one side new only when its absence on the other is no chance', () => {
    const next = random(5);
    const extra = (t: Trace): Trace => ({ ...t, spans: [...t.spans, { ...t.spans[2], spanId: 'e'.repeat(16), name: 'audit' }] });
    const common = compareGroups(group('a', 30, next, 20), group('b', 30, next, 20).map(extra));
    expect(common.rows.find((r) => r.node.name === 'audit')?.verdict).toBe('new');
    const rare = compareGroups(
      group('a', 30, next, 20),
      group('b', 30, next, 20).map((t, i) => (i === 0 ? extra(t) : t)),
    );
    expect(rare.rows.find((r) => r.node.name === 'audit')?.verdict).toBe('too-rare');
    expect(compareGroups([], group('b', 3, next, 20)).notes).toEqual(['the baseline has no traces: there is nothing to compare it with']);
  });

  it("lists an attribute's values oldest first, and reads a service's own value in a trace of many services", () => {
    const next = random(9);
    const values = new AttributeValues('service.version');
    const traces = [...group('1.4.1', 3, next, 20), ...group('1.4.2', 2, next, 20)];
    for (const t of traces) values.add(t);
    expect(values.list().map((v) => [v.value, v.traces])).toEqual([
      ['1.4.1', 3],
      ['1.4.2', 2],
    ]);
    // A trace through a gateway of version 9 into orders 1.4.2: orders' side is its own version's.
    const mixed = structuredClone(traces[3]);
    mixed.spans[0].resource = { serviceName: 'gateway', attributes: { 'service.name': 'gateway', 'service.version': '9' } };
    const rule = { by: 'attribute', attribute: 'service.version', baseline: '1.4.1', candidate: '1.4.2' } as const;
    expect(sideOf(mixed, rule, 'orders')).toBe('candidate');
    expect(sideOf(mixed, rule)).toBeUndefined();
    expect(sideOf(mixed, rule, 'payments')).toBeUndefined();
    expect(sideOf(traces[0], { by: 'time', atMs: Number(traces[4].startUnixNano / 1_000_000n) + 1 })).toBe('baseline');
  });

  it('leaves out an attribute with too many values to tell groups apart, even values of it counted before it had', () => {
    const shares = new AttributeShares();
    // Ten slow traces, then fifty fast: all carry their region; the statement repeats one text in the slow ones
    // only, among a hundred distinct texts per trace (ids in SQL), far past what an attribute may have.
    for (let t = 0; t < 60; t++) {
      const slow = t < 10;
      const spans = Array.from({ length: 100 }, (_, k) =>
        buildSpan({ region: slow ? 'eu-west-3' : 'us-east-1', statement: slow && k === 0 ? 'SELECT 1' : `SELECT * FROM t WHERE id = ${t * 100 + k}` }),
      );
      shares.add({ traceId: String(t), startUnixNano: 0n, spans, warnings: [] }, slow ? 1e9 : 1e6);
    }
    const result = shares.result();
    expect(result.shares.map((s) => `${s.attribute}=${s.value}`)).toEqual(['region=eu-west-3']);
    expect(MAX_VALUES_PER_ATTRIBUTE).toBeLessThan(60 * 100);
  });

  it('reports every call with its path, parent, code clues and a median exemplar per side, and what sets slow traces apart', () => {
    const next = random(11);
    const sampling = new GroupSampling();
    const rule = { by: 'attribute', attribute: 'service.version', baseline: '1.4.1', candidate: '1.4.2' } as const;
    const candidate = group('1.4.2', 60, next, 20);
    // The slowest tenth of the candidate ran in one region: that value sets them apart.
    const byDuration = [...candidate].sort((x, y) => y.spans[0].durationNs - x.spans[0].durationNs);
    for (const [i, t] of byDuration.entries()) for (const span of t.spans) span.attributes['cloud.region'] = i < 6 ? 'eu-west-3' : 'us-east-1';
    const all = [...group('1.4.1', 60, next, 20), ...candidate];
    for (const t of all) Object.assign(t.spans[1].attributes, { 'code.file.path': '/app/orders.py', 'code.line.number': 12 });
    for (const t of all) sampling.add(sideOf(t, rule)!, t);
    const { report, clues } = groupReport(sampling, rule, 'orders');
    expect(report.baseline).toEqual({ label: '1.4.1', traces: 60 });
    const query = report.rows.find((r) => r.name === 'SELECT orders')!;
    expect(query.path).toEqual(['orders · GET /orders/{n}', 'orders · SELECT orders']);
    expect(report.rows.find((r) => r.key === query.parentKey)?.name).toBe('GET /orders/{n}');
    expect(candidate.some((t) => t.traceId === query.b!.exemplar.traceId && t.spans[1].spanId === query.b!.exemplar.spanId)).toBe(true);
    expect(report.shares.shares[0]).toMatchObject({ attribute: 'cloud.region', value: 'eu-west-3', outliers: 1, rest: 0 });
    expect(report.shares.shares.some((s) => s.attribute === 'service.version')).toBe(false);
    // Each row's clues, by index: the query's name its file and line.
    expect(clues).toHaveLength(report.rows.length);
    expect(clues[report.rows.indexOf(query)][0]).toMatchObject({ kind: 'file', path: '/app/orders.py', line: 12 });
  });

  it('compares per place in the code too: a function called from two paths is one place, its times summed per trace', () => {
    const next = random(14);
    const sampling = new GroupSampling();
    // The query's code is at orders.py:12 under GET /orders/{n}; a copy of it runs under render too.
    const withCode = (t: Trace) => {
      const [root, query, render] = t.spans;
      Object.assign(query.attributes, { 'code.file.path': '/app/orders.py', 'code.function.name': 'load_orders' });
      const again = { ...query, spanId: 'f'.padStart(16, '0'), parentSpanId: render.spanId, attributes: { ...query.attributes } };
      return { ...t, spans: [root, query, render, again] };
    };
    for (const t of group('1.4.1', 30, next, 20)) sampling.add('baseline', withCode(t));
    for (const t of group('1.4.2', 30, next, 30)) sampling.add('candidate', withCode(t));
    const { report, placeClues } = groupReport(sampling, { by: 'attribute', attribute: 'service.version', baseline: '1.4.1', candidate: '1.4.2' });
    expect(report.rows.filter((r) => r.name === 'SELECT orders')).toHaveLength(2);
    const place = report.places.find((r) => r.name === 'load_orders')!;
    expect(place).toMatchObject({ verdict: 'slower', path: ['orders · load_orders'] });
    expect(place.b!.perTrace).toBe(2);
    // The server span's place is its route (from its name); the render step names no code and has none.
    expect(report.places.map((r) => r.name).sort()).toEqual(['GET /orders/42', 'load_orders']);
    expect(placeClues![0][0]).toMatchObject({ kind: 'file', path: '/app/orders.py', function: 'load_orders' });
  });

  it('gives a CodeLens its delta against the baseline, and its hover both sides', () => {
    const next = random(13);
    const sampling = new GroupSampling();
    for (const t of group('1.4.1', 40, next, 20)) sampling.add('baseline', t);
    for (const t of group('1.4.2', 40, next, 30)) sampling.add('candidate', t);
    const { report } = groupReport(sampling, { by: 'attribute', attribute: 'service.version', baseline: '1.4.1', candidate: '1.4.2' });
    const query = report.rows.find((r) => r.name === 'SELECT orders')!;
    expect(query.verdict).toBe('slower');
    const percent = Math.round(query.change * 100);
    expect(lensDelta(query, report)).toBe(`p50 +${percent}% vs 1.4.1`);
    expect(lensDeltaTooltip(query, report).split('\n')).toEqual([
      `orders · SELECT orders: p50 +${percent}% vs 1.4.1 (p = ${query.p!.toPrecision(2)})`,
      `1.4.1: p50 ${formatDuration(query.a!.p50Ns)}, p95 ${formatDuration(query.a!.p95Ns)}, 0/40 failed, in 40 traces`,
      `1.4.2: p50 ${formatDuration(query.b!.p50Ns)}, p95 ${formatDuration(query.b!.p95Ns)}, 0/40 failed, in 40 traces`,
    ]);
  });

  it('says why it names no attribute when the outliers are too few', () => {
    const sampling = new GroupSampling();
    const next = random(12);
    for (const t of group('b', 8, next, 20)) sampling.add('candidate', t);
    expect(sampling.shares.result().note).toBe('1 slow or failing trace and 7 others: at least 5 of each are needed');
  });
});

describe('two traces', () => {
  it('finds nothing between a trace and itself', () => {
    const trace = decodeOk(fixture('zipkin/smartthings-mobile-web-install.json')).traces[0];
    const diff = diffTraces(trace, trace);
    expect(diff.nodes).toEqual([]);
    // The fixture's clocks disagree across services (its decoder corrected them): said, beside the verdict.
    expect(diff.notes).toEqual([
      "trace A's clocks disagreed across services and were corrected: its calls' own times compare, the gaps between services less so",
      "trace B's clocks disagreed across services and were corrected: its calls' own times compare, the gaps between services less so",
      'the traces ran the same calls, the same number of times, within 5% (or 1 ms) of each other, failing alike',
    ]);
    // The report still holds the whole tree (a flame graph draws it), every call unchanged, each under its parent.
    const { report } = traceReport(trace, trace);
    expect(report.rows.length).toBe(diff.same.length);
    expect(report.rows.every((r) => r.change === 'same' && (r.parentKey === undefined || report.rows.some((p) => p.key === r.parentKey)))).toBe(true);
  });

  it('puts first a call that failed in one trace only, though its time is the same', () => {
    const a = decodeOk(fixture('zipkin/yelp.json')).traces[0];
    const b: Trace = { ...a, spans: a.spans.map((s) => ({ ...s })) };
    const leaf = b.spans.find((s) => !b.spans.some((c) => c.parentSpanId === s.spanId))!;
    leaf.status = { code: 'error', message: 'timeout' };
    const { report } = traceReport(a, b);
    const changed = report.rows.filter(traceRowChanged);
    expect(changed.map((r) => [r.name, r.change, r.failures])).toEqual([[leaf.name, 'same', 'fails-in-b']]);
    expect(traceRowChangeText(changed[0])).toBe('fails in B');
    // The other way round it fails only in A; with a change in time as well, both are said.
    const back = traceReport(b, a).report.rows.find((r) => r.failures)!;
    expect(traceRowChangeText(back)).toBe('fails only in A');
    expect(traceRowChangeText({ change: 'slower', failures: 'fails-in-b' })).toBe('slower · fails in B');
    expect(diffTraces(a, b).notes).not.toContain('the traces ran the same calls, the same number of times, within 5% (or 1 ms) of each other, failing alike');
  });

  it('puts first a call only one trace ran when it failed there, above larger changes in time', () => {
    const a = decodeOk(fixture('zipkin/yelp.json')).traces[0];
    const b: Trace = { ...a, spans: a.spans.map((s) => ({ ...s })) };
    const root = b.spans.find((s) => !s.parentSpanId)!;
    b.spans.push({
      ...root,
      spanId: 'f'.repeat(16),
      parentSpanId: root.spanId,
      name: 'retry',
      durationNs: 1000,
      status: { code: 'error', message: 'refused' },
    });
    const [first] = traceReport(a, b).report.rows.filter(traceRowChanged);
    expect([first.name, first.change, first.failures]).toEqual(['retry', 'only-b', 'fails-in-b']);
    expect(traceRowChangeText(first)).toBe('only in B · fails in B');
  });

  it('says when a trace had its clocks corrected', () => {
    const trace = decodeOk(fixture('zipkin/yelp.json')).traces[0];
    const skewed: Trace = { ...trace, warnings: [{ code: 'clock-skew', message: 'moved 3 spans' } as Trace['warnings'][number]] };
    expect(diffTraces(trace, skewed).notes).toContain(
      "trace B's clocks disagreed across services and were corrected: its calls' own times compare, the gaps between services less so",
    );
  });

  it('shows exactly an added subtree as only in B', () => {
    const a = decodeOk(fixture('zipkin/yelp.json')).traces[0];
    const b: Trace = { ...a, spans: [...a.spans] };
    const root = b.spans.find((s) => !s.parentSpanId)!;
    const extra = (id: string, parent: string, name: string): Span => ({
      ...root,
      spanId: id,
      parentSpanId: parent,
      name,
      kind: 'internal',
      startNs: root.startNs,
      durationNs: 1000,
    });
    b.spans.push(extra('ee00000000000001', root.spanId, 'warm cache'), extra('ee00000000000002', 'ee00000000000001', 'load shard'));
    const diff = diffTraces(a, b);
    expect(diff.nodes.map((n) => [n.change, n.node.name]).sort()).toEqual([
      ['only-b', 'load shard'],
      ['only-b', 'warm cache'],
    ]);
  });

  it('folds a client span into its single server child: one step of the path, as Jaeger compares', () => {
    const call = (serverNs: number): Trace => {
      const traceId = (++traceCounter).toString(16).padStart(32, '0');
      const resource = (service: string) => ({ serviceName: service, attributes: { 'service.name': service } });
      const span = (id: string, parent: string | undefined, service: string, name: string, kind: Span['kind'], durationNs: number) =>
        buildSpan(
          {},
          { traceId, spanId: id.padStart(16, '0'), parentSpanId: parent?.padStart(16, '0'), name, kind, startNs: 0, durationNs, resource: resource(service) },
        );
      return {
        traceId,
        startUnixNano: 1_700_000_000_000_000_000n,
        warnings: [],
        spans: [
          span('1', undefined, 'frontend', 'GET /checkout', 'server', serverNs + 2_000_000),
          span('2', '1', 'frontend', 'POST', 'client', serverNs + 1_000_000),
          span('3', '2', 'orders', 'POST /orders', 'server', serverNs),
        ],
      };
    };
    const diff = diffTraces(call(10_000_000), call(40_000_000));
    const slower = diff.nodes.find((n) => n.node.name === 'POST /orders')!;
    expect(pathOf(slower.node)).toEqual(['frontend · GET /checkout', 'orders · POST /orders']);
    expect(diff.nodes.some((n) => n.node.name === 'POST')).toBe(false);
  });

  it('ranks the call that made the trace slower first, by its change on the critical path', () => {
    const fast = request('1', 20_000_000);
    const slow = request('1', 80_000_000);
    const diff = diffTraces(fast, slow);
    expect(diff.nodes.map((n) => [n.change, n.node.name])).toEqual([
      ['slower', 'SELECT orders'],
      ['slower', 'GET /orders/{n}'],
    ]);
    expect(diff.nodes[0].criticalDeltaNs).toBe(60_000_000);
  });
});

describe('trace-lens compare', () => {
  let cli: string;
  const scratch = mkdtempSync(join(tmpdir(), 'trace-lens-compare-'));
  const write = (name: string, traces: Trace[]) => {
    const file = join(scratch, name);
    writeFileSync(file, toOtlpJsonLines(traces));
    return file;
  };

  beforeAll(async () => {
    cli = await buildCli();
  });

  it('compares two trace files node by node, as JSON', async () => {
    const run = await runCli(cli, 'compare', write('fast.jsonl', [request('1', 20_000_000)]), write('slow.jsonl', [request('1', 80_000_000)]), '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.rows.map((n: { change: string; name: string }) => [n.change, n.name])).toEqual([
      ['slower', 'SELECT orders'],
      ['slower', 'GET /orders/{n}'],
      ['same', 'render'],
    ]);
    expect(out.rows[0].path).toEqual(['orders · GET /orders/{n}', 'orders · SELECT orders']);
  });

  it('gates a release: exit 1 on a significant regression of at least --fail-on-regression, 0 without one', async () => {
    const next = random(21);
    const file = write('versions.jsonl', [...group('1.4.1', 40, next, 20), ...group('1.4.2', 40, next, 30)]);
    const gate = await runCli(cli, 'compare', file, '--by', 'service.version', '--fail-on-regression', '10%');
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/^service\.version: 1\.4\.1 \(40 traces\) → 1\.4\.2 \(40 traces\)/);
    expect(gate.stdout).toMatch(/▲ orders · SELECT orders: p50 .* \(\+\d+(\.\d)?%\)/);
    expect((await runCli(cli, 'compare', file, '--by', 'service.version', '--fail-on-regression', '90%')).code).toBe(0);
    const json = JSON.parse((await runCli(cli, 'compare', file, '--by', 'service.version', '--json')).stdout);
    expect(json.rows[0]).toMatchObject({ name: 'SELECT orders', verdict: 'slower' });
    const same = write('same.jsonl', [...group('a', 30, next, 20), ...group('b', 30, next, 20)]);
    expect((await runCli(cli, 'compare', same, '--by', 'service.version', '--fail-on-regression', '5%')).code).toBe(0);
    const one = await runCli(cli, 'compare', write('one.jsonl', group('a', 3, next, 20)), '--by', 'service.version');
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('the traces carry 1 value(s) of service.version (a): two are needed to compare');
  });
});

describe('where an operation’s time goes', () => {
  /** checkout (0-100 ms) → two overlapping calls, charge (10-70) and reserve (20-90), and charge → a query (20-40). */
  function checkout(traceId: string, extraCheckout = false): Trace {
    const resource = { serviceName: 'shop', attributes: { 'service.name': 'shop' } };
    const span = (id: string, parent: string | undefined, name: string, start: number, end: number): Span =>
      buildSpan(
        {},
        {
          traceId,
          spanId: id.padStart(16, '0'),
          parentSpanId: parent?.padStart(16, '0'),
          name,
          kind: 'internal',
          startNs: start * 1e6,
          durationNs: (end - start) * 1e6,
          resource,
        },
      );
    const spans = [
      span('1', undefined, 'GET /', 0, 200),
      span('2', '1', 'checkout', 0, 100),
      span('3', '2', 'charge', 10, 70),
      span('4', '2', 'reserve', 20, 90),
      span('5', '3', 'SELECT', 20, 40),
    ];
    // A second checkout in the same request, and one nested inside it (recursion): only the outer one counts.
    if (extraCheckout) spans.push(span('6', '1', 'checkout', 120, 150), span('7', '6', 'checkout', 125, 140));
    return { traceId, startUnixNano: 1_700_000_000_000_000_000n, spans, warnings: [] };
  }

  it('merges every outermost occurrence; a call is as wide as the own time under it, so its calls never overflow it', () => {
    const profile = new OperationProfile('shop', 'checkout');
    profile.add(checkout('a'.repeat(32)));
    profile.add(checkout('b'.repeat(32), true));
    const { report } = profile.report();
    expect([report.occurrences, report.traces]).toEqual([3, 2]);
    const row = (name: string) => report.rows.find((r) => r.name === name && r.depth === (name === 'checkout' ? 0 : r.depth))!;
    // Own times: checkout 100 - (80 of its children's union) = 20 ms, charge 60 - 20 = 40, reserve 70, SELECT 20.
    const ms = (ns: number) => Math.round(ns / 1e6);
    expect(ms(row('SELECT').subtreeSelfNs)).toBe(40);
    expect(ms(row('charge').subtreeSelfNs)).toBe(2 * 60);
    expect(ms(row('reserve').subtreeSelfNs)).toBe(2 * 70);
    const root = report.rows.find((r) => r.parentKey === undefined)!;
    expect(root.name).toBe('checkout');
    // Work, not wall-clock time: concurrent calls add up (150 ms in each full occurrence, 30 in the short one).
    expect(ms(root.subtreeSelfNs)).toBe(150 + 150 + 30);
    // The children overlap (charge and reserve ran together), yet together they fit inside the root.
    const children = report.rows.filter((r) => r.parentKey === root.key);
    expect(children.reduce((sum, r) => sum + r.subtreeSelfNs, 0)).toBeLessThanOrEqual(root.subtreeSelfNs);
    expect(row('charge').occurrences).toBe(2);
    expect(report.rows[0]).toBe(root);
  });

  it('says when no trace ran the operation', () => {
    const profile = new OperationProfile('shop', 'refund');
    profile.add(checkout('c'.repeat(32)));
    expect(profile.report().report.notes).toEqual(['no trace held has shop · refund']);
  });
});
