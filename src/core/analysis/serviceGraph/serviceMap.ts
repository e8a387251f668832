// The service map as it travels to a view, the CLI and an agent: plain data. Built from traces (every figure),
// or from a backend's own dependency graph (call and error counts only: the notes say what it lacks).
import type { CodeClue } from '../../code/codeClues';
import type { DependencyLink } from '../../sources/traceSource';
import type { NodeType } from './callObservations';
import { cycleNodes } from './cycles';

export interface MapNode {
  /** `type:name`, unique. */
  id: string;
  name: string;
  type: NodeType;
  /** Calls into it, and how many failed. */
  requests: number;
  errors: number;
  p95Ns?: number;
  inCycle: boolean;
  /** `clues`: what the first span of the operation said about its code (its route, code.* attributes, a stack). */
  operations: { name: string; calls: number; errors: number; p50Ns: number; p95Ns: number; clues: CodeClue[] }[];
}

export interface MapEdge {
  from: string;
  to: string;
  calls: number;
  errors: number;
  /** Traces with the call, calls per such trace (fan-out), and traces that made one operation of it more than once. */
  traces: number;
  callsPerTrace: number;
  tracesWithDuplicates: number;
  /** The caller's and the callee's view of its latency, where recorded. */
  client?: { p50Ns: number; p95Ns: number; p99Ns: number };
  server?: { p50Ns: number; p95Ns: number; p99Ns: number };
  inCycle: boolean;
  operations: { name: string; calls: number }[];
  slowest?: { traceId: string; spanId: string; durationNs: number };
  latestFailing?: { traceId: string; spanId: string; durationNs: number };
}

export interface ServiceMap {
  /** Where it comes from: the traces held, or a backend's dependency API (named). */
  from: 'traces' | { backend: string };
  traces: number;
  nodes: MapNode[];
  edges: MapEdge[];
  notes: string[];
}

/** A backend's dependency graph as a map: its links' counts, and what it does not tell. */
export function mapFromDependencies(links: DependencyLink[], backend: string, window: string): ServiceMap {
  const nodes = new Map<string, MapNode>();
  const node = (name: string) => {
    const id = `service:${name}`;
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { id, name, type: 'service', requests: 0, errors: 0, inCycle: false, operations: [] }));
    return n;
  };
  const edges: MapEdge[] = links.map((link) => {
    const from = node(link.parent);
    const to = node(link.child);
    to.requests += link.callCount;
    to.errors += link.errorCount ?? 0;
    return {
      from: from.id,
      to: to.id,
      calls: link.callCount,
      errors: link.errorCount ?? 0,
      traces: 0,
      callsPerTrace: 0,
      tracesWithDuplicates: 0,
      inCycle: false,
      operations: [],
    };
  });
  const errorsKnown = links.some((l) => l.errorCount !== undefined);
  const inCycle = cycleNodes(edges);
  for (const n of nodes.values()) n.inCycle = inCycle.has(n.id);
  for (const e of edges) e.inCycle = inCycle.has(e.from) && inCycle.get(e.from) === inCycle.get(e.to);
  return {
    from: { backend },
    traces: 0,
    nodes: [...nodes.values()],
    edges,
    notes: [
      `${backend}'s own dependency graph over ${window}: call counts${errorsKnown ? ' and errors' : ''} only (no latency, no operations, no databases or queues it does not trace)`,
    ],
  };
}
