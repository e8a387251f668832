// The bottleneck: the span whose own work holds the critical path longest (its time on the path, not its whole
// duration: time spent waiting for children on the path is theirs), named when it is a large share of a slow
// trace. The root's own time is not named: it is the request's whole handler, no news to anyone.
import { computeCriticalPath, mainRoot } from '../criticalPath';
import { formatDuration } from '../formatDuration';
import type { DetectorContext } from './detectorContext';
import { fingerprintOf, type Finding } from './finding';
import { MS } from './thresholds';

export function bottlenecks({ trace, tree, thresholds }: DetectorContext): Finding[] {
  const root = mainRoot(trace, tree);
  if (root < 0) return [];
  const traceNs = trace.spans[root].durationNs;
  if (traceNs < thresholds.bottleneckTraceMs * MS) return [];
  const { onPath, spanTimes } = computeCriticalPath(trace, tree);
  let best = -1;
  for (let i = 0; i < onPath.length; i++) if (onPath[i] && i !== root && (best < 0 || spanTimes[i] > spanTimes[best])) best = i;
  const bestNs = best < 0 ? 0 : spanTimes[best];
  if (best < 0 || bestNs < thresholds.bottleneckShare * traceNs) return [];
  const span = trace.spans[best];
  const share = Math.round((100 * bestNs) / traceNs);
  return [
    {
      kind: 'bottleneck',
      severity: 'info',
      title: `Bottleneck: ${span.resource.serviceName} · ${span.name.slice(0, 80)}, ${share}% of the trace (${formatDuration(bestNs)} of its own work on the critical path)`,
      spans: [best],
      anchor: best,
      fingerprint: fingerprintOf('bottleneck', span.resource.serviceName, span.name),
      durationNs: bestNs,
    },
  ];
}
