// What a trace's story (hovers, agents) and its waterfall both read of it: its summary, its critical path (which
// spans are on it, and how long each held it) and the span where its failure began. A trace worker wants both for
// a large trace, and made them twice: a tenth of opening a 100k-span file.
import type { Trace } from '../model/trace';
import { computeCriticalPath } from './criticalPath';
import { failureOrigin } from './failureOrigin';
import type { SpanTree } from './spanTree';
import { summariseTrace, type TraceSummary } from './traceSummary';

export interface TraceFacts {
  summary: TraceSummary;
  /** 1 for each span on the critical path. */
  onPath: Uint8Array;
  /** Per span, its time on the critical path. */
  spanTimes: Float64Array;
  /** The span where the failure began; -1 when none failed. */
  origin: number;
}

export function traceFacts(trace: Trace, tree: SpanTree): TraceFacts {
  const summary = summariseTrace(trace, tree);
  const { onPath, spanTimes } = computeCriticalPath(trace, tree);
  return { summary, onPath, spanTimes, origin: summary.errorCount ? failureOrigin(trace, tree) : -1 };
}
