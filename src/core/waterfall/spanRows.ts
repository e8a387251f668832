// The rows of spans named by id (a reveal's span, a finding's spans): -1 for an id the trace does not hold. The
// index by id is built once per prepared trace, on the first question.
import type { PreparedTrace } from './prepareTrace';

const indexes = new WeakMap<PreparedTrace, Map<string, number>>();

export function rowsOfSpans(prepared: PreparedTrace, spanIds: readonly string[]): Int32Array {
  let index = indexes.get(prepared);
  if (!index) {
    index = new Map(prepared.trace.spans.map((span, i) => [span.spanId, i]));
    indexes.set(prepared, index);
  }
  const rows = new Int32Array(spanIds.length);
  spanIds.forEach((id, k) => {
    const span = index.get(id);
    rows[k] = span === undefined ? -1 : prepared.rowOfSpan[span];
  });
  return rows;
}
