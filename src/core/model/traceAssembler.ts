// Collects decoded spans (absolute times) and turns them into normalised Traces: grouped by trace id,
// times relative to the trace start, duplicate spans and duplicate span ids resolved.
import { spanIdAllocator } from './ids';
import { repeatsAnId } from './parentIndex';
import { splitToBigInt, type SplitTime } from './spanTime';
import type { Span, Trace, TraceWarning } from './trace';

/**
 * What a decoded span's `startNs` and `durationNs` hold as the span is made, before their numbers are written (its
 * start once its trace's is known). Not a number: V8 then keeps a time under 2^31 ns in the field itself and boxes
 * only a longer one. Made with a number, the fields held doubles, each in a 16-byte box of its own: two of the five
 * objects a stored span was, for the collector to copy and mark.
 */
export const TIME_PENDING = undefined as unknown as number;

/** Spans of one trace with their absolute starts, as (major, minor) columns (no object per start). */
interface TraceDraft {
  spans: Span[];
  majors: number[];
  minors: number[];
  warnings: TraceWarning[];
}

export class TraceAssembler {
  private readonly drafts = new Map<string, TraceDraft>();
  private lastTraceId: string | undefined;
  private lastDraft: TraceDraft | undefined;
  /** Warnings not tied to one trace (a span without a valid trace id, an unknown field). */
  readonly warnings: TraceWarning[] = [];
  private readonly traceWarnings = new Map<string, TraceWarning[]>();
  /** Spans left out because they could not be read (no valid ids or start); a receiver reports them as rejected. */
  rejectedSpans = 0;

  constructor(private readonly radix: number) {}

  get spanCount(): number {
    let count = 0;
    for (const draft of this.drafts.values()) count += draft.spans.length;
    return count;
  }

  add(span: Span, start: SplitTime): void {
    this.addSplit(span, start.major, start.minor);
  }

  /** `add` with the start's halves as numbers (the protobuf decoder reads them so). */
  addSplit(span: Span, major: number, minor: number): void {
    // Spans of one trace come together: the last draft again is the common case, found without a lookup.
    let draft = span.traceId === this.lastTraceId ? this.lastDraft : this.drafts.get(span.traceId);
    if (!draft) {
      draft = { spans: [], majors: [], minors: [], warnings: [] };
      this.drafts.set(span.traceId, draft);
    }
    this.lastTraceId = span.traceId;
    this.lastDraft = draft;
    draft.spans.push(span);
    draft.majors.push(major);
    draft.minors.push(minor);
  }

  /** A warning about one trace when its id is known, else about the input as a whole. */
  warn(warning: TraceWarning, traceId?: string): void {
    if (traceId === undefined) return pushWarning(this.warnings, warning);
    let list = this.traceWarnings.get(traceId);
    if (!list) this.traceWarnings.set(traceId, (list = []));
    pushWarning(list, warning);
  }

  reject(warning: TraceWarning, traceId?: string): void {
    this.rejectedSpans++;
    this.warn(warning, traceId);
  }

  /** `idsDistinct`: the decoder knows no two spans of the input share an id (no trace then needs to be checked). */
  finish(idsDistinct = false): Trace[] {
    const traces: Trace[] = [];
    for (const [traceId, draft] of this.drafts) {
      draft.warnings.push(...(this.traceWarnings.get(traceId) ?? []));
      traces.push(this.finishTrace(traceId, draft, idsDistinct));
    }
    // A trace whose every span was rejected never becomes a trace: its reasons belong to the input.
    for (const [traceId, warnings] of this.traceWarnings) if (!this.drafts.has(traceId)) for (const w of warnings) pushWarning(this.warnings, w);
    return traces;
  }

  private finishTrace(traceId: string, draft: TraceDraft, idsDistinct: boolean): Trace {
    const { majors, minors, spans: drafted } = draft;
    const min = { major: majors[0], minor: minors[0] };
    for (let i = 1; i < drafted.length; i++) {
      if (majors[i] < min.major || (majors[i] === min.major && minors[i] < min.minor)) {
        min.major = majors[i];
        min.minor = minors[i];
      }
    }
    for (let i = 0; i < drafted.length; i++) drafted[i].startNs = (majors[i] - min.major) * this.radix + (minors[i] - min.minor);
    const spans = idsDistinct ? draft.spans : resolveDuplicateIds(draft.spans, draft.warnings);
    return { traceId, startUnixNano: splitToBigInt(min, this.radix), spans, warnings: draft.warnings };
  }
}

export const MAX_WARNINGS = 1000;

/** What makes two spans with one id the same span, as one string: a set of them finds copies in O(1). */
function copyKey(span: Span): string {
  return `${span.startNs}\u0000${span.durationNs}\u0000${span.parentSpanId ?? ''}\u0000${span.name}`;
}

/**
 * Span ids must be unique for the tree. Exact copies are dropped. SERVER spans that share their id with a
 * CLIENT span (Zipkin's `shared` halves, Jaeger traces converted from Zipkin; several when a call was retried
 * or fanned out) get fresh ids and become the client's children; the first of them takes over the children
 * of the shared id, as Jaeger's span-id deduper does. Any other clash keeps both spans and renames the later
 * one, with a warning.
 */
export function resolveDuplicateIds(spans: Span[], warnings: TraceWarning[]): Span[] {
  // Groups are built only when two spans share an id.
  if (!repeatsAnId(spans)) return spans;
  const groups = new Map<string, Span[]>();
  for (const span of spans) {
    const group = groups.get(span.spanId);
    if (group) group.push(span);
    else groups.set(span.spanId, [span]);
  }
  const freshId = spanIdAllocator(new Set(groups.keys()));
  const dropped = new Set<Span>();
  const childrenMoveTo = new Map<string, string>();
  const serverHalves = new Set<Span>();
  for (const [id, group] of groups) {
    if (group.length === 1) continue;
    const client = group.find((s) => s.kind === 'client');
    const keeper = client ?? group[0];
    const kept = new Set([copyKey(keeper)]);
    for (const span of group) {
      if (span === keeper) continue;
      const key = copyKey(span);
      if (kept.has(key)) {
        dropped.add(span);
        pushWarning(warnings, { code: 'duplicate-span', spanId: id, message: `span ${id} appears more than once; kept one copy` });
        continue;
      }
      kept.add(key);
      const newId = freshId();
      span.spanId = newId;
      if (client && span.kind === 'server') {
        span.parentSpanId = client.spanId;
        serverHalves.add(span);
        if (!childrenMoveTo.has(id)) childrenMoveTo.set(id, newId);
      } else {
        pushWarning(warnings, { code: 'duplicate-span-id', spanId: id, message: `two different spans share id ${id}; the later one is shown as ${newId}` });
      }
    }
  }
  const result = dropped.size ? spans.filter((s) => !dropped.has(s)) : spans;
  if (childrenMoveTo.size) {
    for (const span of result) {
      const moved = span.parentSpanId === undefined ? undefined : childrenMoveTo.get(span.parentSpanId);
      if (moved !== undefined && !serverHalves.has(span)) span.parentSpanId = moved;
    }
  }
  return result;
}

export function pushWarning(warnings: TraceWarning[], warning: TraceWarning): void {
  if (warnings.length < MAX_WARNINGS) warnings.push(warning);
}
