// Calls in a loop, the back-end N+1: one endpoint (peer, method, path template) called again and again under one
// parent, one call after another: at least 5 calls and 100 ms in all. Other work between the calls does not
// break the loop (a loop body often does more than the call). Failed repeats are a retry storm's, not this.
import { formatDuration } from '../formatDuration';
import { callFailed, callLabel } from './callFacts';
import { REMOTE_CALL } from './callIndex';
import type { DetectorContext } from './detectorContext';
import { fingerprintOf, type Finding } from './finding';
import { longest, ranInSequence, repeatedChildren, totalDuration } from './repeats';
import { MS } from './thresholds';

export function callsInLoops({ trace, tree, calls, thresholds }: DetectorContext): Finding[] {
  const spans = trace.spans;
  const findings: Finding[] = [];
  for (const { parent, key, group } of repeatedChildren(tree, calls, REMOTE_CALL, thresholds.callRepeats, false)) {
    const failures = group.filter((i) => callFailed(spans[i])).length;
    if (failures * 2 >= group.length) continue;
    const total = totalDuration(spans, group);
    if (total < thresholds.callTotalMs * MS || !ranInSequence(spans, group)) continue;
    const loop = spans[parent];
    findings.push({
      kind: 'calls-in-loop',
      severity: 'warning',
      title: `Calls in a loop: ${group.length} × ${callLabel(spans[group[0]])} (${formatDuration(total)})`,
      spans: group,
      anchor: parent,
      call: group[0],
      fingerprint: fingerprintOf('calls-in-loop', loop.resource.serviceName, loop.name, key),
      durationNs: total,
      savingNs: total - longest(spans, group),
    });
  }
  return findings;
}
