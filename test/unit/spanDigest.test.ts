// Span digests: what the code statistics read of spans, with clue lists shared by the spans that have the same.
import { describe, expect, it } from 'vitest';
import { digestTrace } from '../../src/core/stats/spanDigest';
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
    expect(digest.spanIds).toEqual(spans.map((s) => s.spanId));
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
    expect(digest.failures).toEqual([{ message: 'no', type: 'ValueError' }, undefined]);
  });
});
