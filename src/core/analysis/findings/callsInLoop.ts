// Calls in a loop, the back-end N+1: one endpoint (peer, method, path template) called again and again under one
// parent, one call after another: at least 5 calls and 100 ms in all. Other work between the calls does not
// break the loop (a loop body often does more than the call). Failed repeats are a retry storm's, not this.
import { callFailed, callLabel } from './callFacts';
import { REMOTE_CALL } from './callIndex';
import type { DetectorContext } from './detectorContext';
import type { Finding } from './finding';
import { ranInSequence, repeatedChildren, repeatFinding, totalDuration } from './repeats';
import { MS } from './thresholds';

export function callsInLoops({ trace, tree, calls, thresholds }: DetectorContext): Finding[] {
  const spans = trace.spans;
  return repeatedChildren(tree, calls, REMOTE_CALL, thresholds.callRepeats, false)
    .filter(({ group }) => group.filter((i) => callFailed(spans[i])).length * 2 < group.length)
    .filter(({ group }) => totalDuration(spans, group) >= thresholds.callTotalMs * MS && ranInSequence(spans, group))
    .map((repeats) => repeatFinding(spans, 'calls-in-loop', callLabel(spans[repeats.group[0]]), repeats));
}
