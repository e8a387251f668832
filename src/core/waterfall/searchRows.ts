// Search over a trace's spans on the host, where the attributes are (the webview holds only rows).
import type { Attributes, Span } from '../model/trace';
import { valueText } from './attributeText';
import type { PreparedTrace } from './prepareTrace';

function attributesMatch(attributes: Attributes | undefined, pattern: RegExp): boolean {
  if (!attributes) return false;
  for (const key in attributes) {
    // Tested as "key=value", so a query can name the key, the value, or both.
    if (pattern.test(`${key}=${valueText(attributes[key])}`)) return true;
  }
  return false;
}

function spanMatches(span: Span, pattern: RegExp): boolean {
  return (
    pattern.test(span.name) ||
    pattern.test(span.resource.serviceName) ||
    pattern.test(span.spanId) ||
    attributesMatch(span.attributes, pattern) ||
    span.events.some((e) => pattern.test(e.name) || attributesMatch(e.attributes, pattern))
  );
}

/** Rows searched per slice: a slice takes a few milliseconds, so a newer query never waits long behind an older one. */
export const SEARCH_SLICE_ROWS = 4096;

/**
 * Rows whose span name, service, span id, attribute key or value (or event) contains `query`, case-insensitively,
 * one slice of rows at a time in row order (first matches first). Empty slices are yielded too: the caller
 * may stop between any two.
 */
export function* searchSlices(prepared: PreparedTrace, query: string, sliceRows = SEARCH_SLICE_ROWS): Generator<Int32Array> {
  const text = query.trim();
  if (!text) return;
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const { span } = prepared.model.rows;
  for (let from = 0; from < span.length; from += sliceRows) {
    const found: number[] = [];
    const to = Math.min(span.length, from + sliceRows);
    for (let r = from; r < to; r++) if (spanMatches(prepared.trace.spans[span[r]], pattern)) found.push(r);
    yield Int32Array.from(found);
  }
}

/** Every matching row at once (small traces, tests). */
export function searchRows(prepared: PreparedTrace, query: string): Int32Array {
  const slices = [...searchSlices(prepared, query)];
  const all = new Int32Array(slices.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const slice of slices) {
    all.set(slice, at);
    at += slice.length;
  }
  return all;
}
