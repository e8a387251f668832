// What a hover tells about a trace in a few lines: the summary, the slowest span below the root, and where it
// failed (failureOrigin.ts).
import type { Span, Trace } from '../model/trace';
import { failureOrigin } from './failureOrigin';
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
  let slowest: Span | undefined;
  trace.spans.forEach((span, i) => {
    // Roots last as long as the trace: the interesting slow span is below them.
    if (tree.parent[i] >= 0 && (!slowest || span.durationNs > slowest.durationNs)) slowest = span;
  });
  const origin = failureOrigin(trace, tree);
  return { summary, slowest: slowest && mention(slowest), failedAt: origin >= 0 ? mention(trace.spans[origin]) : undefined };
}
