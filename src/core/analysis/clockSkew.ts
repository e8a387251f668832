// Clock-skew adjustment across CLIENT/SERVER pairs: two hosts' clocks disagree, so a server span can appear to
// start before the client span that called it. Like Zipkin's and Jaeger's adjusters, the server subtree is moved
// so that it sits centred inside its client span (equal network latency both ways), or starts with it when it
// is longer than the client span.
import type { Trace, TraceWarning } from '../model/trace';
import { MAX_WARNINGS, pushWarning } from '../model/traceAssembler';
import type { SpanTree } from './spanTree';
import { formatDuration } from './formatDuration';

/** The spans as the adjustment reads them: decoded spans, or a file's skimmed columns (firstRows.ts). */
export interface SkewInput {
  /** Pre-order of the tree, with its parents (-1 for a root). */
  order: ArrayLike<number>;
  parent: ArrayLike<number>;
  startNs: ArrayLike<number>;
  durationNs: ArrayLike<number>;
  /** A client span calling a server span: the only pairs whose clocks are compared. */
  isRpcPair(parent: number, child: number): boolean;
}

/** A server span moved into its client span, for its warning. */
export interface SkewMove {
  parent: number;
  child: number;
  deltaNs: number;
}

/**
 * How far each span moves (a moved server span takes its subtree along), and the first MAX_WARNINGS moves;
 * undefined when nothing moves.
 */
export function skewShifts(input: SkewInput): { shift: Float64Array; moves: SkewMove[] } | undefined {
  const { order, parent, startNs, durationNs } = input;
  const shift = new Float64Array(parent.length);
  const moves: SkewMove[] = [];
  let adjusted = false;
  for (let k = 0; k < order.length; k++) {
    const node = order[k];
    const p = parent[node];
    if (p < 0) continue;
    shift[node] = shift[p];
    if (!input.isRpcPair(p, node)) continue;
    const parentStart = startNs[p] + shift[p];
    const childStart = startNs[node] + shift[node];
    const fits = childStart >= parentStart && childStart + durationNs[node] <= parentStart + durationNs[p];
    if (fits) continue;
    const target = durationNs[node] <= durationNs[p] ? parentStart + Math.round((durationNs[p] - durationNs[node]) / 2) : parentStart;
    const delta = target - childStart;
    if (delta === 0) continue;
    shift[node] += delta;
    adjusted = true;
    if (moves.length < MAX_WARNINGS) moves.push({ parent: p, child: node, deltaNs: delta });
  }
  return adjusted ? { shift, moves } : undefined;
}

/** Applies `shift` to `startNs` in place and starts the earliest span at 0; returns how far the trace's start moved. */
export function applyShifts(startNs: Float64Array, shift: Float64Array): number {
  let min = Infinity;
  for (let i = 0; i < startNs.length; i++) {
    startNs[i] += shift[i];
    min = Math.min(min, startNs[i]);
  }
  if (min !== 0) for (let i = 0; i < startNs.length; i++) startNs[i] -= min;
  return min;
}

export function skewWarning(move: SkewMove, spanId: (i: number) => string, service: (i: number) => string): TraceWarning {
  const { parent, child, deltaNs } = move;
  return {
    code: 'clock-skew',
    spanId: spanId(child),
    message: `clock skew: server span ${spanId(child)} (${service(child)}) lay outside its client span ${spanId(parent)} (${service(parent)}); moved ${deltaNs > 0 ? 'later' : 'earlier'} by ${formatDuration(Math.abs(deltaNs))}`,
  };
}

/** The moves the trace's clock skew calls for (undefined: none), with its spans' starts as a column. */
function skewOf(trace: Trace, tree: SpanTree): (NonNullable<ReturnType<typeof skewShifts>> & { startNs: Float64Array }) | undefined {
  const spans = trace.spans;
  // Filled by index: `from` with a mapping walks the list through an iterator (a settled trace is read this way
  // on each analysis, a hundred thousand spans on each open).
  const startNs = new Float64Array(spans.length);
  const durationNs = new Float64Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    startNs[i] = spans[i].startNs;
    durationNs[i] = spans[i].durationNs;
  }
  const skew = skewShifts({
    order: tree.order,
    parent: tree.parent,
    startNs,
    durationNs,
    isRpcPair: (p, c) => spans[p].kind === 'client' && spans[c].kind === 'server',
  });
  return skew && { ...skew, startNs };
}

/** Whether adjustClockSkew would move any span of the trace. */
export function hasClockSkew(trace: Trace, tree: SpanTree): boolean {
  return skewOf(trace, tree) !== undefined;
}

/** Shifts skewed server subtrees in place; returns one warning per adjusted pair. */
export function adjustClockSkew(trace: Trace, tree: SpanTree): TraceWarning[] {
  const skew = skewOf(trace, tree);
  if (!skew) return [];
  const { spans } = trace;
  const { startNs } = skew;
  const spanId = (i: number) => spans[i].spanId;
  const service = (i: number) => spans[i].resource.serviceName;
  const warnings: TraceWarning[] = [];
  for (const move of skew.moves) pushWarning(warnings, skewWarning(move, spanId, service));
  const min = applyShifts(startNs, skew.shift);
  spans.forEach((span, i) => (span.startNs = startNs[i]));
  if (min !== 0) trace.startUnixNano += BigInt(min);
  return warnings;
}
