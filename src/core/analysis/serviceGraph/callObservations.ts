// The calls between services one trace shows, as Tempo's service graphs pair them: a CLIENT span with its SERVER
// child, a PRODUCER with its CONSUMER (a child, or a consumer linked to it), and a parent in one service with a
// child in another where the tracer records no kinds. A CLIENT span nobody answered is a call to a peer that is
// not instrumented: a virtual node named, in order, by peer.service, server.address, network.peer.address:port,
// db.namespace or db.name, db.system.name or db.system (a database or a message system is a node type of its
// own). A root SERVER span with no client is called from "clients".
import { intAttribute, textAttribute } from '../../model/attributeRead';
import { isError, type Span, type Trace } from '../../model/trace';
import { parentIndexes } from '../../model/parentIndex';

export type NodeType = 'service' | 'database' | 'messaging' | 'external' | 'clients';

export interface NodeRef {
  name: string;
  type: NodeType;
}

export interface CallObservation {
  from: NodeRef;
  to: NodeRef;
  /** The operation called: the server (or consumer) span's name, else the client's. */
  operation: string;
  /** The caller's and the callee's view of the call's duration, where each side recorded it. */
  clientNs?: number;
  serverNs?: number;
  failed: boolean;
  /** The span that shows the call best (the server's, else the client's): an exemplar. */
  spanId: string;
}

/** The callers of root SERVER spans: browsers, load balancers, anything not instrumented. */
export const CLIENTS: NodeRef = { name: 'clients', type: 'clients' };
const NO_SERVICE = '(no service name)';

/** Spans share their resource: one node reference per resource, not one object per call (a million calls). */
const serviceRefs = new WeakMap<Span['resource'], NodeRef>();

function serviceOf(span: Span): NodeRef {
  let ref = serviceRefs.get(span.resource);
  if (!ref) serviceRefs.set(span.resource, (ref = { name: span.resource.serviceName || NO_SERVICE, type: 'service' }));
  return ref;
}

/**
 * Who a client or producer span called when nothing answered it here. A message goes to its destination (the
 * queue or topic), which its consumers read from: both sides name the same node.
 */
export function virtualPeer(span: Span): NodeRef {
  const a = span.attributes;
  const messaging = textAttribute(a, 'messaging.system');
  const database = textAttribute(a, 'db.system.name', 'db.system');
  const named = textAttribute(a, 'peer.service') ?? textAttribute(a, 'server.address', 'net.peer.name');
  if (!database && (messaging || span.kind === 'producer' || span.kind === 'consumer'))
    return { name: textAttribute(a, 'messaging.destination.name') ?? named ?? messaging ?? 'queue', type: 'messaging' };
  const address = textAttribute(a, 'network.peer.address', 'net.sock.peer.addr');
  const port = intAttribute(a, 'network.peer.port', 'net.sock.peer.port');
  const name =
    named ?? (address ? (port ? `${address}:${port}` : address) : undefined) ?? textAttribute(a, 'db.namespace', 'db.name') ?? database ?? 'unknown peer';
  return { name, type: database ? 'database' : 'external' };
}

function isCaller(span: Span): boolean {
  return span.kind === 'client' || span.kind === 'producer';
}

function isCallee(span: Span): boolean {
  return span.kind === 'server' || span.kind === 'consumer';
}

function kindless(span: Span): boolean {
  return span.kind === 'internal' || span.kind === 'unspecified';
}

/**
 * One call as its fields, not an object: a service map of a million spans meets about as many calls, and an
 * object for each was most of its cost.
 */
export type CallVisitor = (
  from: NodeRef,
  to: NodeRef,
  operation: string,
  clientNs: number | undefined,
  serverNs: number | undefined,
  failed: boolean,
  spanId: string,
  /** The span that shows the call best (the callee's, else the caller's): read, never kept. */
  span: Span,
) => void;

/** The trace's calls as objects (for tests, the CLI's few traces and one trace's path on the map). */
export function observeCalls(trace: Trace): CallObservation[] {
  const observed: CallObservation[] = [];
  visitCalls(trace, (from, to, operation, clientNs, serverNs, failed, spanId) => {
    const call: CallObservation = { from, to, operation, failed, spanId };
    if (clientNs !== undefined) call.clientNs = clientNs;
    if (serverNs !== undefined) call.serverNs = serverNs;
    observed.push(call);
  });
  return observed;
}

/**
 * `parents`: each span's parent by index (a SpanTree's `parent`), where the caller has built the tree already
 * (the receiver, for the trace's findings): the lookup by id is most of what finding the calls costs.
 */
export function visitCalls(trace: Trace, visit: CallVisitor, parents: Int32Array = parentIndexes(trace.spans)): void {
  const { spans } = trace;
  const answered = new Uint8Array(spans.length);
  let byId: Map<string, number> | undefined;
  /** Only a consumer's links are looked up by id: rare, so the map is made when one needs it. */
  const indexOf = (spanId: string) => {
    if (!byId) {
      byId = new Map();
      for (let i = 0; i < spans.length; i++) byId.set(spans[i].spanId, i);
    }
    return byId.get(spanId);
  };
  const pair = (caller: number, callee: number) => {
    const c = spans[caller];
    const s = spans[callee];
    answered[caller] = 1;
    visit(serviceOf(c), serviceOf(s), s.name, c.durationNs, s.durationNs, isError(c) || isError(s), s.spanId, s);
  };
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    // Only callees and kindless spans are paired with their parent: a caller's parent is never looked up.
    if (!isCallee(span) && !kindless(span)) continue;
    const p = parents[i];
    const parent = p >= 0 && p !== i ? spans[p] : undefined;
    if (isCallee(span)) {
      if (parent && isCaller(parent)) pair(p, i);
      else {
        // A consumer linked to the producer that sent its message (a queue that starts a new trace keeps a link).
        const linked = span.kind === 'consumer' ? span.links.map((l) => indexOf(l.spanId)).find((j) => j !== undefined && isCaller(spans[j])) : undefined;
        if (linked !== undefined) pair(linked, i);
        else if (!parent || parent.resource.serviceName !== span.resource.serviceName) {
          // A consumer with no producer here read from a queue; a server with no caller here, from clients.
          const from = parent ? serviceOf(parent) : span.kind === 'consumer' ? virtualPeer(span) : CLIENTS;
          visit(from, serviceOf(span), span.name, undefined, span.durationNs, isError(span), span.spanId, span);
        }
      }
    } else if (parent && kindless(span) && kindless(parent) && parent.resource.serviceName !== span.resource.serviceName) {
      visit(serviceOf(parent), serviceOf(span), span.name, undefined, span.durationNs, isError(span), span.spanId, span);
    }
  }
  // Calls nobody answered here: to a database, a message system or a service that is not instrumented.
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (answered[i] || !(isCaller(span) || (kindless(span) && textAttribute(span.attributes, 'db.system.name', 'db.system')))) continue;
    visit(serviceOf(span), virtualPeer(span), span.name, span.durationNs, undefined, isError(span), span.spanId, span);
  }
}
