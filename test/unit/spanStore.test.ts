import { describe, expect, it } from 'vitest';
import type { Span, Trace } from '../../src/core/model/trace';
import { SpanStore } from '../../src/core/receiver/spanStore';
import { buildSpanTree } from '../../src/core/analysis/spanTree';

const BASE = 1_700_000_000_000_000_000n;

interface SpanSpec {
  id: string;
  parent?: string;
  /** Absolute start, ns after BASE. */
  at: number;
  duration: number;
  name?: string;
  service?: string;
  error?: boolean;
  kind?: Span['kind'];
}

/** One decoded batch slice of a trace, as a decoder hands it over: times relative to the batch's earliest span. */
function batch(traceId: string, specs: SpanSpec[]): Trace {
  const first = Math.min(...specs.map((s) => s.at));
  const spans: Span[] = specs.map((s) => ({
    traceId,
    spanId: s.id.padStart(16, '0'),
    parentSpanId: s.parent?.padStart(16, '0'),
    name: s.name ?? `op-${s.id}`,
    kind: s.kind ?? 'internal',
    startNs: s.at - first,
    durationNs: s.duration,
    status: { code: s.error ? 'error' : 'unset' },
    attributes: { 'http.route': '/x' },
    events: [],
    links: [],
    resource: { serviceName: s.service ?? 'svc', attributes: {} },
  }));
  return { traceId, startUnixNano: BASE + BigInt(first), spans, warnings: [] };
}

const id = (n: number) => n.toString(16).padStart(32, '0');

function absoluteStarts(trace: Trace): Record<string, bigint> {
  return Object.fromEntries(trace.spans.map((s) => [s.spanId.replace(/^0+/, ''), trace.startUnixNano + BigInt(s.startNs)]));
}

describe('SpanStore', () => {
  it('merges the batches of one trace, whatever order they arrive in, with exact times', () => {
    const store = new SpanStore();
    store.add([batch(id(1), [{ id: 'b', parent: 'a', at: 5_000, duration: 100 }])]);
    store.add([
      batch(id(1), [
        { id: 'a', at: 1_000, duration: 9_000 },
        { id: 'c', parent: 'a', at: 7_000, duration: 50 },
      ]),
    ]);
    const trace = store.getTrace(id(1))!;
    expect(trace.startUnixNano).toBe(BASE + 1_000n);
    expect(absoluteStarts(trace)).toEqual({ a: BASE + 1_000n, b: BASE + 5_000n, c: BASE + 7_000n });
    expect(trace.warnings).toEqual([]);
    expect(store.list()[0]).toMatchObject({ rootName: 'op-a', spanCount: 3, durationNs: 9_000 });
  });

  it('stores a span sent twice once and counts the duplicate', () => {
    const store = new SpanStore();
    const spans: SpanSpec[] = [
      { id: 'a', at: 0, duration: 10 },
      { id: 'b', parent: 'a', at: 2, duration: 3 },
    ];
    store.add([batch(id(1), spans)]);
    store.add([batch(id(1), spans)]);
    expect(store.size).toMatchObject({ spans: 2, traces: 1, duplicateSpans: 2 });
    expect(store.getTrace(id(1))!.spans).toHaveLength(2);
  });

  it('keeps both halves of a span id shared by a client and a server (Zipkin) and separates them on read', () => {
    const store = new SpanStore();
    const client = batch(id(1), [{ id: 'a', at: 0, duration: 100 }]);
    client.spans[0].kind = 'client';
    const server = batch(id(1), [{ id: 'a', at: 10, duration: 80 }]);
    server.spans[0].kind = 'server';
    store.add([client]);
    store.add([server]);
    const trace = store.getTrace(id(1))!;
    expect(trace.spans).toHaveLength(2);
    const [c, s] = trace.spans;
    expect(s.parentSpanId).toBe(c.spanId);
  });

  it('evicts ordinary traces first, least recently updated first, and counts what it evicted', () => {
    const store = new SpanStore({ maxSpans: 10, maxBytes: Number.MAX_SAFE_INTEGER });
    for (let t = 1; t <= 5; t++)
      store.add([
        batch(id(t), [
          { id: 'a', at: 0, duration: 10 },
          { id: 'b', parent: 'a', at: 1, duration: 1 },
        ]),
      ]);
    // Trace 1 receives one more span: it is now the freshest, and the eleventh span is over the limit.
    store.add([batch(id(1), [{ id: 'c', parent: 'a', at: 2, duration: 1 }])]);
    expect(store.has(id(2))).toBe(false);
    expect(store.has(id(1))).toBe(true);
    expect(store.size).toMatchObject({ spans: 9, traces: 4, evictedSpans: 2, evictedTraces: 1 });
  });

  it("knows each operation's kinds among the spans it holds, as they come and go", () => {
    const store = new SpanStore({ maxSpans: 10, maxBytes: Number.MAX_SAFE_INTEGER });
    store.add([
      batch(
        id(1),
        ['a', 'b'].map((span) => ({ id: span, at: 0, duration: 10, name: 'GET /', kind: 'server' as const })),
      ),
    ]);
    store.add([
      batch(id(2), [
        { id: 'a', at: 0, duration: 10, name: 'GET /', kind: 'client' },
        { id: 'b', at: 1, duration: 1, name: 'SELECT', kind: 'client' },
      ]),
    ]);
    expect(store.operationKinds('svc')).toEqual([
      { name: 'GET /', kinds: ['server', 'client'] },
      { name: 'SELECT', kinds: ['client'] },
    ]);
    expect(store.operationKinds('elsewhere')).toEqual([]);
    // Trace 1 is evicted (least recently updated): its server span goes, and with it that kind.
    store.add([
      batch(
        id(3),
        ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((span) => ({ id: span, at: 0, duration: 1, name: 'other' })),
      ),
    ]);
    expect(store.has(id(1))).toBe(false);
    expect(store.operationKinds('svc')).toEqual([
      { name: 'GET /', kinds: ['client'] },
      { name: 'SELECT', kinds: ['client'] },
      { name: 'other', kinds: ['internal'] },
    ]);
  });

  it('keeps traces with errors and the slowest trace of an operation longest', () => {
    const store = new SpanStore({ maxSpans: 6, maxBytes: Number.MAX_SAFE_INTEGER });
    store.add([batch(id(1), [{ id: 'a', at: 0, duration: 10, name: 'GET /', error: true }])]);
    store.add([batch(id(2), [{ id: 'a', at: 0, duration: 9_999, name: 'GET /' }])]);
    for (let t = 3; t <= 9; t++) store.add([batch(id(t), [{ id: 'a', at: 0, duration: 100, name: 'GET /' }])]);
    expect(store.has(id(1))).toBe(true);
    expect(store.has(id(2))).toBe(true);
    expect(store.operationsOf('svc')).toEqual([expect.objectContaining({ name: 'GET /', slowestNs: 9_999, slowestTraceId: id(2), errorCount: 1 })]);
    // Only protected traces left to evict: the slowest goes before the failing one.
    store.setLimits({ maxSpans: 1, maxBytes: Number.MAX_SAFE_INTEGER });
    expect(store.list().map((t) => t.traceId)).toEqual([id(1)]);
  });

  it('evicts by estimated bytes as well as by span count', () => {
    const store = new SpanStore({ maxSpans: 1_000_000, maxBytes: 4_000 });
    for (let t = 1; t <= 40; t++) store.add([batch(id(t), [{ id: 'a', at: 0, duration: 10 }])]);
    expect(store.size.bytes).toBeLessThanOrEqual(4_000);
    expect(store.size.evictedTraces).toBeGreaterThan(0);
    expect(store.size.spans + store.size.evictedSpans).toBe(40);
  });

  it('lists newest first and announces changes once per burst', async () => {
    const store = new SpanStore();
    let calls = 0;
    const subscription = store.onChanged(() => calls++);
    for (let t = 1; t <= 20; t++) store.add([batch(id(t), [{ id: 'a', at: 0, duration: 10 }])]);
    expect(store.list()[0].traceId).toBe(id(20));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(calls).toBe(1);
    subscription.dispose();
    store.clear();
    expect(store.size).toMatchObject({ spans: 0, traces: 0 });
    expect(store.list()).toEqual([]);
  });

  it('gives views copies: reading a trace does not move the stored spans', () => {
    const store = new SpanStore();
    store.add([batch(id(1), [{ id: 'a', at: 0, duration: 10 }])]);
    const first = store.getTrace(id(1))!;
    first.spans[0].startNs = 999;
    expect(store.getTrace(id(1))!.spans[0].startNs).toBe(0);
  });

  it('lets the analysis read a trace the check leaves alone as it is stored, with its tree, and any other as a checked copy', () => {
    const store = new SpanStore();
    const rpc = (traceId: string, serverAt: number) => {
      const trace = batch(traceId, [
        { id: 'a', at: 0, duration: 1_000_000, service: 'front' },
        { id: 'b', parent: 'a', at: serverAt, duration: 400_000, service: 'back' },
      ]);
      trace.spans[0].kind = 'client';
      trace.spans[1].kind = 'server';
      return trace;
    };
    const shared = rpc(id(3), 100_000);
    shared.spans[1].spanId = shared.spans[0].spanId;
    shared.spans[1].parentSpanId = undefined;
    store.add([rpc(id(1), 100_000), rpc(id(2), 50_000_000), shared]);
    const inTime = store.readOnlyTrace(id(1))!;
    expect(inTime.trace.spans[0]).toBe(store.stored(id(1))!.spans[0]);
    const fresh = buildSpanTree(inTime.trace);
    expect(inTime.tree && [...inTime.tree.parent]).toEqual([...fresh.parent]);
    expect(inTime.tree && [...inTime.tree.order]).toEqual([...fresh.order]);
    // Skew moves spans: a copy is moved, with no tree of the order before; the stored spans stay where they came.
    const skewed = store.readOnlyTrace(id(2))!;
    expect(skewed.trace.warnings.map((w) => w.code)).toContain('clock-skew');
    expect(skewed.tree).toBeUndefined();
    expect(skewed.trace.spans[1]).not.toBe(store.stored(id(2))!.spans[1]);
    expect(skewed.trace.spans[1].startNs).not.toBe(store.stored(id(2))!.spans[1].startNs);
    // A shared id is told apart on a copy, as views see it.
    const told = store.readOnlyTrace(id(3))!;
    expect(told.trace.spans[0]).not.toBe(store.stored(id(3))!.spans[0]);
    expect(told.trace.spans[1].parentSpanId).toBe(told.trace.spans[0].spanId);
  });
});

describe('the root a trace is listed by', () => {
  it('is the one the waterfall header names: the longest-running span without a parent', async () => {
    const { buildTrace } = await import('../support/traceBuilder');
    const { summariseTrace } = await import('../../src/core/analysis/traceSummary');
    // A short parentless fragment starts first; the real root runs longest.
    const trace = buildTrace([
      ['1', undefined, 0, 1_000],
      ['2', undefined, 10, 50_000],
      ['3', '2', 20, 10_000],
    ]);
    const store = new SpanStore();
    store.add([structuredClone(trace)]);
    const [listed] = store.list();
    expect(listed.rootName).toBe('op-2');
    expect(summariseTrace(trace).rootName).toBe(listed.rootName);
    store.dispose();
  });
});
