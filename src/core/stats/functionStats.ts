// Statistics per function: the locations inside one function (its spans may point at several of its lines)
// merged into one summary, at the line where the function starts.
import { LatencySketch } from './latencySketch';
import { editorLine } from '../code/codeLocation';
import type { Exemplar, LocationStats } from './codeStats';

export interface FunctionStats {
  /** 0-based line where the function starts (or the location's own line when no function encloses it). */
  line: number;
  name: string;
  sketch: LatencySketch;
  errorCount: number;
  firstSeenMs: number;
  lastSeenMs: number;
  slowest?: Exemplar;
  latestFailing?: Exemplar;
}

/** `functionAt(line)`: the function enclosing a 0-based line, if any is known. */
export function groupByFunction(
  locations: readonly LocationStats[],
  lineCount: number,
  functionAt: (line: number) => { line: number; name: string } | undefined,
): FunctionStats[] {
  const groups = new Map<number, FunctionStats>();
  const parts = new Map<number, LatencySketch[]>();
  for (const loc of locations) {
    const line = Math.min(lineCount - 1, editorLine(loc.location));
    const fn = loc.location.anchor === 'line' ? undefined : functionAt(line);
    const at = fn?.line ?? line;
    let group = groups.get(at);
    if (!group)
      groups.set(
        at,
        (group = {
          line: at,
          name: fn?.name ?? loc.location.function ?? '',
          sketch: new LatencySketch(),
          errorCount: 0,
          firstSeenMs: Infinity,
          lastSeenMs: -Infinity,
        }),
      );
    const list = parts.get(at);
    if (list) list.push(loc.sketch);
    else parts.set(at, [loc.sketch]);
    group.errorCount += loc.errorCount;
    group.firstSeenMs = Math.min(group.firstSeenMs, loc.firstSeenMs);
    group.lastSeenMs = Math.max(group.lastSeenMs, loc.lastSeenMs);
    if (loc.slowest && (!group.slowest || loc.slowest.durationNs > group.slowest.durationNs)) group.slowest = loc.slowest;
    if (loc.latestFailing && (!group.latestFailing || loc.latestFailing.endUnixNano > group.latestFailing.endUnixNano)) group.latestFailing = loc.latestFailing;
  }
  for (const [at, group] of groups) group.sketch = LatencySketch.mergeAll(parts.get(at)!);
  return [...groups.values()];
}
