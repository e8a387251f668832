// N+1 queries, Sentry's rule: one statement (literals aside) repeated under one parent, one after another, at
// least 5 times and 50 ms in all; any other kind of span between them ends the run. One query fetching all
// rows at once would take about as long as the longest of them.
import { formatDuration } from '../formatDuration';
import { QUERY } from './callIndex';
import type { DetectorContext } from './detectorContext';
import { fingerprintOf, type Finding } from './finding';
import { longest, ranInSequence, repeatedChildren, totalDuration } from './repeats';
import { MS } from './thresholds';

export function nPlusOneQueries({ trace, tree, calls, thresholds }: DetectorContext): Finding[] {
  const spans = trace.spans;
  const findings: Finding[] = [];
  for (const { parent, key, group } of repeatedChildren(tree, calls, QUERY, thresholds.queryRepeats, true)) {
    const total = totalDuration(spans, group);
    if (total < thresholds.queryTotalMs * MS || !ranInSequence(spans, group)) continue;
    const loop = spans[parent];
    findings.push({
      kind: 'n-plus-one-query',
      severity: 'warning',
      title: `N+1 query: ${group.length} × ${key.slice(0, 120)} (${formatDuration(total)})`,
      spans: group,
      anchor: parent,
      call: group[0],
      fingerprint: fingerprintOf('n-plus-one-query', loop.resource.serviceName, loop.name, key),
      durationNs: total,
      savingNs: total - longest(spans, group),
    });
  }
  return findings;
}
