// A search applied to whole traces the way Jaeger's storage applies one: a single span must be of the service,
// have the operation's name, a duration within the bounds (span durations, as Jaeger, Zipkin and TraceQL's
// `duration` compare) and every attribute pair, in its own attributes, its resource's or an event's. Values
// compare as text (the number 500 matches "500"). Used by the sources that search here (the receiver's store,
// opened traces) and to check answers from a backend that may not apply a filter.
import type { AttributeValue, Attributes, Span, Trace } from '../model/trace';
import type { SearchQuery } from './traceSource';

function asText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function spanHas(span: Span, key: string, wanted: string): boolean {
  const has = (attributes: Attributes) => asText(attributes[key]) === wanted;
  return has(span.attributes) || has(span.resource.attributes) || span.events.some((event) => has(event.attributes));
}

function spanHasAll(span: Span, pairs: [string, string][]): boolean {
  return pairs.every(([key, value]) => spanHas(span, key, value));
}

export function traceMatchesAttributes(trace: Trace, filters: Record<string, string>): boolean {
  const pairs = Object.entries(filters);
  return pairs.length === 0 || trace.spans.some((span) => spanHasAll(span, pairs));
}

export function spanMatchesQuery(span: Span, query: SearchQuery): boolean {
  return (
    span.resource.serviceName === query.service &&
    (!query.operation || span.name === query.operation) &&
    (!query.minDurationNs || span.durationNs >= query.minDurationNs) &&
    (!query.maxDurationNs || span.durationNs <= query.maxDurationNs) &&
    spanHasAll(span, Object.entries(query.attributes ?? {}))
  );
}

export function traceMatchesQuery(trace: Trace, query: SearchQuery): boolean {
  return trace.spans.some((span) => spanMatchesQuery(span, query));
}
