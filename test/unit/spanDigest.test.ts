// Span digests: what the code statistics read of spans, with clue lists shared by the spans that have the same.
import { describe, expect, it } from 'vitest';
import { DigestBuilder, digestTrace, spanIdAt } from '../../src/core/stats/spanDigest';
import { clueSetKey } from '../../src/core/stats/clueSetIndex';
import { CodeStats } from '../../src/core/stats/codeStats';
import { ClueMemo, MAX_KEY_CHARS, MAX_MEMO_NODES, MAX_STACK_CHARS } from '../../src/core/stats/clueMemo';
import { CLUE_ATTRIBUTES, codeClues, thrownClue, type CodeClue } from '../../src/core/code/codeClues';
import { newAttributes, type Span, type SpanKind } from '../../src/core/model/trace';
import type { ClueResolution } from '../../src/core/code/codeLocation';
import { buildSpan } from '../support/traceBuilder';

const STACK = 'Traceback (most recent call last):\n  File "/srv/app/billing/service.py", line 8, in charge\nValueError: no';

describe('span digests', () => {
  it('shares one clue list among spans with the same clues, and keeps each span’s numbers and id', () => {
    const route = { 'http.route': '/orders/:id', 'http.request.method': 'GET' };
    const spans = [
      buildSpan(route, { spanId: 'a'.padStart(16, '0'), startNs: 5, durationNs: 10 }),
      buildSpan(route, { spanId: 'b'.padStart(16, '0'), startNs: 7, durationNs: 20 }),
      buildSpan({ 'code.function.name': 'charge' }, { spanId: 'c'.padStart(16, '0'), durationNs: 30 }),
    ];
    const digest = digestTrace({ traceId: spans[0].traceId, startUnixNano: 1n, spans, warnings: [] });
    expect(digest.clueSets).toHaveLength(2);
    expect(Array.from(digest.clueSet)).toEqual([0, 0, 1]);
    expect(digest.clueSets[0].clues).toEqual([{ kind: 'route', route: '/orders/:id', method: 'GET' }]);
    expect(Array.from(digest.durationNs)).toEqual([10, 20, 30]);
    expect(Array.from(digest.startNs)).toEqual([5, 7, 0]);
    // Ids come for the spans that can be an exemplar: here each clue set's slowest (none fails).
    expect(spans.map((_, i) => spanIdAt(digest, i))).toEqual([undefined, spans[1].spanId, spans[2].spanId]);
    expect(Array.from(digest.error)).toEqual([0, 0, 0]);
  });

  it('keeps where a failing span threw, and its exception, apart from a succeeding one with the same clues', () => {
    const failing = buildSpan(
      { 'code.function.name': 'charge' },
      {
        status: { code: 'error', message: 'status says no' },
        events: [{ name: 'exception', offsetNs: 1, attributes: { 'exception.type': 'ValueError', 'exception.message': 'no', 'exception.stacktrace': STACK } }],
      },
    );
    const fine = buildSpan({ 'code.function.name': 'charge', 'exception.stacktrace': STACK });
    const digest = digestTrace({ traceId: failing.traceId, startUnixNano: 1n, spans: [failing, fine], warnings: [] });
    expect(digest.clueSets).toHaveLength(2);
    expect(digest.clueSets[0].thrown).toMatchObject({ kind: 'stack', from: 'exception.stacktrace' });
    expect(digest.clueSets[1].thrown).toBeUndefined();
    expect(Array.from(digest.error)).toEqual([1, 0]);
    expect(digest.failures).toEqual(new Map([[0, { message: 'no', type: 'ValueError' }]]));
  });
});

describe('clue sets found by what a span holds (ClueMemo)', () => {
  /** Spans whose clue attributes, names, kinds, parents and stacks repeat, in any key order, some with other values. */
  function spans(seed: number, count: number, routes = 4, stacks = 3): Span[] {
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) / 2 ** 23;
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const values: unknown[] = ['/app/src/orders.ts', 'orders.ts', 'placeOrder', 'orders', 12, '12', 0, '', true, null, ['x'], { a: 1 }, 'GET', 'post'];
    const kinds: SpanKind[] = ['server', 'client', 'internal', 'unspecified'];
    return Array.from({ length: count }, (_, i) => {
      const keys = [...CLUE_ATTRIBUTES, 'db.statement', 'peer.service'].filter(() => next() < 0.2).sort(() => next() - 0.5);
      const attributes = newAttributes();
      for (const key of keys) attributes[key] = (key === 'http.route' ? `/r${Math.floor(next() * routes)}` : pick(values)) as string;
      const failed = next() < 0.1;
      return buildSpan(attributes, {
        spanId: (i + 1).toString(16).padStart(16, '0'),
        name: pick(['GET /orders/{id}', 'POST /pay', 'charge', 'SELECT']),
        kind: pick(kinds),
        parentSpanId: next() < 0.5 ? undefined : 'f'.repeat(16),
        status: { code: failed ? 'error' : 'unset' },
        events: failed ? [{ name: 'exception', offsetNs: 0, attributes: { 'exception.stacktrace': `Error\n    at f (/app/src/x${i % stacks}.ts:1:1)` } }] : [],
      });
    });
  }

  /** Every span's set is the one codeClues makes of it, and a digest holds each set once. */
  function expectExact(builder: DigestBuilder, batch: Span[]): void {
    const digest = builder.add({ traceId: '1'.padStart(32, '0'), startUnixNano: 1n, spans: batch, warnings: [] }).take();
    batch.forEach((span, i) => {
      const expected = span.status.code === 'error' ? { clues: codeClues(span), thrown: thrownClue(span) } : { clues: codeClues(span) };
      expect(digest.clueSets[digest.clueSet[i]], `span ${i}`).toEqual(expected);
    });
    const keys = digest.clueSets.map(clueSetKey);
    expect(new Set(keys).size).toBe(keys.length);
  }

  it('are the sets codeClues makes, each once per digest, over spans of every shape, digest after digest', () => {
    const builder = new DigestBuilder();
    for (let round = 0; round < 20; round++) expectExact(builder, spans(round + 1, 400));
  });

  it('stay exact when the memo starts over (a new route and a new stack in every span)', () => {
    const builder = new DigestBuilder();
    const many = spans(99, MAX_MEMO_NODES + 5_000, 1e9, 1e9);
    for (let from = 0; from < many.length; from += 5_000) expectExact(builder, many.slice(from, from + 5_000));
  });

  it('hold no more than their bounds, however long or new the names, values and stacks, and stay exact', () => {
    const memo = new ClueMemo();
    const failing = (stack: string, more: Partial<Span> = {}) =>
      buildSpan(
        { 'code.function.name': 'charge' },
        { status: { code: 'error' }, events: [{ name: 'exception', offsetNs: 0, attributes: { 'exception.stacktrace': stack } }], ...more },
      );
    const frame = (i: number) => `    at f${i} (/app/src/x${i}.ts:1:1)`;
    for (let i = 0; i < 300; i++) {
      // New stacks of 20,000 characters each: past 4M characters the stacks kept start over.
      const span = failing(['Error', frame(i), 'x'.repeat(20_000)].join('\n'));
      expect(memo.failingSetOf(span)).toEqual({ clues: codeClues(span), thrown: thrownClue(span) });
      expect(memo.held.stackChars).toBeLessThanOrEqual(MAX_STACK_CHARS);
    }
    expect(memo.held.stackChars).toBeGreaterThan(MAX_STACK_CHARS / 2);
    const { nodes, stackChars } = memo.held;
    const huge = failing(['Error', frame(1), 'y'.repeat(MAX_STACK_CHARS / 8)].join('\n'));
    const long = [
      buildSpan({ 'http.route': `/${'r'.repeat(MAX_KEY_CHARS)}` }),
      buildSpan({ 'http.route': '/orders' }, { name: 'n'.repeat(MAX_KEY_CHARS + 1) }),
    ];
    expect(memo.failingSetOf(huge)).toEqual({ clues: codeClues(huge), thrown: thrownClue(huge) });
    for (const span of long) expect(memo.setOf(span)).toEqual({ clues: codeClues(span) });
    // None of them kept: a long stack, name or value is read for its span alone.
    expect(memo.held).toEqual({ nodes, stackChars });
  });
});

describe('statistics from batch digests', () => {
  const at = (file: string) => ({ file, line: 1 });
  const resolve = (clue: CodeClue): ClueResolution => (clue.kind === 'route' ? at(`/w${clue.route}.ts`) : { unresolved: 'not here' });
  const trace = (id: string, route: string, durations: number[]) => ({
    traceId: id.padStart(32, '0'),
    startUnixNano: 1_000_000_000n,
    warnings: [],
    spans: durations.map((durationNs, i) =>
      buildSpan({ 'http.route': route }, { traceId: id.padStart(32, '0'), spanId: `${id}${i}`.padStart(16, '0'), durationNs }),
    ),
  });

  it('counts a batch of several traces, and takes out one trace of it', () => {
    const digest = new DigestBuilder()
      .add(trace('a', '/orders', [10, 20]))
      .add(trace('b', '/orders', [30]))
      .add(trace('c', '/users', [40]))
      .take();
    expect(digest.traces.map((t) => t.traceId.slice(-1))).toEqual(['a', 'b', 'c']);
    expect(Array.from(digest.trace)).toEqual([0, 0, 1, 2]);
    expect(digest.clueSets).toHaveLength(2);
    const stats = new CodeStats(resolve);
    stats.addDigest(digest);
    expect(stats.locationsIn('/w/orders.ts')[0].sketch.count).toBe(3);
    expect(stats.locationsIn('/w/orders.ts')[0].slowest?.traceId.slice(-1)).toBe('b');
    stats.removeDigest(digest, 1);
    expect(stats.locationsIn('/w/orders.ts')[0].sketch.count).toBe(2);
    expect(stats.locationsIn('/w/users.ts')[0].sketch.count).toBe(1);
  });

  it('rebuilds from a digest counting only the traces still stored', () => {
    const digest = new DigestBuilder()
      .add(trace('a', '/orders', [10, 20]))
      .add(trace('b', '/orders', [30]))
      .take();
    const stats = new CodeStats(resolve);
    stats.addDigest(digest, Uint8Array.from([0, 1]));
    expect(stats.locationsIn('/w/orders.ts')[0].sketch.count).toBe(1);
  });
});
