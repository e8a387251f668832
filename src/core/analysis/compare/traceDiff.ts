// Two traces compared node by node on the merged call tree: what is only in one, what ran more or fewer times,
// what got slower or faster, what failed in one and not the other; the failures first (comparing a failed request
// with one that worked, they are the question), then by each node's share of the change in the trace's duration
// (the change in its own time on the critical path: time off the path changed nothing the user waited for).
import type { Trace } from '../../model/trace';
import { CallNodes, pathOf, type CallNode, type NodeSample } from './callTree';
import type { FailureChange, NodeChange } from './reportTypes';

/** Time changes under this share, or under a millisecond, are the noise of one run against another. */
const MIN_CHANGE = 0.05;
const MIN_CHANGE_NS = 1_000_000;

export interface NodeDiff {
  node: CallNode;
  a?: NodeSample;
  b?: NodeSample;
  change: NodeChange;
  failures?: FailureChange;
  /** B's own time on the critical path less A's. */
  criticalDeltaNs: number;
}

export interface TraceDiff {
  a: { traceId: string; durationNs: number };
  b: { traceId: string; durationNs: number };
  /** Changed nodes, largest effect on the trace's duration first. */
  nodes: NodeDiff[];
  /** The nodes that did not change (the rest of the merged tree, for a picture of all of it). */
  same: NodeDiff[];
  /** What cannot be compared, or why the comparison says little, in plain words. */
  notes: string[];
}

function changeOf(a: NodeSample | undefined, b: NodeSample | undefined): NodeChange {
  if (!a) return 'only-b';
  if (!b) return 'only-a';
  if (b.count !== a.count) return b.count > a.count ? 'more' : 'fewer';
  const delta = b.totalNs - a.totalNs;
  if (Math.abs(delta) < MIN_CHANGE_NS || Math.abs(delta) < MIN_CHANGE * Math.max(a.totalNs, b.totalNs)) return 'same';
  return delta > 0 ? 'slower' : 'faster';
}

/** A call that fails in one trace only: both ran it, or one ran it and it failed there (a new failing call is news). */
function failuresOf(a: NodeSample | undefined, b: NodeSample | undefined): FailureChange | undefined {
  const [failsInA, failsInB] = [(a?.errors ?? 0) > 0, (b?.errors ?? 0) > 0];
  if (failsInA === failsInB) return undefined;
  return failsInB ? 'fails-in-b' : 'fails-only-in-a';
}

/** `known`: the nodes to sample onto (a caller that wants each node's code passes its own). */
export function diffTraces(a: Trace, b: Trace, known = new CallNodes()): TraceDiff {
  const sa = known.sample(a);
  const sb = known.sample(b);
  const notes: string[] = [];
  if (a.spans.length === 0 || b.spans.length === 0) notes.push(`trace ${a.spans.length === 0 ? 'A' : 'B'} has no spans: there is nothing to compare`);
  const rootA = [...sa.nodes.keys()].find((k) => known.all[k].parent === undefined);
  const rootB = [...sb.nodes.keys()].find((k) => known.all[k].parent === undefined);
  if (rootA !== undefined && rootB !== undefined && rootA !== rootB) {
    const describe = (key: number) => pathOf(known.all[key]).join(' > ');
    notes.push(`the traces start in different operations (A: ${describe(rootA)}, B: ${describe(rootB)}): only calls on the same path from the root match`);
  }
  for (const [label, trace] of [
    ['A', a],
    ['B', b],
  ] as const)
    if (trace.warnings.some((w) => w.code === 'clock-skew'))
      notes.push(`trace ${label}'s clocks disagreed across services and were corrected: its calls' own times compare, the gaps between services less so`);
  const nodes: NodeDiff[] = [];
  const same: NodeDiff[] = [];
  for (const node of known.all) {
    const na = sa.nodes.get(node.key);
    const nb = sb.nodes.get(node.key);
    const change = changeOf(na, nb);
    const failures = failuresOf(na, nb);
    const diff = { node, a: na, b: nb, change, ...(failures && { failures }), criticalDeltaNs: (nb?.criticalNs ?? 0) - (na?.criticalNs ?? 0) };
    (change === 'same' && !failures ? same : nodes).push(diff);
  }
  nodes.sort(
    (x, y) =>
      Number(y.failures !== undefined) - Number(x.failures !== undefined) ||
      Math.abs(y.criticalDeltaNs) - Math.abs(x.criticalDeltaNs) ||
      x.node.depth - y.node.depth,
  );
  if (!nodes.length && a.spans.length && b.spans.length)
    notes.push('the traces ran the same calls, the same number of times, within 5% (or 1 ms) of each other, failing alike');
  return { a: { traceId: a.traceId, durationNs: sa.durationNs }, b: { traceId: b.traceId, durationNs: sb.durationNs }, nodes, same, notes };
}
