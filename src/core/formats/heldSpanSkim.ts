// Spans already decoded and held (the receiver's store) as a skim, so a large held trace's first rows come from
// firstRows.ts as a large file's do: columns of every span, the shown rows' parts read from their spans. A copy of
// the trace, its checks and its whole waterfall, only to show its top, took 130-290 ms for 100k spans (the skim
// and its rows, 57-152 ms).
import { hexDigits8 } from '../model/ids';
import { KIND_NUMBER } from '../model/status';
import { isError, type Resource, type Span, type Trace } from '../model/trace';
import { MAX_WARNINGS } from '../model/traceAssembler';
import { linkParents, SkimUnread, type IdColumns, type SpanSkim } from './spanSkim';

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
  const resources = new Map<Resource, number>();
  for (let i = 0; i < n; i++) {
    const span = spans[i];
    skim.startNs[i] = span.startNs;
    skim.durationNs[i] = span.durationNs;
    skim.kind[i] = KIND_NUMBER[span.kind] ?? 0;
    skim.failed[i] = isError(span) ? 1 : 0;
    let resource = resources.get(span.resource);
    if (resource === undefined) resources.set(span.resource, (resource = skim.services.push(span.resource.serviceName) - 1));
    skim.resource[i] = resource;
  }
  const ids = idColumns(spans);
  if (ids) linkParents(ids, skim.parent, skim.orphans);
  else linkParentsByText(spans, skim);
  return skim;
}

/**
 * The spans' ids as numbers, when every one is 16 lowercase hex digits (as the decoders write them), for the skims'
 * table of ids: a Map of 100k id texts took 40-60 ms of the receiver's thread, most of a held trace's first rows.
 */
function idColumns(spans: readonly Span[]): IdColumns | undefined {
  const n = spans.length;
  const ids: IdColumns = {
    idLow: new Uint32Array(n),
    idHigh: new Uint32Array(n),
    parentLow: new Uint32Array(n),
    parentHigh: new Uint32Array(n),
    hasParent: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const { spanId, parentSpanId } = spans[i];
    if (!halves(spanId, i, ids.idHigh, ids.idLow)) return undefined;
    if (parentSpanId === undefined) continue;
    if (!halves(parentSpanId, i, ids.parentHigh, ids.parentLow)) return undefined;
    ids.hasParent[i] = 1;
  }
  return ids;
}

/** `id`'s first and last eight hex digits into high[i] and low[i]; false for any other text (it goes by text). */
function halves(id: string, i: number, high: Uint32Array, low: Uint32Array): boolean {
  if (id.length !== 16) return false;
  const h = hexDigits8(id, 0);
  const l = hexDigits8(id, 8);
  if (h < 0 || l < 0) return false;
  high[i] = h;
  low[i] = l;
  return true;
}

/** Parents by id text, for ids of any other form. */
function linkParentsByText(spans: readonly Span[], skim: SpanSkim): void {
  const index = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    if (index.has(spans[i].spanId)) throw new SkimUnread('two spans share an id');
    index.set(spans[i].spanId, i);
  }
  for (let i = 0; i < spans.length; i++) {
    const parentId = spans[i].parentSpanId;
    skim.parent[i] = parentId === undefined ? -1 : (index.get(parentId) ?? -1);
    if (parentId !== undefined && skim.parent[i] < 0 && skim.orphans.length < MAX_WARNINGS) skim.orphans.push(i);
  }
}

function partsOf(span: Span) {
  return { name: span.name, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', eventOffsets: span.events.map((e) => e.offsetNs) };
}
