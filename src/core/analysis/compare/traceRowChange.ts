// How a row of a two-trace comparison reads: its change in calls or time, and a failure in one trace only. One
// wording for the report page and the CLI.
import type { TraceReportRow } from './reportTypes';

const CHANGE_WORDS: Record<TraceReportRow['change'], string> = {
  'only-a': 'only in A',
  'only-b': 'only in B',
  more: 'more calls',
  fewer: 'fewer calls',
  slower: 'slower',
  faster: 'faster',
  same: 'same',
};

const FAILURE_WORDS: Record<NonNullable<TraceReportRow['failures']>, string> = {
  'fails-in-b': 'fails in B',
  'fails-only-in-a': 'fails only in A',
};

/** Whether the row differs between the two traces at all. */
export function traceRowChanged(row: Pick<TraceReportRow, 'change' | 'failures'>): boolean {
  return row.change !== 'same' || row.failures !== undefined;
}

/** "slower", "fails in B", "faster · fails only in A". */
export function traceRowChangeText(row: Pick<TraceReportRow, 'change' | 'failures'>): string {
  if (!row.failures) return CHANGE_WORDS[row.change];
  return row.change === 'same' ? FAILURE_WORDS[row.failures] : `${CHANGE_WORDS[row.change]} · ${FAILURE_WORDS[row.failures]}`;
}
