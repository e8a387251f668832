// Where a failure began: the earliest failing span with no failing span below it. Errors propagate up to the
// callers, so the root's failure is rarely the cause; the deepest, earliest one is.
import { isError, type Trace } from '../model/trace';
import type { SpanTree } from './spanTree';

/** Whether some span below each span failed. */
export function failuresBelow(trace: Trace, tree: SpanTree): Uint8Array {
  const below = new Uint8Array(trace.spans.length);
  // Children come after their parent in pre-order: walking it backwards sees a subtree before its root.
  for (let r = tree.order.length - 1; r >= 0; r--) {
    const i = tree.order[r];
    if ((below[i] || isError(trace.spans[i])) && tree.parent[i] >= 0) below[tree.parent[i]] = 1;
  }
  return below;
}

/** The index of the span the trace's failure began in, or -1 when nothing failed. */
export function failureOrigin(trace: Trace, tree: SpanTree): number {
  const below = failuresBelow(trace, tree);
  let origin = -1;
  trace.spans.forEach((span, i) => {
    if (isError(span) && !below[i] && (origin < 0 || span.startNs < trace.spans[origin].startNs)) origin = i;
  });
  return origin;
}
