import { describe, expect, it } from 'vitest';
import { computeSelfTimes } from '../../src/core/analysis/selfTime';
import { buildSpanTree } from '../../src/core/analysis/spanTree';
import { operationStats } from '../../src/core/waterfall/operationStats';
import { prepareTrace } from '../../src/core/waterfall/prepareTrace';
import type { Span } from '../../src/core/model/trace';
import { buildTrace } from '../support/traceBuilder';
import { randomTrace } from '../support/randomTrace';

describe('statistics by operation, from the waterfall rows', () => {
  // A request whose two overlapping fetches call the same query: three operations of one service, one twice.
  const trace = buildTrace([
    ['1', undefined, 0, 100],
    ['2', '1', 10, 70],
    ['3', '1', 20, 70],
    ['4', '2', 30, 20],
    ['5', '3', 40, 35],
  ]);
  const names: Record<string, string> = { '1': 'GET /report', '2': 'fetch', '3': 'fetch', '4': 'SELECT', '5': 'SELECT' };
  for (const span of trace.spans) span.name = names[span.spanId.replace(/^0+/, '')];
  trace.spans[4].status = { code: 'error' };

  it('counts spans, failures and durations, and sums self time where children overlap once', () => {
    const { model } = prepareTrace(trace);
    const byName = Object.fromEntries(operationStats(model.rows, model.strings.length).map((op) => [model.strings[op.name], op]));
    // The root: its children cover 10-90 together, so 20 of its 100 are its own.
    expect(byName['GET /report']).toMatchObject({ spans: 1, errors: 0, totalNs: 100, minNs: 100, maxNs: 100, selfNs: 20 });
    // fetch 10-80 less SELECT 30-50 (50), fetch 20-90 less SELECT 40-75 (35).
    expect(byName.fetch).toMatchObject({ spans: 2, errors: 0, totalNs: 140, minNs: 70, maxNs: 70, selfNs: 85 });
    expect(byName.SELECT).toMatchObject({ spans: 2, errors: 1, totalNs: 55, minNs: 20, maxNs: 35, selfNs: 55 });
    // The longest SELECT's row is the one the failing span is on.
    expect(model.rows.span[byName.SELECT.longestRow]).toBe(4);
  });

  it('lists the most self time first, and keeps one service’s operation apart from another’s of the same name', () => {
    // The root's own call to another service's SELECT, at 92-97: 5 more of the root's time covered.
    const other: Span = {
      ...trace.spans[3],
      spanId: '6'.padStart(16, '0'),
      parentSpanId: trace.spans[0].spanId,
      resource: { serviceName: 'db', attributes: {} },
      startNs: 92,
      durationNs: 5,
      status: { code: 'unset' },
    };
    const { model } = prepareTrace({ ...trace, spans: [...trace.spans, other] });
    const stats = operationStats(model.rows, model.strings.length);
    expect(stats.map((op) => `${model.services[op.service]} ${model.strings[op.name]} ${op.selfNs}`)).toEqual([
      'svc fetch 85',
      'svc SELECT 55',
      'svc GET /report 15',
      'db SELECT 5',
    ]);
  });

  it('makes the self times the details pane shows, span for span, on random traces', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = randomTrace(seed, 300);
      const tree = buildSpanTree(random);
      const { model } = prepareTrace(random, tree);
      const bySpan = computeSelfTimes(random, tree);
      const stats = operationStats(model.rows, model.strings.length);
      const summed = stats.reduce((sum, op) => sum + op.selfNs, 0);
      expect(summed).toBeCloseTo(
        bySpan.reduce((sum, ns) => sum + ns, 0),
        3,
      );
      expect(stats.reduce((sum, op) => sum + op.spans, 0)).toBe(random.spans.length);
    }
  });
});
