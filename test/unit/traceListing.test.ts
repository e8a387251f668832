// The side bar's list of traces: the filter words a person types, sorting and grouping.
import { describe, expect, it } from 'vitest';
import { groupRows, matchesFilter, parseTraceFilter, sortRows, type TraceFilter, type TraceRow } from '../../src/core/analysis/traceListing';

const row = (id: number, service: string, name: string, ms: number, errors = 0, services = [service]): TraceRow => ({
  traceId: String(id).padStart(32, '0'),
  rootService: service,
  rootName: name,
  durationNs: ms * 1e6,
  spanCount: 3,
  errorCount: errors,
  services,
  updatedAt: id,
  origin: 'received',
});
const rows = [
  row(1, 'frontend', 'GET /checkout', 208, 1, ['frontend', 'payments']),
  row(2, 'frontend', 'GET /cart', 12),
  row(3, 'orders', 'POST /orders', 950),
  row(4, 'frontend', 'GET /checkout', 40),
];
const filter = (text: string) => parseTraceFilter(text) as TraceFilter;
const ids = (list: TraceRow[]) => list.map((r) => Number(r.traceId));

describe('the traces list', () => {
  it('filters by words, service, operation, errors and a minimum duration, all at once', () => {
    expect(ids(rows.filter((r) => matchesFilter(r, filter('checkout'))))).toEqual([1, 4]);
    expect(ids(rows.filter((r) => matchesFilter(r, filter('service=payments'))))).toEqual([1]);
    expect(ids(rows.filter((r) => matchesFilter(r, filter('op=/orders'))))).toEqual([3]);
    expect(ids(rows.filter((r) => matchesFilter(r, filter('errors'))))).toEqual([1]);
    expect(ids(rows.filter((r) => matchesFilter(r, filter('>100ms'))))).toEqual([1, 3]);
    expect(ids(rows.filter((r) => matchesFilter(r, filter('frontend >100ms errors'))))).toEqual([1]);
    expect(ids(rows.filter((r) => matchesFilter(r, filter(''))))).toEqual([1, 2, 3, 4]);
  });

  it('says which word it cannot read', () => {
    expect(parseTraceFilter('checkout >soon')).toBe('">soon" is not a duration (try >250ms or >2s)');
  });

  it('sorts newest or slowest first, and groups by service or operation, busiest first', () => {
    expect(ids(sortRows(rows, 'newest'))).toEqual([4, 3, 2, 1]);
    expect(ids(sortRows(rows, 'slowest'))).toEqual([3, 1, 4, 2]);
    expect(groupRows(rows, 'service').map((g) => [g.key, g.rows.length, g.errorCount])).toEqual([
      ['frontend', 3, 1],
      ['orders', 1, 0],
    ]);
    expect(groupRows(rows, 'operation').map((g) => [g.key, g.rows.length])).toEqual([
      ['frontend: GET /checkout', 2],
      ['frontend: GET /cart', 1],
      ['orders: POST /orders', 1],
    ]);
  });
});
