// The merged call tree under every comparison: spans keyed by their ancestral path of (service, normalised span
// name), so the same call in two traces (or in 5,000) is one node. Ids and numbers in names are normalised; a
// client span with a single server child of its call is folded into that child, as Jaeger's trace compare does
// (the two halves of one call are one step of the path). Per node and per trace: how many spans, their total and
// self time, their time on the critical path, and how many failed.
import { isError, type Span, type Trace } from '../../model/trace';
import { computeCriticalPath } from '../criticalPath';
import { computeSelfTimes } from '../selfTime';
import { buildSpanTree, type SpanTree } from '../spanTree';
import type { NodeSample } from './reportTypes';
import type { SampleTable } from './sampleTable';

export type { NodeSample } from './reportTypes';

export interface CallNode {
  /** Unique per path (the path is the parent's plus service and name): its index in CallNodes.all. */
  key: number;
  service: string;
  name: string;
  depth: number;
  parent: CallNode | undefined;
}

/** A node's path from the root, "service · name" per step (walked when shown: most nodes never are). */
export function pathOf(node: CallNode): string[] {
  const steps: string[] = [];
  for (let at: CallNode | undefined = node; at; at = at.parent) steps.unshift(`${at.service} · ${at.name}`);
  return steps;
}

export interface TraceCalls {
  traceId: string;
  durationNs: number;
  nodes: Map<number, NodeSample>;
}

const ID_LIKE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b|\d+/gi;

/** A span name with ids and numbers replaced: "GET /orders/42" and "GET /orders/7" are one call. */
export function normaliseSpanName(name: string): string {
  return name.slice(0, 300).replace(ID_LIKE, (m) => (/^\d+$/.test(m) ? '{n}' : '{id}'));
}

/** Names repeat across spans: each is normalised once (a bounded cache: hostile names are all different). */
const MAX_CACHED_NAMES = 10_000;
/** Steps per parent in a node's number key. */
const STEP_RANGE = 2 ** 21;

/** Keeps the nodes seen across traces (one description per key), so samples can stay small. */
export class CallNodes {
  /** Every node seen, by key. */
  readonly all: CallNode[] = [];
  /** A number per (service, name) step: few, however many nodes there are. */
  private readonly steps = new Map<string, Map<string, number>>();
  private stepCount = 0;
  /** A node's key by its parent's key (-1 for a root) and step, as one number: no string and no map per node. */
  private readonly children = new Map<number, number>();
  private readonly names = new Map<string, string>();

  /** `met` hears of each node when it is first seen, with the span it was first seen in (for its code). */
  constructor(private readonly met?: (node: CallNode, span: Span) => void) {}

  private nameOf(raw: string): string {
    let name = this.names.get(raw);
    if (name === undefined) {
      name = normaliseSpanName(raw);
      if (this.names.size < MAX_CACHED_NAMES) this.names.set(raw, name);
    }
    return name;
  }

  private stepOf(service: string, name: string): number {
    let byName = this.steps.get(service);
    if (!byName) this.steps.set(service, (byName = new Map()));
    let step = byName.get(name);
    // Past the range (only hostile data has two million distinct names) new names share the last step.
    if (step === undefined) byName.set(name, (step = Math.min(this.stepCount++, STEP_RANGE - 1)));
    return step;
  }

  private keyOf(parentKey: number, span: Span, depth: number): number {
    const service = span.resource.serviceName;
    const name = this.nameOf(span.name);
    // Unique while there are fewer than 2^21 steps and 2^31 nodes: within a double's exact integers.
    const step = this.stepOf(service, name);
    const edge = (parentKey + 1) * STEP_RANGE + step;
    let key = this.children.get(edge);
    if (key === undefined) {
      key = this.all.length;
      this.children.set(edge, key);
      const node = { key, service, name: step === STEP_RANGE - 1 ? '(other names)' : name, depth, parent: this.all[parentKey] };
      this.all.push(node);
      this.met?.(node, span);
    }
    return key;
  }

  /** One trace's samples per node, with each node's time on the critical path; its nodes are added to the known ones. */
  sample(trace: Trace): TraceCalls {
    const nodes = new Map<number, NodeSample>();
    const durationNs = this.walk(trace, true, (key, span, selfNs, criticalNs) => {
      let sample = nodes.get(key);
      if (!sample) nodes.set(key, (sample = { count: 0, totalNs: 0, selfNs: 0, criticalNs: 0, errors: 0, firstSpanId: span.spanId }));
      sample.count++;
      sample.totalNs += span.durationNs;
      sample.selfNs += selfNs;
      sample.criticalNs += criticalNs;
      if (isError(span)) sample.errors++;
    });
    return { traceId: trace.traceId, durationNs, nodes };
  }

  /**
   * One trace of a group, written as rows of the group's table (no critical path: groups are not ranked by it,
   * and it is a third of the cost). Returns the trace's duration.
   */
  sampleInto(trace: Trace, table: SampleTable): number {
    table.beginTrace(trace.traceId);
    const durationNs = this.walk(trace, false, (key, span, selfNs) => table.addSpan(key, span.durationNs, selfNs, isError(span), span.spanId));
    table.endTrace(durationNs);
    return durationNs;
  }

  /** Each span that is a step of a path, with its node's key, its self time and its time on the critical path; returns the trace's duration. */
  private walk(trace: Trace, withCriticalPath: boolean, each: (key: number, span: Span, selfNs: number, criticalNs: number) => void): number {
    const tree = buildSpanTree(trace);
    const spans = trace.spans;
    const self = computeSelfTimes(trace, tree);
    const critical = withCriticalPath ? computeCriticalPath(trace, tree).spanTimes : new Float64Array(0);
    const keyOf = new Int32Array(spans.length);
    let startNs = Infinity;
    let endNs = 0;
    for (const i of tree.order) {
      const span = spans[i];
      const p = tree.parent[i];
      startNs = Math.min(startNs, span.startNs);
      endNs = Math.max(endNs, span.startNs + span.durationNs);
      const parentKey = p < 0 ? -1 : keyOf[p];
      // The client half of a call with one server child: the child carries the step.
      if (foldsIntoChild(span, tree, i, spans)) {
        keyOf[i] = parentKey;
        continue;
      }
      const key = this.keyOf(parentKey, span, tree.depth[i]);
      keyOf[i] = key;
      each(key, span, self[i], withCriticalPath ? critical[i] : 0);
    }
    return spans.length ? endNs - startNs : 0;
  }
}

function foldsIntoChild(span: Span, tree: SpanTree, i: number, spans: Span[]): boolean {
  if (span.kind !== 'client' && span.kind !== 'producer') return false;
  const first = tree.childStart[i];
  if (tree.childStart[i + 1] - first !== 1) return false;
  const child = spans[tree.childList[first]];
  return child.kind === 'server' || child.kind === 'consumer';
}
