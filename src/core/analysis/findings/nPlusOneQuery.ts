// N+1 queries, Sentry's rule: one statement (literals aside) repeated under one parent, one after another, at
// least 5 times and 50 ms in all; any other kind of span between them ends the run. One query fetching all
// rows at once would take about as long as the longest of them.
import { QUERY } from './callIndex';
import type { DetectorContext } from './detectorContext';
import type { Finding } from './finding';
import { ranInSequence, repeatedChildren, repeatFinding, totalDuration } from './repeats';
import { MS } from './thresholds';

export function nPlusOneQueries({ trace, tree, calls, thresholds }: DetectorContext): Finding[] {
  const spans = trace.spans;
  return repeatedChildren(tree, calls, QUERY, thresholds.queryRepeats, true)
    .filter(({ group }) => totalDuration(spans, group) >= thresholds.queryTotalMs * MS && ranInSequence(spans, group))
    .map((repeats) => repeatFinding(spans, 'n-plus-one-query', repeats.key.slice(0, 120), repeats));
}
