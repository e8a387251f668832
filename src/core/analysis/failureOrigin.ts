// Where a failure began: the earliest failing span with no failing span below it. Errors propagate up to the
// callers, so the root's failure is rarely the cause; the deepest, earliest one is.
import { isError, type Trace } from '../model/trace';
import type { SpanTree } from './spanTree';

type Shape = Pick<SpanTree, 'parent' | 'order'>;

/** Whether some span below each span failed. */
export function failuresBelow(trace: Trace, tree: Shape): Uint8Array {
  return below((i) => isError(trace.spans[i]), tree);
}

/** The index of the span the trace's failure began in, or -1 when nothing failed. */
export function failureOrigin(trace: Trace, tree: Shape): number {
  return originOf(
    (i) => isError(trace.spans[i]),
    (i) => trace.spans[i].startNs,
    tree,
  );
}

/** `failureOrigin` from the spans' failures (1 for failed) and starts as columns. */
export function failureOriginOf(failed: Uint8Array, start: Float64Array, tree: Shape): number {
  return originOf(
    (i) => failed[i] === 1,
    (i) => start[i],
    tree,
  );
}

function below(failed: (span: number) => boolean, tree: Shape): Uint8Array {
  const result = new Uint8Array(tree.parent.length);
  // Children come after their parent in pre-order: walking it backwards sees a subtree before its root.
  for (let r = tree.order.length - 1; r >= 0; r--) {
    const i = tree.order[r];
    if ((result[i] || failed(i)) && tree.parent[i] >= 0) result[tree.parent[i]] = 1;
  }
  return result;
}

function originOf(failed: (span: number) => boolean, startOf: (span: number) => number, tree: Shape): number {
  const failedBelow = below(failed, tree);
  let origin = -1;
  for (let i = 0; i < failedBelow.length; i++) if (failed(i) && !failedBelow[i] && (origin < 0 || startOf(i) < startOf(origin))) origin = i;
  return origin;
}
