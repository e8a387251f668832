// The words a search is narrowed by, in Search Traces… and in `trace-lens search --attr`.
import { describe, expect, it } from 'vitest';
import { attributePairs, parseSearchFilters } from '../../src/core/sources/searchFilters';

describe('search filters', () => {
  it('reads a minimum duration and key=value words in any order', () => {
    expect(parseSearchFilters('  >250ms http.response.status_code=500 user.id=42 ')).toEqual({
      minDurationNs: 250e6,
      attributes: { 'http.response.status_code': '500', 'user.id': '42' },
    });
    expect(parseSearchFilters('2s')).toEqual({ minDurationNs: 2e9, attributes: {} });
    expect(parseSearchFilters('db.statement=a=b')).toEqual({ minDurationNs: undefined, attributes: { 'db.statement': 'a=b' } });
    expect(parseSearchFilters('')).toEqual({ minDurationNs: undefined, attributes: {} });
  });

  it('names the word it cannot read', () => {
    expect(parseSearchFilters('slow')).toBe('"slow" is neither a duration (100ms) nor key=value');
    expect(attributePairs(['a=1', '=2'])).toBe('"=2" is not key=value (e.g. http.response.status_code=500)');
  });
});
