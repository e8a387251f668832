// The service map of the traces held, kept up to date as traces come and go: each trace's calls are added to
// its edges and nodes (counts, errors, latency sketches on both sides), and subtracted when the trace leaves or
// is replaced by a fuller copy, so nothing is rescanned. A snapshot adds what needs the whole graph: the
// cycles (services that call each other round, in one trace or across traces).
import { LatencySketch } from '../../stats/latencySketch';
import { visitCalls, type NodeRef } from './callObservations';
import type { Span, Trace } from '../../model/trace';
import { codeClues, type CodeClue } from '../../code/codeClues';
import { cycleNodes } from './cycles';
import type { MapEdge, MapNode, ServiceMap } from './serviceMap';

interface Operation {
  calls: number;
  errors: number;
  sketch: LatencySketch;
  /** Where its first span said its code is: the map's link to the code, resolved as CodeLens places spans. */
  clues: CodeClue[];
}

interface NodeState {
  id: string;
  ref: NodeRef;
  requests: number;
  errors: number;
  sketch: LatencySketch;
  operations: Map<string, Operation>;
  /** Edges that start or end here: a node with none left goes. */
  degree: number;
  /** Its edges out, by the node they go to: found without building a key. */
  out: Map<NodeState, EdgeState>;
}

interface Exemplar {
  traceId: string;
  spanId: string;
  durationNs: number;
}

interface EdgeState {
  from: NodeState;
  to: NodeState;
  calls: number;
  errors: number;
  client: LatencySketch;
  server: LatencySketch;
  /** Traces with this edge, and how many of them called it more than once with the same operation. */
  traces: number;
  duplicated: number;
  operations: Map<string, number>;
  slowest?: Exemplar;
  latestFailing?: Exemplar;
  /** The serial of the last trace that called it, and of the last that called it twice alike (see add). */
  seenIn: number;
  duplicatedIn: number;
  /** The serial of the last trace that called each operation: a second call in the same trace is a duplicate. */
  calledIn: Map<string, number>;
}

/**
 * What one trace added, to take back out when it leaves: per call (by index) its edge, operation, both sides'
 * times (NaN where not recorded), failure and exemplar span, as columns of exactly its size (copied from the
 * graph's scratch columns once the trace is visited: no arrays grown and thrown away per trace).
 */
interface Contribution {
  callEdges: EdgeState[];
  operations: string[];
  clientNs: Float64Array;
  serverNs: Float64Array;
  failed: Uint8Array;
  spanIds: string[];
  /** Edges the trace had, and those it called with one operation more than once. */
  edges: EdgeState[];
  duplicated: EdgeState[];
}

/** Columns one trace's calls are written to before its contribution is cut from them. */
class ScratchColumns {
  callEdges: EdgeState[] = [];
  operations: string[] = [];
  spanIds: string[] = [];
  clientNs = new Float64Array(1024);
  serverNs = new Float64Array(1024);
  failed = new Uint8Array(1024);
  length = 0;

  push(edge: EdgeState, operation: string, clientNs: number, serverNs: number, failed: boolean, spanId: string): void {
    const i = this.length++;
    if (i === this.failed.length) this.grow();
    this.callEdges[i] = edge;
    this.operations[i] = operation;
    this.spanIds[i] = spanId;
    this.clientNs[i] = clientNs;
    this.serverNs[i] = serverNs;
    this.failed[i] = failed ? 1 : 0;
  }

  private grow(): void {
    const size = this.failed.length * 2;
    const wider = <T extends Float64Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
    this.clientNs = wider(this.clientNs, new Float64Array(size));
    this.serverNs = wider(this.serverNs, new Float64Array(size));
    this.failed = wider(this.failed, new Uint8Array(size));
  }

  /** The calls written since the last cut, as a contribution; the scratch is empty again (its references dropped). */
  cut(edges: EdgeState[], duplicated: EdgeState[]): Contribution {
    const n = this.length;
    const contribution = {
      callEdges: this.callEdges.slice(0, n),
      operations: this.operations.slice(0, n),
      clientNs: this.clientNs.slice(0, n),
      serverNs: this.serverNs.slice(0, n),
      failed: this.failed.slice(0, n),
      spanIds: this.spanIds.slice(0, n),
      edges,
      duplicated,
    };
    this.length = this.callEdges.length = this.operations.length = this.spanIds.length = 0;
    return contribution;
  }
}

const MAX_OPERATIONS = 50;
const MAX_REMEMBERED_NAMES = 1_000;

function sketch(s: LatencySketch, ns: number | undefined, sign: 1 | -1): void {
  if (ns === undefined) return;
  if (sign > 0) s.add(ns);
  else s.remove(ns);
}

export class ServiceGraph {
  /** Nodes by type, then name. */
  private readonly nodes = new Map<string, Map<string, NodeState>>();
  private readonly edges = new Set<EdgeState>();
  private readonly byTrace = new Map<string, Contribution>();
  /** Edges whose exemplar's trace left: found again among the traces held when a snapshot is taken. */
  private readonly exemplarsLost = new Set<EdgeState>();
  private readonly scratch = new ScratchColumns();
  /** Numbers the traces as they are added (see EdgeState.seenIn). */
  private serial = 0;

  get traces(): number {
    return this.byTrace.size;
  }

  /** A trace's calls; a trace added before is replaced (its spans may have grown). `parents`: see visitCalls. */
  add(trace: Trace, parents?: Int32Array): void {
    const { traceId } = trace;
    this.remove(traceId);
    const serial = ++this.serial;
    const edges: EdgeState[] = [];
    const duplicated: EdgeState[] = [];
    const scratch = this.scratch;
    visitCalls(
      trace,
      (from, to, operation, client, server, failed, spanId, span) => {
        const edge = this.edge(this.node(from), this.node(to));
        if (edge.seenIn !== serial) {
          edge.seenIn = serial;
          edge.traces++;
          edges.push(edge);
          // Kept for the current trace only: an edge's names must not pile up over millions of traces.
          if (edge.calledIn.size > MAX_REMEMBERED_NAMES) edge.calledIn.clear();
        }
        if (edge.duplicatedIn !== serial) {
          if (edge.calledIn.get(operation) === serial) {
            edge.duplicatedIn = serial;
            edge.duplicated++;
            duplicated.push(edge);
          } else edge.calledIn.set(operation, serial);
        }
        this.count(edge, operation, client, server, failed, 1, span);
        this.keepExemplar(edge, traceId, spanId, server ?? client ?? 0, failed);
        scratch.push(edge, operation, client ?? NaN, server ?? NaN, failed, spanId);
      },
      parents,
    );
    this.byTrace.set(traceId, scratch.cut(edges, duplicated));
  }

  remove(traceId: string): void {
    const gone = this.byTrace.get(traceId);
    if (!gone) return;
    this.byTrace.delete(traceId);
    const known = (ns: number) => (Number.isNaN(ns) ? undefined : ns);
    gone.callEdges.forEach((edge, i) => {
      this.count(edge, gone.operations[i], known(gone.clientNs[i]), known(gone.serverNs[i]), gone.failed[i] === 1, -1);
      // An exemplar of a trace that left is no longer one: the next snapshot finds the next among those held.
      if (edge.slowest?.traceId !== traceId && edge.latestFailing?.traceId !== traceId) return;
      if (edge.slowest?.traceId === traceId) edge.slowest = undefined;
      if (edge.latestFailing?.traceId === traceId) edge.latestFailing = undefined;
      this.exemplarsLost.add(edge);
    });
    for (const edge of gone.duplicated) edge.duplicated--;
    for (const edge of gone.edges) {
      edge.traces--;
      if (edge.calls > 0) continue;
      this.edges.delete(edge);
      edge.from.out.delete(edge.to);
      for (const end of [edge.from, edge.to]) if (--end.degree === 0) this.nodes.get(end.ref.type)!.delete(end.ref.name);
    }
  }

  private node(ref: NodeRef): NodeState {
    let byName = this.nodes.get(ref.type);
    if (!byName) this.nodes.set(ref.type, (byName = new Map()));
    let node = byName.get(ref.name);
    if (!node)
      byName.set(
        ref.name,
        (node = { id: `${ref.type}:${ref.name}`, ref, requests: 0, errors: 0, sketch: new LatencySketch(), operations: new Map(), degree: 0, out: new Map() }),
      );
    return node;
  }

  private edge(from: NodeState, to: NodeState): EdgeState {
    let edge = from.out.get(to);
    if (!edge) {
      edge = {
        from,
        to,
        calls: 0,
        errors: 0,
        client: new LatencySketch(),
        server: new LatencySketch(),
        traces: 0,
        duplicated: 0,
        operations: new Map(),
        seenIn: 0,
        duplicatedIn: 0,
        calledIn: new Map(),
      };
      from.out.set(to, edge);
      this.edges.add(edge);
      from.degree++;
      to.degree++;
    }
    return edge;
  }

  /** Adds (sign 1) or takes back (sign -1) one call on its edge and on the node called; `span`, when adding, gives a new operation its code clues. */
  private count(
    edge: EdgeState,
    operation: string,
    clientNs: number | undefined,
    serverNs: number | undefined,
    failed: boolean,
    sign: 1 | -1,
    span?: Span,
  ): void {
    const to = edge.to;
    const failure = failed ? sign : 0;
    edge.calls += sign;
    edge.errors += failure;
    sketch(edge.client, clientNs, sign);
    sketch(edge.server, serverNs, sign);
    const ops = edge.operations;
    const before = ops.get(operation);
    const n = (before ?? 0) + sign;
    if (n <= 0) ops.delete(operation);
    else if (before !== undefined || ops.size < MAX_OPERATIONS) ops.set(operation, n);
    const durationNs = serverNs ?? clientNs ?? 0;
    // What a node served: the calls into it, as its server side saw them ("clients" serve nothing).
    if (to.ref.type !== 'clients') {
      to.requests += sign;
      to.errors += failure;
      if (durationNs) sketch(to.sketch, durationNs, sign);
      let op = to.operations.get(operation);
      if (!op && span && to.operations.size < MAX_OPERATIONS)
        to.operations.set(operation, (op = { calls: 0, errors: 0, sketch: new LatencySketch(), clues: codeClues(span) }));
      if (op) {
        op.calls += sign;
        op.errors += failure;
        if (durationNs) sketch(op.sketch, durationNs, sign);
        if (op.calls <= 0) to.operations.delete(operation);
      }
    }
  }

  /** The edge's slowest call and latest failing one, as examples to open. */
  private keepExemplar(edge: EdgeState, traceId: string, spanId: string, durationNs: number, failed: boolean): void {
    if (!edge.slowest || durationNs > edge.slowest.durationNs) edge.slowest = { traceId, spanId, durationNs };
    if (failed) edge.latestFailing = { traceId, spanId, durationNs };
  }

  /** One pass over what the held traces added, for the edges that lost an exemplar (in the order traces came). */
  private findLostExemplars(): void {
    if (!this.exemplarsLost.size) return;
    for (const [traceId, c] of this.byTrace)
      c.callEdges.forEach((edge, i) => {
        if (!this.exemplarsLost.has(edge)) return;
        const durationNs = Number.isNaN(c.serverNs[i]) ? (Number.isNaN(c.clientNs[i]) ? 0 : c.clientNs[i]) : c.serverNs[i];
        this.keepExemplar(edge, traceId, c.spanIds[i], durationNs, c.failed[i] === 1);
      });
    this.exemplarsLost.clear();
  }

  snapshot(): ServiceMap {
    this.findLostExemplars();
    const inCycle = cycleNodes([...this.edges].map((e) => ({ from: e.from.id, to: e.to.id })));
    const quantiles = (s: LatencySketch) => (s.count ? { p50Ns: s.quantile(0.5), p95Ns: s.quantile(0.95), p99Ns: s.quantile(0.99) } : undefined);
    const nodes: MapNode[] = [...this.nodes.values()]
      .flatMap((byName) => [...byName.values()])
      .map((n) => ({
        id: n.id,
        name: n.ref.name,
        type: n.ref.type,
        requests: n.requests,
        errors: n.errors,
        p95Ns: n.sketch.count ? n.sketch.quantile(0.95) : undefined,
        inCycle: inCycle.has(n.id),
        operations: [...n.operations]
          .map(([name, op]) => ({
            name,
            calls: op.calls,
            errors: op.errors,
            p50Ns: op.sketch.quantile(0.5),
            p95Ns: op.sketch.quantile(0.95),
            clues: op.clues,
          }))
          .sort((a, b) => b.calls - a.calls),
      }));
    const edges: MapEdge[] = [...this.edges].map((e) => ({
      from: e.from.id,
      to: e.to.id,
      calls: e.calls,
      errors: e.errors,
      traces: e.traces,
      callsPerTrace: e.traces ? e.calls / e.traces : 0,
      tracesWithDuplicates: e.duplicated,
      client: quantiles(e.client),
      server: quantiles(e.server),
      inCycle: inCycle.has(e.from.id) && inCycle.get(e.from.id) === inCycle.get(e.to.id),
      operations: [...e.operations].sort((a, b) => b[1] - a[1]).map(([name, calls]) => ({ name, calls })),
      slowest: e.slowest,
      latestFailing: e.latestFailing,
    }));
    return { from: 'traces', traces: this.byTrace.size, nodes, edges, notes: [] };
  }
}
