// Builds small traces for analysis tests: spans given as [id, parent, startNs, durationNs, kind?].
import type { Span, SpanKind, Trace } from '../../src/core/model/trace';

export type SpanRow = [id: string, parent: string | undefined, startNs: number, durationNs: number, kind?: SpanKind];

export function buildTrace(rows: SpanRow[]): Trace {
  const resource = { serviceName: 'svc', attributes: { 'service.name': 'svc' } };
  const spans: Span[] = rows.map(([id, parent, startNs, durationNs, kind]) => ({
    traceId: '0'.repeat(31) + '1',
    spanId: id.padStart(16, '0'),
    parentSpanId: parent?.padStart(16, '0'),
    name: `op-${id}`,
    kind: kind ?? 'internal',
    startNs,
    durationNs,
    status: { code: 'unset' },
    attributes: {},
    events: [],
    links: [],
    resource,
  }));
  return { traceId: spans[0].traceId, startUnixNano: 1_700_000_000_000_000_000n, spans, warnings: [] };
}

/** One server span with these attributes (and any other field given), for code-clue tests. */
export function buildSpan(attributes: Span['attributes'], more: Partial<Span> = {}): Span {
  return {
    traceId: '1'.padStart(32, '0'),
    spanId: '1'.padStart(16, '0'),
    name: 'op',
    kind: 'server',
    startNs: 0,
    durationNs: 1000,
    status: { code: 'unset' },
    attributes,
    events: [],
    links: [],
    resource: { serviceName: 's', attributes: {} },
    ...more,
  };
}
