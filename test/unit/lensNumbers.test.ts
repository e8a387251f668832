// The numbers a person reads above a function: locations merged per function, the lens text (quantiles,
// calls, error rate), the editor line of a location, and markdown escaping of span text in hovers.
import { describe, expect, it } from 'vitest';
import { editorLine } from '../../src/core/code/codeLocation';
import type { LocationStats } from '../../src/core/stats/codeStats';
import { groupByFunction } from '../../src/core/stats/functionStats';
import { LatencySketch } from '../../src/core/stats/latencySketch';
import { DEFAULT_LENS_FORMAT, lensText } from '../../src/core/stats/lensText';
import { escapeMarkdown } from '../../src/extension/markdown';

function sketch(...ms: number[]): LatencySketch {
  const s = new LatencySketch();
  for (const v of ms) s.add(v * 1e6);
  return s;
}

function location(line: number | undefined, durations: number[], errorCount: number, traceId = 'a'): LocationStats {
  const s = sketch(...durations);
  return {
    location: { file: '/ws/a.ts', line },
    sketch: s,
    errorCount,
    firstSeenMs: line ?? 0,
    lastSeenMs: 100 + (line ?? 0),
    slowest: { traceId, spanId: '1', durationNs: s.max, endUnixNano: 1n },
  };
}

describe('per function', () => {
  it('merges the locations inside one function: calls, errors, the time window and the slowest example', () => {
    // Two functions: lines 0-9 and 10-19 (0-based); locations at 1-based lines 3, 7 and 12.
    const functionAt = (line: number) => (line < 10 ? { line: 0, name: 'first' } : { line: 10, name: 'second' });
    const groups = groupByFunction([location(3, [10, 20], 1, 'a'), location(7, [30], 2, 'b'), location(12, [5], 0, 'c')], 20, functionAt);
    expect(groups.map((g) => [g.name, g.line, g.sketch.count, g.errorCount, g.firstSeenMs, g.lastSeenMs, g.slowest?.traceId])).toEqual([
      ['first', 0, 3, 3, 3, 107, 'b'],
      ['second', 10, 1, 0, 12, 112, 'c'],
    ]);
  });

  it('puts an inline route handler on its own line, not on the function enclosing it', () => {
    const inline = { ...location(5, [10], 0), location: { file: '/ws/a.ts', line: 5, function: 'GET /x handler', anchor: 'line' as const } };
    const [group] = groupByFunction([inline], 20, () => ({ line: 0, name: 'registerRoutes' }));
    expect([group.line, group.name]).toEqual([4, 'GET /x handler']);
  });

  it('keeps the slowest call and the latest failure of the function, whichever line they came from', () => {
    const failing = (line: number, endUnixNano: bigint, durationMs: number): LocationStats => ({
      ...location(line, [durationMs], 1, `t${line}`),
      latestFailing: { traceId: `f${line}`, spanId: '1', durationNs: durationMs * 1e6, endUnixNano },
    });
    const one = () => ({ line: 0, name: 'f' });
    for (const order of [
      [failing(2, 50n, 9), failing(3, 90n, 4), failing(4, 70n, 6)],
      [failing(3, 90n, 4), failing(4, 70n, 6), failing(2, 50n, 9)],
    ]) {
      const [group] = groupByFunction(order, 20, one);
      expect(group.latestFailing?.traceId).toBe('f3');
      expect(group.slowest?.traceId).toBe('t2');
    }
    const [quiet] = groupByFunction([location(2, [1], 0)], 20, one);
    expect(quiet.latestFailing).toBeUndefined();
  });

  it('keeps a line past the end of the file (an older version) on the last line, and names what no function encloses', () => {
    const [late] = groupByFunction([{ ...location(40, [1], 0), location: { file: '/ws/a.ts', line: 40, function: 'handler' } }], 10, () => undefined);
    expect([late.line, late.name]).toEqual([9, 'handler']);
    const [anonymous] = groupByFunction([location(3, [1], 0)], 10, () => undefined);
    expect([anonymous.line, anonymous.name]).toEqual([2, '']);
    const [inlineUnnamed] = groupByFunction([{ ...location(3, [1], 0), location: { file: '/ws/a.ts', line: 3, anchor: 'line' as const } }], 10, () => ({
      line: 0,
      name: 'outer',
    }));
    expect([inlineUnnamed.line, inlineUnnamed.name]).toEqual([2, '']);
  });

  it('reads a location without a line as the first line, in every place that shows it', () => {
    expect(editorLine({ file: '/ws/a.ts' })).toBe(0);
    expect(editorLine({ file: '/ws/a.ts', line: 12 })).toBe(11);
  });
});

describe('the lens text', () => {
  it('shows quantiles, calls and the error rate as a person reads them', () => {
    const s = sketch(...Array.from({ length: 100 }, (_, i) => i + 1));
    expect(lensText(DEFAULT_LENS_FORMAT, s, 3)).toMatch(
      /^p50 (49\.\d|50(\.\d)?) ms · p95 (94\.\d|95(\.\d)?) ms · p99 (98\.\d|99(\.\d)?) ms · 100 calls · 3\.0% errors$/,
    );
    expect(lensText(DEFAULT_LENS_FORMAT, sketch(5, 5), 0)).toMatch(/ · 2 calls · 0% errors$/);
    expect(lensText('${errors} of ${calls} failed, slowest ${max}', sketch(1, 2, 40), 2)).toMatch(/^2 of 3 failed, slowest (39\.\d|40(\.\d)?) ms$/);
    expect(lensText('${calls} calls, ${errorRate}', sketch(...Array.from({ length: 4000 }, () => 1)), 1000)).toBe('4k calls, 25%');
    expect(lensText('${unknown} stays', sketch(1), 0)).toBe('${unknown} stays');
    expect(lensText('${errorRate}', sketch(...Array.from({ length: 10 }, () => 1)), 1)).toBe('10%');
    expect(lensText('${errorRate}', sketch(...Array.from({ length: 1000 }, () => 1)), 99)).toBe('9.9%');
  });
});

describe('span text in hovers', () => {
  it('is shown as text: no markup, no links, no line breaks', () => {
    expect(escapeMarkdown('[click](command:evil) *bold* <img src=x> `code`\nnext')).toBe(
      '\\[click\\]\\(command:evil\\) \\*bold\\* \\<img src=x\\> \\`code\\` next',
    );
  });
});
