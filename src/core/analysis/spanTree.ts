// The parent/child structure of a trace, in index form: span i of `trace.spans` is node i.
// Orphans (parent id not in the trace) become roots, cycles are broken; each is reported once.
import type { Trace, TraceWarning } from '../model/trace';
import { pushWarning } from '../model/traceAssembler';
import { parentIndexes } from '../model/parentIndex';
import { sortByKey } from './sortByKey';

export interface SpanTree {
  /** Parent node of each span, -1 for roots. */
  parent: Int32Array;
  /** Children of node i are childList[childStart[i] .. childStart[i+1]), ordered by start time. */
  childStart: Int32Array;
  childList: Int32Array;
  /** Roots ordered by start time. */
  roots: number[];
  /** Depth-first pre-order: the row order of a waterfall. */
  order: Int32Array;
  depth: Int32Array;
  warnings: TraceWarning[];
}

/** A span whose parent is not in the trace (decoded, or skimmed from a file: firstRows.ts). */
export function missingParentWarning(spanId: string, parentId: string, name: string): TraceWarning {
  return { code: 'missing-parent', spanId, message: `parent ${parentId} of span ${spanId} ("${name}") is not in the trace; shown as a root` };
}

/** `parent`: the spans' parentIndexes when they were read already (the tree breaks cycles in it). */
export function buildSpanTree(trace: Trace, parent = parentIndexes(trace.spans)): SpanTree {
  const spans = trace.spans;
  const n = spans.length;
  const warnings: TraceWarning[] = [];
  for (let i = 0; i < n; i++) {
    const parentId = spans[i].parentSpanId;
    if (parentId === undefined || parent[i] >= 0) continue;
    pushWarning(warnings, missingParentWarning(spans[i].spanId, parentId, spans[i].name));
  }
  breakCycles(trace, parent, warnings);

  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) start[i] = spans[i].startNs;
  return { parent, ...treeShape(parent, start), warnings };
}

/**
 * The tree's order from each span's parent (-1 for roots) and start: children and roots by start, the rows in
 * pre-order with their depths. `order` holds only the spans a root reaches: fewer than all where parents make a
 * cycle (buildSpanTree breaks cycles first; a columnar reader that did not can tell by the length).
 */
export function treeShape(parent: Int32Array, start: Float64Array): Pick<SpanTree, 'childStart' | 'childList' | 'roots' | 'order' | 'depth'> {
  const n = parent.length;
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i] >= 0) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(Math.max(0, childStart[n]));
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    if (parent[i] >= 0) childList[fill[parent[i]]++] = i;
    else roots.push(i);
  }
  for (let i = 0; i < n; i++) sortByKey(childList, childStart[i], childStart[i + 1], start, 1);
  roots.sort((a, b) => start[a] - start[b] || a - b);

  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  let written = 0;
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]);
  while (stack.length > 0) {
    const node = stack.pop()!;
    order[written++] = node;
    for (let c = childStart[node + 1] - 1; c >= childStart[node]; c--) {
      const child = childList[c];
      depth[child] = depth[node] + 1;
      stack.push(child);
    }
  }
  return { childStart, childList, roots, order: written < n ? order.subarray(0, written) : order, depth };
}

/** Walks up from every node; a walk that meets itself is a cycle, cut at the node where it closes. */
function breakCycles(trace: Trace, parent: Int32Array, warnings: TraceWarning[]): void {
  const n = parent.length;
  const state = new Uint8Array(n); // 0 unvisited, 1 on the current walk, 2 settled
  const walk: number[] = [];
  for (let start = 0; start < n; start++) {
    if (state[start] !== 0) continue;
    let node = start;
    while (node >= 0 && state[node] === 0) {
      state[node] = 1;
      walk.push(node);
      node = parent[node];
    }
    if (node >= 0 && state[node] === 1) {
      const span = trace.spans[node];
      pushWarning(warnings, {
        code: 'cycle',
        spanId: span.spanId,
        message: `span ${span.spanId} ("${span.name}") is its own ancestor; the cycle is cut there`,
      });
      parent[node] = -1;
    }
    for (const visited of walk) state[visited] = 2;
    walk.length = 0;
  }
}
