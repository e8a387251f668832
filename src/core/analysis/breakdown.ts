// Where the time went, per service and per operation: span count, errors, total and self time.
import { isError, type Trace } from '../model/trace';

export interface BreakdownRow {
  service: string;
  /** Absent in the per-service breakdown. */
  operation?: string;
  spanCount: number;
  errorCount: number;
  totalNs: number;
  selfNs: number;
}

function breakdown(trace: Trace, selfTimes: Float64Array, keyOf: (i: number) => [string, string | undefined]): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>();
  trace.spans.forEach((span, i) => {
    const [service, operation] = keyOf(i);
    const key = operation === undefined ? service : `${service}\u0000${operation}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { service, operation, spanCount: 0, errorCount: 0, totalNs: 0, selfNs: 0 }));
    row.spanCount++;
    if (isError(span)) row.errorCount++;
    row.totalNs += span.durationNs;
    row.selfNs += selfTimes[i];
  });
  return [...rows.values()].sort((a, b) => b.selfNs - a.selfNs);
}

export function breakdownByService(trace: Trace, selfTimes: Float64Array): BreakdownRow[] {
  return breakdown(trace, selfTimes, (i) => [trace.spans[i].resource.serviceName, undefined]);
}

export function breakdownByOperation(trace: Trace, selfTimes: Float64Array): BreakdownRow[] {
  return breakdown(trace, selfTimes, (i) => [trace.spans[i].resource.serviceName, trace.spans[i].name]);
}
