// Where the request's failure began and how far it went: the origin (failureOrigin.ts), the failing callers above it, and
// the services it crossed ("began in payments · POST /charge, reached frontend through 3 services"). A caller that
// failed while a span below it was still running gave up waiting for it: a timeout, cascading up.
import { isError, type Span } from '../../model/trace';
import { failureOrigin } from '../failureOrigin';
import type { SpanTree } from '../spanTree';
import { responseStatus } from './callFacts';
import type { DetectorContext } from './detectorContext';
import { fingerprintOf, type Finding } from './finding';

/** A caller gave up when something below it ended this much later than it did. */
const GAVE_UP_TOLERANCE_NS = 1_000_000;

function label(span: Span): string {
  return `${span.resource.serviceName} · ${span.name.slice(0, 80)}`;
}

/** Why the origin failed, in a few words: its exception type, HTTP status or status message. */
function cause(span: Span): string | undefined {
  const exception = span.events.find((e) => e.name === 'exception')?.attributes['exception.type'];
  if (typeof exception === 'string' && exception) return exception.slice(0, 80);
  const status = responseStatus(span);
  if (status !== undefined && status >= 400) return `HTTP ${status}`;
  return span.status.message?.slice(0, 80) || undefined;
}

/** The latest end below each span, its own included (one pass over the tree, bottom-up). */
function latestEnds(spans: Span[], tree: SpanTree): Float64Array {
  const ends = new Float64Array(spans.length);
  for (let i = 0; i < spans.length; i++) ends[i] = spans[i].startNs + spans[i].durationNs;
  for (let r = tree.order.length - 1; r >= 0; r--) {
    const i = tree.order[r];
    const p = tree.parent[i];
    if (p >= 0 && ends[i] > ends[p]) ends[p] = ends[i];
  }
  return ends;
}

/** The deepest span below `i` that was still running when `i` ended: down the branch that ended last. */
function stillRunning(spans: Span[], tree: SpanTree, ends: Float64Array, i: number): number {
  let node = i;
  for (;;) {
    let latest = -1;
    for (let c = tree.childStart[node]; c < tree.childStart[node + 1]; c++) {
      const child = tree.childList[c];
      if (latest < 0 || ends[child] > ends[latest]) latest = child;
    }
    if (latest < 0 || ends[latest] <= spans[node].startNs + spans[node].durationNs) return node;
    node = latest;
  }
}

/**
 * A client span that received a failure response, though not marked failed itself: HTTP instrumentations leave
 * a client's 4xx unset as often as not. It hands the failure to its caller, which decides whether it recovered.
 */
function carriesFailure(span: Span): boolean {
  return span.kind === 'client' && (responseStatus(span) ?? 0) >= 400;
}

export function failureChains({ trace, tree }: DetectorContext): Finding[] {
  const spans = trace.spans;
  const origin = failureOrigin(trace, tree);
  if (origin < 0) return [];
  const chain = [origin];
  for (let up = tree.parent[origin]; up >= 0 && (isError(spans[up]) || carriesFailure(spans[up])); up = tree.parent[up]) chain.push(up);
  // A caller that waited for the failing work and did not fail recovered from it (a retry that worked, a
  // fallback): that is no failure of the request. Work nobody waits for (a message's consumer) did fail.
  const caller = tree.parent[chain[chain.length - 1]];
  if (caller >= 0 && spans[caller].kind !== 'consumer' && spans[caller].kind !== 'producer') return [];
  const services: string[] = [];
  for (const i of chain) if (services[services.length - 1] !== spans[i].resource.serviceName) services.push(spans[i].resource.serviceName);
  const ends = latestEnds(spans, tree);
  const gaveUp = chain.find((i) => ends[i] > spans[i].startNs + spans[i].durationNs + GAVE_UP_TOLERANCE_NS);
  const top = spans[chain[chain.length - 1]];
  const why = cause(spans[origin]);
  const reach = services.length > 1 ? `, reached ${top.resource.serviceName} through ${services.length} services` : '';
  const waitedFor = gaveUp === undefined ? undefined : stillRunning(spans, tree, ends, gaveUp);
  const who = gaveUp === origin ? 'it' : label(spans[gaveUp ?? origin]);
  const timeouts = waitedFor === undefined ? '' : `; ${who} gave up waiting for ${label(spans[waitedFor])} (a timeout)`;
  return [
    {
      kind: 'failure-origin',
      severity: 'error',
      title: `Failure began in ${label(spans[origin])}${why ? ` (${why})` : ''}${reach}${timeouts}`,
      spans: chain.slice().reverse(),
      anchor: origin,
      fingerprint: fingerprintOf('failure-origin', spans[origin].resource.serviceName, spans[origin].name, why),
      durationNs: spans[origin].durationNs,
    },
  ];
}
