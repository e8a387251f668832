// Clock-skew adjustment across CLIENT/SERVER pairs: two hosts' clocks disagree, so a server span can appear to
// start before the client span that called it. Like Zipkin's and Jaeger's adjusters, the server subtree is moved
// so that it sits centred inside its client span (equal network latency both ways), or starts with it when it
// is longer than the client span.
import type { Trace, TraceWarning } from '../model/trace';
import { pushWarning } from '../model/traceAssembler';
import type { SpanTree } from './spanTree';
import { formatDuration } from './formatDuration';

function isRpcPair(trace: Trace, parentIndex: number, childIndex: number): boolean {
  const parent = trace.spans[parentIndex];
  const child = trace.spans[childIndex];
  return parent.kind === 'client' && child.kind === 'server';
}

/** Shifts skewed server subtrees in place; returns one warning per adjusted pair. */
export function adjustClockSkew(trace: Trace, tree: SpanTree): TraceWarning[] {
  const warnings: TraceWarning[] = [];
  const spans = trace.spans;
  const shift = new Float64Array(spans.length);
  let adjusted = false;
  for (const node of tree.order) {
    const p = tree.parent[node];
    if (p < 0) continue;
    shift[node] = shift[p];
    if (!isRpcPair(trace, p, node)) continue;
    const parent = spans[p];
    const child = spans[node];
    const parentStart = parent.startNs + shift[p];
    const childStart = child.startNs + shift[node];
    const fits = childStart >= parentStart && childStart + child.durationNs <= parentStart + parent.durationNs;
    if (fits) continue;
    const target = child.durationNs <= parent.durationNs ? parentStart + Math.round((parent.durationNs - child.durationNs) / 2) : parentStart;
    const delta = target - childStart;
    if (delta === 0) continue;
    shift[node] += delta;
    adjusted = true;
    pushWarning(warnings, {
      code: 'clock-skew',
      spanId: child.spanId,
      message: `clock skew: server span ${child.spanId} (${child.resource.serviceName}) lay outside its client span ${parent.spanId} (${parent.resource.serviceName}); moved ${delta > 0 ? 'later' : 'earlier'} by ${formatDuration(Math.abs(delta))}`,
    });
  }
  if (!adjusted) return warnings;
  let min = Infinity;
  for (let i = 0; i < spans.length; i++) {
    spans[i].startNs += shift[i];
    min = Math.min(min, spans[i].startNs);
  }
  if (min !== 0) {
    for (const span of spans) span.startNs -= min;
    trace.startUnixNano += BigInt(min);
  }
  return warnings;
}
