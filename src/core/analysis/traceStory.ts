// What a hover tells about a trace in a few lines: the summary, the slowest span below the root, and where it
// failed: the earliest failing span with no failure below it (errors propagate up, so the root's is rarely the cause).
import { isError, type Span, type Trace } from '../model/trace';
import { buildSpanTree, type SpanTree } from './spanTree';
import { summariseTrace, type TraceSummary } from './traceSummary';

export interface SpanMention {
  service: string;
  name: string;
  durationNs: number;
  message?: string;
}

export interface TraceStory {
  summary: TraceSummary;
  slowest?: SpanMention;
  failedAt?: SpanMention;
}

function mention(span: Span): SpanMention {
  return { service: span.resource.serviceName, name: span.name, durationNs: span.durationNs, message: span.status.message };
}

export function traceStory(trace: Trace, tree: SpanTree = buildSpanTree(trace)): TraceStory {
  const summary = summariseTrace(trace, tree);
  // Children come after their parent in pre-order: walking it backwards sees a subtree before its root.
  const failureBelow = new Uint8Array(trace.spans.length);
  for (let r = tree.order.length - 1; r >= 0; r--) {
    const i = tree.order[r];
    if ((failureBelow[i] || isError(trace.spans[i])) && tree.parent[i] >= 0) failureBelow[tree.parent[i]] = 1;
  }
  let slowest: Span | undefined;
  let failedAt: Span | undefined;
  trace.spans.forEach((span, i) => {
    // Roots last as long as the trace: the interesting slow span is below them.
    if (tree.parent[i] >= 0 && (!slowest || span.durationNs > slowest.durationNs)) slowest = span;
    if (isError(span) && !failureBelow[i] && (!failedAt || span.startNs < failedAt.startNs)) failedAt = span;
  });
  return { summary, slowest: slowest && mention(slowest), failedAt: failedAt && mention(failedAt) };
}
