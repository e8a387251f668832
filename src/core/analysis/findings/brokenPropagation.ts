// Broken propagation: where the trace context did not travel with the work (the seeds: background jobs and
// queue processing often break visibility). Three signs: a call to a service known to be instrumented (it serves
// requests in other traces) that has no span below it here; a server or consumer span whose parent is named but
// absent (lost or unsampled); a consumer that starts a trace with no link to the message's producer.
import type { Span } from '../../model/trace';
import { callLabel, peerOf } from './callFacts';
import { REMOTE_CALL } from './callIndex';
import type { DetectorContext } from './detectorContext';
import { fingerprintOf, type Finding } from './finding';

/** One finding per kind of break and place: the spans showing it are listed in it. */
function grouped(spans: Span[], indices: number[], keyOf: (span: Span) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const i of indices) {
    const key = keyOf(spans[i]);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  return groups;
}

export function brokenPropagation({ trace, tree, calls, instrumentedPeers }: DetectorContext): Finding[] {
  const spans = trace.spans;
  const unanswered: number[] = [];
  const orphans: number[] = [];
  const unlinked: number[] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (calls.role[i] === REMOTE_CALL && tree.childStart[i + 1] === tree.childStart[i]) {
      const peer = peerOf(span);
      if (peer !== undefined && peer !== span.resource.serviceName && instrumentedPeers.has(peer)) unanswered.push(i);
    } else if ((span.kind === 'server' || span.kind === 'consumer') && tree.parent[i] < 0 && span.parentSpanId !== undefined) orphans.push(i);
    else if (span.kind === 'consumer' && span.parentSpanId === undefined && span.links.length === 0) unlinked.push(i);
  }
  const findings: Finding[] = [];
  /** One finding per sign and place (service and peer, or service and span name); its spans listed in it. */
  const report = (sign: string, indices: number[], keyOf: (span: Span) => string, title: (span: Span, times: string) => string) => {
    for (const [key, group] of grouped(spans, indices, keyOf)) {
      const first = spans[group[0]];
      findings.push({
        kind: 'broken-propagation',
        severity: 'warning',
        title: `Broken propagation: ${title(first, group.length > 1 ? ` (${group.length}×)` : '')}`,
        spans: group,
        anchor: group[0],
        call: sign === 'unanswered' ? group[0] : undefined,
        fingerprint: fingerprintOf('broken-propagation', sign, key),
        durationNs: first.durationNs,
      });
    }
  };
  const place = (s: Span) => `${s.resource.serviceName}\u0000${s.name}`;
  const named = (s: Span) => `${s.resource.serviceName} · ${s.name.slice(0, 80)}`;
  report(
    'unanswered',
    unanswered,
    (s) => `${s.resource.serviceName}\u0000${peerOf(s)}`,
    (s, times) =>
      `${s.resource.serviceName} called ${callLabel(s)} but no span of ${peerOf(s)} is below the call${times}: the trace context was not sent, or not read there`,
  );
  report('orphan', orphans, place, (s, times) => `the parent of ${named(s)} is not in the trace${times} (lost, or not sampled upstream)`);
  report('unlinked', unlinked, place, (s, times) => `${named(s)} consumed a message that carried no trace context${times}: its producer's trace is not linked`);
  return findings;
}
