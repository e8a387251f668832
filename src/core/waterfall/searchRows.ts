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

/** Rows whose span name, service, span id, attribute key or value (or event) contains `query`, case-insensitively. */
export function searchRows(prepared: PreparedTrace, query: string): Int32Array {
  const text = query.trim();
  if (!text) return new Int32Array(0);
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const { rows } = prepared.model;
  const found: number[] = [];
  for (let r = 0; r < rows.span.length; r++) if (spanMatches(prepared.trace.spans[rows.span[r]], pattern)) found.push(r);
  return Int32Array.from(found);
}
