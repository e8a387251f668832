// The numbers and words trace analysis prints: durations, ages and counts at their unit boundaries, self time,
// clock-skew moves, the summary and a hover's story. Traces are built by hand so each expected value is known.
import { describe, expect, it } from 'vitest';
import { adjustClockSkew } from '../../src/core/analysis/clockSkew';
import { formatAge } from '../../src/core/analysis/formatAge';
import { formatCount } from '../../src/core/analysis/formatCount';
import { formatDuration } from '../../src/core/analysis/formatDuration';
import { signedPercent } from '../../src/core/analysis/signedPercent';
import { computeSelfTimes } from '../../src/core/analysis/selfTime';
import { buildSpanTree } from '../../src/core/analysis/spanTree';
import { criticalShareText, traceStory } from '../../src/core/analysis/traceStory';
import { summariseTrace } from '../../src/core/analysis/traceSummary';
import type { Trace } from '../../src/core/model/trace';
import { buildTrace } from '../support/traceBuilder';

describe('formatDuration, formatAge and formatCount at their unit boundaries', () => {
  it('durations: ns, µs, ms, s, then minutes and seconds, with fewer decimals as the number grows', () => {
    expect([999.4, 999.6, 1000, 1234, 12_345, 123_456, 999_999].map(formatDuration)).toEqual([
      '999 ns',
      '1 µs',
      '1 µs',
      '1.23 µs',
      '12.3 µs',
      '123 µs',
      '1 ms',
    ]);
    expect([1e6, 48.26e6, 999.4e6, 1e9, 2.345e9, 59.9e9].map(formatDuration)).toEqual(['1 ms', '48.3 ms', '999 ms', '1 s', '2.35 s', '59.9 s']);
    expect([59.99e9, 60e9, 192.4e9, 3_599.6e9].map(formatDuration)).toEqual(['1m 0s', '1m 0s', '3m 12s', '60m 0s']);
    expect([-1500, -2.5e6, -61e9].map(formatDuration)).toEqual(['-1.5 µs', '-2.5 ms', '-1m 1s']);
  });

  it('ages: seconds under two minutes, minutes under two hours, hours under two days; never negative', () => {
    const now = 1_700_000_000_000;
    expect([0, 42_000, 119_000, 120_000, 7_199_000, 7_200_000, 172_799_000, 172_800_000, 5 * 86_400_000].map((ago) => formatAge(now - ago, now))).toEqual([
      '0 s ago',
      '42 s ago',
      '119 s ago',
      '2 min ago',
      '120 min ago',
      '2 h ago',
      '48 h ago',
      '2 days ago',
      '5 days ago',
    ]);
    expect(formatAge(now + 5000, now)).toBe('0 s ago');
  });

  it('counts: plain under a thousand, one decimal below ten thousand, whole above', () => {
    expect([0, 999, 1000, 1249, 9_960, 34_400, 999_400, 1_000_000, 1_540_000, 25_000_000].map(formatCount)).toEqual([
      '0',
      '999',
      '1k',
      '1.2k',
      '10k',
      '34k',
      '999k',
      '1M',
      '1.5M',
      '25M',
    ]);
  });
});

describe('computeSelfTimes', () => {
  it('subtracts children once where they overlap, only within the parent, and leaves leaves whole', () => {
    // root 0..100; children 10..40 and 30..60 overlap (50 covered); a child sticking out past 100 counts to 100.
    const trace = buildTrace([
      ['1', undefined, 0, 100],
      ['2', '1', 10, 30],
      ['3', '1', 30, 30],
      ['4', '1', 90, 50],
      ['5', '2', 0, 5],
    ]);
    const self = computeSelfTimes(trace, buildSpanTree(trace));
    expect([...self]).toEqual([100 - 50 - 10, 30, 30, 50, 5]);
  });
});

describe('adjustClockSkew', () => {
  function skewed(serverStart: number, serverDuration: number): Trace {
    const trace = buildTrace([
      ['1', undefined, 0, 100, 'client'],
      ['2', '1', serverStart, serverDuration, 'server'],
      ['3', '2', serverStart + 1, 2],
    ]);
    trace.spans[1].resource = { serviceName: 'api', attributes: {} };
    return trace;
  }

  it('centres a server span that lies outside its client span, moving its subtree with it, and says by how much', () => {
    const trace = skewed(-40, 60);
    const warnings = adjustClockSkew(trace, buildSpanTree(trace));
    expect(trace.spans.map((s) => s.startNs)).toEqual([0, 20, 21]);
    expect(warnings).toEqual([
      {
        code: 'clock-skew',
        spanId: '0000000000000002',
        message: 'clock skew: server span 0000000000000002 (api) lay outside its client span 0000000000000001 (svc); moved later by 60 ns',
      },
    ]);
  });

  it('starts a server span longer than its client with it, re-bases the trace when spans moved before its start, and leaves one that fits', () => {
    const longer = skewed(50, 300);
    const startBefore = longer.startUnixNano;
    expect(adjustClockSkew(longer, buildSpanTree(longer))[0].message).toMatch(/moved earlier by 50 ns$/);
    expect(longer.spans.map((s) => s.startNs)).toEqual([0, 0, 1]);
    expect(longer.startUnixNano).toBe(startBefore);
    const fits = skewed(10, 80);
    expect(adjustClockSkew(fits, buildSpanTree(fits))).toEqual([]);
    expect(fits.spans.map((s) => s.startNs)).toEqual([0, 10, 11]);
    // A client that starts late (a server seen first) moves the whole trace's time base, not only its offsets.
    const early = buildTrace([
      ['1', undefined, 0, 10, 'server'],
      ['2', '1', 5, 100, 'client'],
      ['3', '2', 0, 20, 'server'],
    ]);
    const base = early.startUnixNano;
    adjustClockSkew(early, buildSpanTree(early));
    expect(early.spans.map((s) => s.startNs)).toEqual([0, 5, 45]);
    expect(early.startUnixNano).toBe(base);
  });
});

describe('summariseTrace and traceStory', () => {
  function shop(): Trace {
    const trace = buildTrace([
      ['1', undefined, 0, 100, 'server'],
      ['2', '1', 5, 60, 'client'],
      ['3', '2', 10, 50, 'server'],
      ['4', '3', 12, 8],
      ['5', '3', 30, 20],
      ['6', '1', 70, 10],
    ]);
    trace.spans[2].resource = { serviceName: 'payments', attributes: {} };
    trace.spans[3].resource = { serviceName: 'payments', attributes: {} };
    trace.spans[4].resource = { serviceName: 'payments', attributes: {} };
    for (const i of [0, 1, 2, 4]) trace.spans[i].status = { code: 'error', message: i === 4 ? 'card declined' : 'upstream failed' };
    return trace;
  }

  it('summarises services, root, errors and the exact start', () => {
    expect(summariseTrace(shop())).toEqual({
      traceId: '00000000000000000000000000000001',
      spanCount: 6,
      services: ['payments', 'svc'],
      rootService: 'svc',
      rootName: 'op-1',
      startUnixNano: '1700000000000000000',
      durationNs: 100,
      errorCount: 4,
      warnings: [],
    });
  });

  it('tells the slowest span below the root and the deepest failure, not the root that passed it on', () => {
    const story = traceStory(shop());
    expect(story.slowest).toEqual({ service: 'svc', name: 'op-2', durationNs: 60, message: 'upstream failed' });
    expect(story.failedAt).toEqual({ service: 'payments', name: 'op-5', durationNs: 20, message: 'card declined' });
    const calm = buildTrace([['1', undefined, 0, 10]]);
    expect(traceStory(calm)).toMatchObject({ slowest: undefined, failedAt: undefined });
    // Where the time went: each span's own time on the critical path (the root's work between its calls counts).
    expect(story.timeWentTo.map((t) => [t.span.name, t.criticalNs])).toEqual([
      ['op-1', 30],
      ['op-3', 22],
      ['op-5', 20],
    ]);
    expect(criticalShareText(story.timeWentTo[1], 100, (t) => `<${t}>`)).toBe('<payments> · <op-3> 22 ns (22%)');
    // By operation: calls in a row are one share, with their count.
    const loop = buildTrace([
      ['1', undefined, 0, 100],
      ['2', '1', 0, 30],
      ['3', '1', 30, 30],
      ['4', '1', 60, 30],
    ]);
    for (const span of loop.spans.slice(1)) span.name = 'SELECT';
    const [first] = traceStory(loop).timeWentTo;
    expect(criticalShareText(first, 100, String)).toBe('svc · SELECT ×3 90 ns (90%)');
    // A call the request did not wait on is not where its time went, however long it ran.
    const detached = buildTrace([
      ['1', undefined, 0, 100],
      ['2', '1', 0, 95],
      ['3', '1', 10, 20],
    ]);
    expect(traceStory(detached).timeWentTo.map((t) => t.span.name)).toEqual(['op-2']);
    // Two failures with nothing below them: the earlier one is where it began.
    const two = buildTrace([
      ['1', undefined, 0, 100],
      ['2', '1', 50, 10],
      ['3', '1', 20, 10],
    ]);
    two.spans[1].status = { code: 'error' };
    two.spans[2].status = { code: 'error' };
    expect(traceStory(two).failedAt?.name).toBe('op-3');
  });
});

describe('signed percentages', () => {
  it('reads a change with its sign (a true minus), one decimal under ten percent, and points for error rates', () => {
    expect(signedPercent(0.38)).toBe('+38%');
    expect(signedPercent(-0.045)).toBe('−4.5%');
    expect(signedPercent(0)).toBe('+0%');
    expect(signedPercent(-1)).toBe('−100%');
    expect(signedPercent(0.12, ' pts')).toBe('+12 pts');
  });
});
