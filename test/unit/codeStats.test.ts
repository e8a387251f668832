// Per-location statistics: what the CodeLens, the error gutter, its hover and "Show Unresolved Code Locations"
// read. Each test names the number a person sees and checks it from spans built by hand.
import { describe, expect, it } from 'vitest';
import type { CodeClue } from '../../src/core/code/codeClues';
import type { ClueResolution } from '../../src/core/code/codeLocation';
import type { Span, Trace } from '../../src/core/model/trace';
import { CodeStats, describeClue, MAX_LISTED_MISSES } from '../../src/core/stats/codeStats';
import { DigestBuilder, type SpanDigest } from '../../src/core/stats/spanDigest';
import { SlicedBuild } from '../../src/core/stats/slicedBuild';

const START = 1_700_000_000_000_000_000n;

interface SpanSpec {
  id: number;
  startNs?: number;
  durationNs?: number;
  attributes?: Span['attributes'];
  error?: string;
  events?: Span['events'];
}

function trace(traceNo: number, specs: SpanSpec[], startUnixNano = START): Trace {
  const traceId = traceNo.toString(16).padStart(32, '0');
  const spans: Span[] = specs.map((s) => ({
    traceId,
    spanId: s.id.toString(16).padStart(16, '0'),
    name: `op${s.id}`,
    kind: 'internal',
    startNs: s.startNs ?? 0,
    durationNs: s.durationNs ?? 1_000_000,
    status: s.error === undefined ? { code: 'unset' } : { code: 'error', message: s.error || undefined },
    attributes: s.attributes ?? {},
    events: s.events ?? [],
    links: [],
    resource: { serviceName: 'shop', attributes: {} },
  }));
  return { traceId, startUnixNano, spans, warnings: [] };
}

const at = (path: string, line?: number) => ({ 'code.file.path': path, ...(line ? { 'code.line.number': line } : {}) });

/** Files under /ws resolve to themselves; stacks resolve at their first frame; symbols and routes never do. */
function resolve(clue: CodeClue): ClueResolution {
  if (clue.kind === 'file') return clue.path.startsWith('/ws/') ? { file: clue.path, line: clue.line } : { unresolved: 'outside the workspace' };
  if (clue.kind === 'stack') return { file: clue.frames[0].file, line: clue.frames[0].line };
  return { unresolved: `no ${clue.kind} index` };
}

const pythonStack = (file: string, line: number) =>
  `Traceback (most recent call last):\n  File "${file}", line ${line}, in pay\n    raise ValueError("card declined")\nValueError: card declined`;

describe('describeClue names a clue the way "Show Unresolved Code Locations" lists it', () => {
  it('for every kind of clue', () => {
    expect(describeClue({ kind: 'file', path: 'src/a.ts', line: 7, from: 'code.file.path' })).toBe('src/a.ts:7 (code.file.path)');
    expect(describeClue({ kind: 'file', path: 'src/a.ts', from: 'datadog' })).toBe('src/a.ts (datadog)');
    expect(describeClue({ kind: 'symbol', name: 'orders.place' })).toBe('function orders.place');
    expect(describeClue({ kind: 'route', route: '/items/:id', method: 'GET' })).toBe('route GET /items/:id');
    expect(describeClue({ kind: 'route', route: '/items/:id' })).toBe('route /items/:id');
    const frame = { file: 'app.py', line: 3, library: false };
    expect(describeClue({ kind: 'stack', frames: [frame], from: 'exception.stacktrace' })).toBe('app.py:3 (exception.stacktrace, 1 application frame)');
    expect(describeClue({ kind: 'stack', frames: [{ ...frame, line: undefined }, frame], from: 'code.stacktrace' })).toBe(
      'app.py:? (code.stacktrace, 2 application frames)',
    );
  });
});

describe('CodeStats', () => {
  it('keeps one entry per file and line, with calls, errors, the time window and the slowest call', () => {
    const stats = new CodeStats(resolve);
    stats.addTrace(
      trace(1, [
        { id: 1, startNs: 0, durationNs: 5e6, attributes: at('/ws/a.ts', 10) },
        { id: 2, startNs: 2e6, durationNs: 9e6, attributes: at('/ws/a.ts', 10), error: 'boom' },
        { id: 3, startNs: 4e6, durationNs: 1e6, attributes: at('/ws/a.ts', 20) },
        { id: 4, durationNs: 2e6, attributes: at('/ws/b.ts') },
      ]),
    );
    const a10 = stats.locationsIn('/ws/a.ts').find((e) => e.location.line === 10)!;
    expect(a10.sketch.count).toBe(2);
    expect(a10.errorCount).toBe(1);
    const startMs = Number(START / 1_000_000n);
    expect(a10.firstSeenMs).toBe(startMs);
    expect(a10.lastSeenMs).toBe(startMs + 2);
    expect(a10.slowest).toEqual({ traceId: trace(1, []).traceId, spanId: '0000000000000002', durationNs: 9e6, endUnixNano: START + 11_000_000n });
    expect(
      stats
        .locationsIn('/ws/a.ts')
        .map((e) => e.location.line)
        .sort(),
    ).toEqual([10, 20]);
    expect(stats.locationsIn('/ws/b.ts')).toHaveLength(1);
    expect(stats.locations()).toHaveLength(3);
    expect(stats.locationsIn('/ws/none.ts')).toEqual([]);
  });

  it('keeps the window, the slowest call and the latest failure right when spans arrive out of order', () => {
    const stats = new CodeStats(resolve);
    const second = 1_000_000_000n;
    stats.addTrace(trace(1, [{ id: 1, durationNs: 9e6, attributes: at('/ws/a.ts', 1), error: 'late' }], START + 2n * second));
    stats.addTrace(trace(2, [{ id: 1, durationNs: 1e6, attributes: at('/ws/a.ts', 1), error: 'early' }], START));
    stats.addTrace(trace(3, [{ id: 1, durationNs: 5e6, attributes: at('/ws/a.ts', 1), error: 'latest' }], START + 3n * second));
    stats.addTrace(trace(4, [{ id: 1, durationNs: 2e6, attributes: at('/ws/a.ts', 1) }], START + second));
    const [entry] = stats.locationsIn('/ws/a.ts');
    const startMs = Number(START / 1_000_000n);
    expect([entry.firstSeenMs, entry.lastSeenMs]).toEqual([startMs, startMs + 3000]);
    expect(entry.slowest?.traceId).toBe(trace(1, []).traceId);
    expect(entry.latestFailing?.traceId).toBe(trace(3, []).traceId);
    expect(stats.failuresIn('/ws/a.ts')[0].latestFailing).toMatchObject({ traceId: trace(3, []).traceId, message: 'latest' });
  });

  it('names the slowest and the latest failing span of each line as a plain scan does, from digests carrying only the ids that can be named', () => {
    // Random batches: several clue sets per line (a file clue, or a symbol beside it), tied durations and ends.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 40; round++) {
      const stats = new CodeStats(resolve);
      const all: { traceId: string; spanId: string; line: number; durationNs: number; end: bigint; failed: boolean }[] = [];
      for (let batch = 0; batch < 3; batch++) {
        const builder = new DigestBuilder();
        for (let t = 0; t < 1 + random(4); t++) {
          const startUnixNano = START + BigInt(random(5)) * 1_000_000n;
          const specs = Array.from({ length: 1 + random(12) }, (_, k) => ({
            id: k + 1,
            startNs: random(4) * 1e6,
            durationNs: (1 + random(4)) * 1e6,
            attributes: { ...at('/ws/a.ts', 1 + random(3)), ...(random(2) ? { 'code.function.name': `f${random(3)}` } : {}) },
            error: random(3) ? undefined : 'no',
          }));
          const added = trace(round * 100 + batch * 10 + t, specs, startUnixNano);
          builder.add(added);
          for (const [k, span] of added.spans.entries())
            all.push({
              traceId: added.traceId,
              spanId: span.spanId,
              line: specs[k].attributes['code.line.number'] as number,
              durationNs: span.durationNs,
              end: startUnixNano + BigInt(span.startNs + span.durationNs),
              failed: specs[k].error !== undefined,
            });
        }
        stats.addDigest(builder.take());
      }
      for (const entry of stats.locationsIn('/ws/a.ts')) {
        const here = all.filter((s) => s.line === entry.location.line);
        const slowest = here.reduce((a, b) => (b.durationNs > a.durationNs ? b : a));
        expect(entry.slowest).toMatchObject({ traceId: slowest.traceId, spanId: slowest.spanId });
        const failing = here.filter((s) => s.failed);
        const latest = failing.length ? failing.reduce((a, b) => (b.end > a.end ? b : a)) : undefined;
        expect(entry.latestFailing && { traceId: entry.latestFailing.traceId, spanId: entry.latestFailing.spanId }).toEqual(
          latest && { traceId: latest.traceId, spanId: latest.spanId },
        );
      }
    }
  });

  it('puts a failure where the exception was thrown, with the exception type and message of the latest failing call', () => {
    const stats = new CodeStats(resolve);
    const failing = (traceNo: number, message: string, startUnixNano: bigint) =>
      trace(
        traceNo,
        [
          {
            id: 1,
            attributes: at('/ws/api.py', 5),
            error: '',
            events: [
              { name: 'retry', offsetNs: 0, attributes: { 'exception.message': 'not an exception event' } },
              {
                name: 'exception',
                offsetNs: 0,
                attributes: { 'exception.type': 'ValueError', 'exception.message': message, 'exception.stacktrace': pythonStack('/ws/pay.py', 41) },
              },
            ],
          },
        ],
        startUnixNano,
      );
    stats.addTrace(failing(1, 'card declined', START + 1_000_000_000n));
    stats.addTrace(failing(2, 'older failure', START));
    const [failure] = stats.failuresIn('/ws/pay.py');
    expect(failure.location).toEqual({ file: '/ws/pay.py', line: 41 });
    expect(failure.errorCount).toBe(2);
    expect(failure.latestFailing).toMatchObject({ traceId: trace(1, []).traceId, message: 'card declined', exceptionType: 'ValueError' });
    expect(stats.failures().map((f) => f.location.file)).toEqual(['/ws/pay.py']);
    expect(stats.failuresIn('/ws/api.py')).toEqual([]);
    // The span's own code still gets its call, counted as failed.
    expect(stats.locationsIn('/ws/api.py')[0].errorCount).toBe(2);
  });

  it('takes the status message when a failure has no exception event, and does not mark calls that did not fail', () => {
    const stats = new CodeStats(resolve);
    stats.addTrace(
      trace(1, [
        { id: 1, attributes: at('/ws/a.ts', 3), error: 'upstream 503' },
        { id: 2, attributes: at('/ws/ok.ts', 3) },
      ]),
    );
    expect(stats.failuresIn('/ws/a.ts')[0].latestFailing).toMatchObject({ message: 'upstream 503', exceptionType: undefined });
    expect(stats.failuresIn('/ws/ok.ts')).toEqual([]);
    const [ok] = stats.locationsIn('/ws/ok.ts');
    expect(ok.errorCount).toBe(0);
    expect(ok.latestFailing).toBeUndefined();
  });

  it('counts a span once, at its most trusted clue that resolves', () => {
    const stats = new CodeStats(resolve);
    stats.addTrace(trace(1, [{ id: 1, attributes: { ...at('/elsewhere/a.ts', 1), 'code.stacktrace': pythonStack('/ws/a.py', 8) } }]));
    expect(stats.locations()).toEqual([expect.objectContaining({ location: { file: '/ws/a.py', line: 8 } })]);
  });

  it('lists clues that resolve nowhere with the reason, most frequent first, and does not count them again on removal', () => {
    const stats = new CodeStats(resolve);
    const once = trace(1, [{ id: 1, attributes: { 'code.function.name': 'place' } }]);
    const twice = trace(2, [
      { id: 1, attributes: at('/srv/x.ts', 2) },
      { id: 2, attributes: at('/srv/x.ts', 2), error: 'failed' },
    ]);
    stats.addTrace(once);
    stats.addTrace(twice);
    stats.removeTrace(twice);
    expect(stats.unresolved()).toEqual([
      { clue: '/srv/x.ts:2 (code.file.path)', reason: 'outside the workspace', count: 2 },
      { clue: 'function place', reason: 'no symbol index', count: 1 },
    ]);
  });

  it('lists at most MAX_LISTED_MISSES kinds of unresolved clue; spans with other kinds count in one entry', () => {
    const stats = new CodeStats(resolve);
    const names = Array.from({ length: MAX_LISTED_MISSES + 5 }, (_, i) => `generated${i}`);
    stats.addTrace(
      trace(
        1,
        names.map((name, i) => ({ id: i + 1, attributes: { 'code.function.name': name } })),
      ),
    );
    stats.addTrace(trace(2, [{ id: 1, attributes: { 'code.function.name': names[names.length - 1] } }]));
    const listed = stats.unresolved();
    expect(listed).toHaveLength(MAX_LISTED_MISSES + 1);
    expect(listed[0]).toEqual({ clue: 'other clues', reason: expect.stringContaining('10,000 kinds'), count: 6 });
    expect(listed.reduce((sum, u) => sum + u.count, 0)).toBe(names.length + 1);
    expect(stats.unresolvedFunctions()).toHaveLength(MAX_LISTED_MISSES);
  });

  it('names the functions no clue could place, for the language servers, and only those', () => {
    const stats = new CodeStats(resolve);
    stats.addTrace(
      trace(1, [
        { id: 1, attributes: { 'code.function.name': 'place' } },
        { id: 2, attributes: { 'code.function.name': 'pay' } },
        { id: 3, attributes: { 'code.function.name': 'pay' } },
        { id: 4, attributes: at('function evil.ts', 1) }, // a file clue whose text looks like a function's
      ]),
    );
    expect(stats.unresolvedFunctions()).toEqual(['pay', 'place']);
  });

  it('lists a thrown exception whose frames resolve nowhere', () => {
    const stats = new CodeStats((clue) => (clue.kind === 'stack' ? { unresolved: 'no frame in the workspace' } : resolve(clue)));
    const failing = trace(1, [
      {
        id: 1,
        attributes: at('/ws/a.ts', 1),
        error: '',
        events: [{ name: 'exception', offsetNs: 0, attributes: { 'exception.stacktrace': pythonStack('/usr/lib/pay.py', 9) } }],
      },
    ]);
    stats.addTrace(failing);
    stats.removeTrace(failing);
    expect(stats.unresolved()).toEqual([
      { clue: '/usr/lib/pay.py:9 (exception.stacktrace, 1 application frame)', reason: 'no frame in the workspace', count: 1 },
    ]);
  });

  it('takes calls and failures out again when their traces are evicted, and forgets a line with no calls left', () => {
    const stats = new CodeStats(resolve);
    const ok = trace(1, [{ id: 1, durationNs: 1e6, attributes: at('/ws/a.ts', 10) }]);
    const bad = trace(2, [{ id: 1, durationNs: 3e6, attributes: at('/ws/a.ts', 10), error: 'x' }]);
    stats.addTrace(ok);
    stats.addTrace(bad);
    stats.removeTrace(bad);
    const [entry] = stats.locationsIn('/ws/a.ts');
    expect(entry.sketch.count).toBe(1);
    expect(entry.errorCount).toBe(0);
    expect(stats.failuresIn('/ws/a.ts')).toEqual([]);
    expect(stats.failures()).toEqual([]);
    stats.removeTrace(ok);
    expect(stats.locationsIn('/ws/a.ts')).toEqual([]);
    expect(stats.locations()).toEqual([]);
    const fail = (n: number) => trace(n, [{ id: 1, attributes: at('/ws/f.ts', 4), error: 'x' }]);
    stats.addTrace(fail(3));
    stats.addTrace(fail(4));
    stats.removeTrace(fail(3));
    expect(stats.failuresIn('/ws/f.ts').map((f) => [f.errorCount, f.sketch.count])).toEqual([[1, 1]]);
    stats.removeTrace(trace(5, [{ id: 1, attributes: at('/ws/f.ts', 99), error: 'x' }])); // a line never recorded
    expect(stats.failuresIn('/ws/f.ts')).toHaveLength(1);
    stats.removeTrace(ok); // evicting again (a trace seen twice) changes nothing and does not throw
    expect(stats.locationsIn('/ws/a.ts')).toEqual([]);
  });

  it("takes a digest's traces out, one by one, from where they were counted, though the code moved meanwhile", () => {
    let moved = false;
    const stats = new CodeStats((clue) => (moved && clue.kind === 'file' ? { file: '/ws/moved.ts', line: 1 } : resolve(clue)));
    // One digest of two traces, as the receiver sends a batch; evicted a trace at a time.
    const both = [trace(1, [{ id: 1, attributes: at('/ws/a.ts', 10) }]), trace(2, [{ id: 1, attributes: at('/ws/a.ts', 10), error: 'x' }])];
    const digest = new DigestBuilder();
    for (const t of both) digest.add(t);
    const batch = digest.take();
    stats.addDigest(batch);
    expect(stats.locationsIn('/ws/a.ts')[0].sketch.count).toBe(2);
    moved = true;
    stats.removeDigest(batch, 1);
    expect(stats.locationsIn('/ws/a.ts').map((e) => [e.sketch.count, e.errorCount])).toEqual([[1, 0]]);
    expect(stats.failuresIn('/ws/a.ts')).toEqual([]);
    stats.removeDigest(batch, 0);
    expect(stats.locations()).toEqual([]);
  });

  it('keeps one copy of each clue set across batches, and takes each batch out where it was counted', () => {
    const stats = new CodeStats(resolve);
    const batch = (n: number) =>
      new DigestBuilder()
        .add(
          trace(n, [
            { id: 1, attributes: at('/ws/a.ts', 10) },
            { id: 2, attributes: at('/ws/b.ts', 3) },
          ]),
        )
        .take();
    const [first, second] = [batch(1), batch(2)];
    expect(second.clueSets[0]).not.toBe(first.clueSets[0]);
    stats.addDigest(first);
    stats.addDigest(second);
    expect(second.clueSets).toEqual(first.clueSets);
    second.clueSets.forEach((set, k) => expect(set).toBe(first.clueSets[k]));
    stats.removeDigest(first);
    expect(stats.locationsIn('/ws/a.ts').map((e) => e.sketch.count)).toEqual([1]);
    stats.removeDigest(second);
    expect(stats.locations()).toEqual([]);
  });

  it("knows the sets of one builder's digests by their ids, and never takes one builder's id for another's", () => {
    const stats = new CodeStats(resolve);
    const receiver = new DigestBuilder();
    const first = receiver.add(trace(1, [{ id: 1, attributes: at('/ws/a.ts', 10) }])).take();
    const second = receiver.add(trace(2, [{ id: 1, attributes: at('/ws/a.ts', 10) }])).take();
    expect(second.setIds).toEqual(first.setIds);
    stats.addDigest(first);
    stats.addDigest(second);
    expect(second.clueSets[0]).toBe(first.clueSets[0]);
    // Another builder (a file's trace) numbers its own first set as the receiver did its.
    const file = new DigestBuilder().add(trace(3, [{ id: 1, attributes: at('/ws/b.ts', 3) }])).take();
    expect(file.setIds).toEqual(first.setIds);
    stats.addDigest(file);
    stats.addDigest(receiver.add(trace(4, [{ id: 1, attributes: at('/ws/a.ts', 10) }])).take());
    expect(stats.locationsIn('/ws/b.ts').map((e) => [e.location.line, e.sketch.count])).toEqual([[3, 1]]);
    expect(stats.locationsIn('/ws/a.ts').map((e) => [e.location.line, e.sketch.count])).toEqual([[10, 3]]);
  });

  it('places a clue set once for every batch that holds it; a place found later counts from the next build', () => {
    // A function the language server places only after the first batch came (its clue set shared by both).
    let placed = false;
    let asked = 0;
    const resolveLater = (clue: CodeClue) => {
      asked++;
      return placed && clue.kind === 'symbol' ? { file: '/ws/pay.ts', line: 7 } : resolve(clue);
    };
    const stats = new CodeStats(resolveLater);
    const batch = (n: number) => new DigestBuilder().add(trace(n, [{ id: 1, attributes: { 'code.function.name': 'pay' } }])).take();
    const [first, second] = [batch(1), batch(2)];
    stats.addDigest(first);
    placed = true;
    stats.addDigest(second);
    expect(second.clueSets[0]).toBe(first.clueSets[0]);
    expect(asked).toBe(1);
    // Both batches count where the set was placed (nowhere), and come out from there.
    expect(stats.locations()).toEqual([]);
    expect(stats.unresolved()).toEqual([{ clue: 'function pay', reason: expect.any(String), count: 2 }]);
    stats.removeDigest(first);
    stats.removeDigest(second);
    expect(stats.locations()).toEqual([]);
    // The statistics built anew (as the extension builds them when a server places a function) place both.
    const rebuilt = new CodeStats(resolveLater);
    rebuilt.addDigest(first);
    rebuilt.addDigest(second);
    expect(rebuilt.locationsIn('/ws/pay.ts').map((e) => e.sketch.count)).toEqual([2]);
    expect(rebuilt.unresolved()).toEqual([]);
  });

  it('rebuilt a slice at a time, holds what a build started at its end would, though spans came and went meanwhile', () => {
    // Four batches of two traces, every trace one call at line 1 and one at a line of its own.
    const batch = (b: number) => {
      const builder = new DigestBuilder();
      for (const t of [2 * b, 2 * b + 1])
        builder.add(
          trace(t + 1, [
            { id: 1, attributes: at('/ws/a.ts', 1) },
            { id: 2, attributes: at('/ws/a.ts', 10 + t) },
          ]),
        );
      return builder.take();
    };
    const held: [SpanDigest, Uint8Array][] = [0, 1, 2, 3].map((b) => [batch(b), new Uint8Array([1, 1])]);
    const build = new SlicedBuild(new CodeStats(resolve), held);
    expect(build.step(1)).toBe(false);
    // Let go of: a trace of a batch already read, then one of a batch not read yet (as the store flags them).
    held[0][1][0] = 0;
    build.removed(held[0][0], 0);
    held[2][1][1] = 0;
    build.removed(held[2][0], 1);
    const late = batch(4);
    build.added(late);
    while (!build.step(3));
    const fresh = new CodeStats(resolve);
    for (const [digest, stored] of [...held, [late, new Uint8Array([1, 1])] as const]) fresh.addDigest(digest, stored);
    const counts = (stats: CodeStats) =>
      stats
        .locationsIn('/ws/a.ts')
        .map((e) => `${e.location.line}:${e.sketch.count}`)
        .sort();
    expect(counts(build.stats)).toEqual(counts(fresh));
    expect(counts(build.stats)).toContain('1:8');
    expect(counts(build.stats)).not.toContain('10:1');
  });

  it('reads one large digest a part at a time, and a trace let go of in the middle of it is taken out exactly', () => {
    // One digest of 12 traces (a large opened trace's digest is one): 5 spans each, at lines 1-5, every third failing.
    const builder = new DigestBuilder();
    for (let t = 0; t < 12; t++)
      builder.add(
        trace(
          t + 1,
          [1, 2, 3, 4, 5].map((line) => ({
            id: line,
            durationNs: (t + 1) * line * 1000,
            attributes: at('/ws/a.ts', line),
            error: line === 3 && t % 3 === 0 ? 'boom' : undefined,
          })),
        ),
      );
    const digest = builder.take();
    const stored = new Uint8Array(12).fill(1);
    const build = new SlicedBuild(new CodeStats(resolve), [[digest, stored]]);
    const total = () => build.stats.locationsIn('/ws/a.ts').reduce((n, e) => n + e.sketch.count, 0);
    expect(build.step(7)).toBe(false);
    expect(total()).toBe(7);
    expect(build.step(20)).toBe(false);
    expect(total()).toBe(27);
    // Trace 5 (spans 25-29) is half read, trace 9 not at all: let go of both, as the store flags them.
    stored[5] = stored[9] = 0;
    build.removed(digest, 5);
    build.removed(digest, 9);
    while (!build.step(7));
    const fresh = new CodeStats(resolve);
    fresh.addDigest(digest, stored);
    const summary = (stats: CodeStats) =>
      stats.locationsIn('/ws/a.ts').map((e) => `${e.location.line}:${e.sketch.count}:${e.slowest?.traceId.slice(-2)}:${e.errorCount}`);
    expect(summary(build.stats)).toEqual(summary(fresh));
    expect(total()).toBe(50);
    expect(build.stats.failuresIn('/ws/a.ts').map((e) => e.errorCount)).toEqual([3]);
    expect(fresh.failuresIn('/ws/a.ts').map((e) => e.errorCount)).toEqual([3]);
  });

  it('keeps the other lines of a file when one line is emptied', () => {
    const stats = new CodeStats(resolve);
    const one = trace(1, [{ id: 1, attributes: at('/ws/a.ts', 1) }]);
    stats.addTrace(one);
    stats.addTrace(trace(2, [{ id: 1, attributes: at('/ws/a.ts', 2) }]));
    stats.removeTrace(one);
    expect(stats.locationsIn('/ws/a.ts').map((e) => e.location.line)).toEqual([2]);
  });
});
