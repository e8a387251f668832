// Self time: the part of a span's duration not covered by any of its children (overlapping children count once).
import type { Trace } from '../model/trace';
import { type SpanTree } from './spanTree';

export function computeSelfTimes(trace: Trace, tree: SpanTree): Float64Array {
  const spans = trace.spans;
  const self = new Float64Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const start = spans[i].startNs;
    const end = start + spans[i].durationNs;
    let covered = 0;
    let cursor = start;
    // Children are ordered by start, so one sweep merges their intervals.
    for (let c = tree.childStart[i]; c < tree.childStart[i + 1]; c++) {
      const child = spans[tree.childList[c]];
      const childStart = Math.max(child.startNs, cursor);
      const childEnd = Math.min(child.startNs + child.durationNs, end);
      if (childEnd > childStart) {
        covered += childEnd - childStart;
        cursor = childEnd;
      }
    }
    self[i] = spans[i].durationNs - covered;
  }
  return self;
}
