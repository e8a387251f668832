// Spans already decoded and held (the receiver's store) as a skim, so a large held trace's first rows come from
// firstRows.ts as a large file's do: columns of every span, the shown rows' parts read from their spans. A copy of
// the trace, its checks and its whole waterfall, only to show its top, took 130-290 ms for 100k spans (the skim
// and its rows, 50-170 ms).
import { KIND_NUMBER } from '../model/status';
import { isError, type Resource, type Span, type Trace } from '../model/trace';
import { MAX_WARNINGS } from '../model/traceAssembler';
import { SkimUnread, type SpanSkim } from './spanSkim';

/**
 * The skim of a held trace as its copy for a view reads (SpanStore.getTrace). Throws SkimUnread where that copy
 * would change or warn of something the skim does not read: spans that share an id, warnings of its own.
 */
export function skimHeldSpans(trace: Pick<Trace, 'traceId' | 'startUnixNano' | 'spans' | 'warnings'>): SpanSkim {
  if (trace.warnings.length) throw new SkimUnread('warnings of its own');
  const spans = trace.spans;
  const n = spans.length;
  const skim: SpanSkim = {
    count: n,
    traceId: trace.traceId,
    startUnixNano: trace.startUnixNano,
    startNs: new Float64Array(n),
    durationNs: new Float64Array(n),
    parent: new Int32Array(n),
    kind: new Uint8Array(n),
    failed: new Uint8Array(n),
    resource: new Int32Array(n),
    services: [],
    orphans: [],
    partsOf: (i) => partsOf(spans[i]),
  };
  const index = new Map<string, number>();
  const resources = new Map<Resource, number>();
  for (let i = 0; i < n; i++) {
    const span = spans[i];
    if (index.has(span.spanId)) throw new SkimUnread('two spans share an id');
    index.set(span.spanId, i);
    skim.startNs[i] = span.startNs;
    skim.durationNs[i] = span.durationNs;
    skim.kind[i] = KIND_NUMBER[span.kind] ?? 0;
    skim.failed[i] = isError(span) ? 1 : 0;
    let resource = resources.get(span.resource);
    if (resource === undefined) resources.set(span.resource, (resource = skim.services.push(span.resource.serviceName) - 1));
    skim.resource[i] = resource;
  }
  for (let i = 0; i < n; i++) {
    const parentId = spans[i].parentSpanId;
    skim.parent[i] = parentId === undefined ? -1 : (index.get(parentId) ?? -1);
    if (parentId !== undefined && skim.parent[i] < 0 && skim.orphans.length < MAX_WARNINGS) skim.orphans.push(i);
  }
  return skim;
}

function partsOf(span: Span) {
  return { name: span.name, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', eventOffsets: span.events.map((e) => e.offsetNs) };
}
