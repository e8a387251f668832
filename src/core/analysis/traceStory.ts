// What a hover tells about a trace in a few lines: the summary, the slowest span below the root, the first error.
import { isError, type Span, type Trace } from '../model/trace';
import { buildSpanTree } from './spanTree';
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
  firstError?: SpanMention;
}

function mention(span: Span): SpanMention {
  return { service: span.resource.serviceName, name: span.name, durationNs: span.durationNs, message: span.status.message };
}

export function traceStory(trace: Trace): TraceStory {
  const tree = buildSpanTree(trace);
  const summary = summariseTrace(trace, tree);
  let slowest: Span | undefined;
  let firstError: Span | undefined;
  trace.spans.forEach((span, i) => {
    // Roots last as long as the trace: the interesting slow span is below them.
    if (tree.parent[i] >= 0 && (!slowest || span.durationNs > slowest.durationNs)) slowest = span;
    if (isError(span) && (!firstError || span.startNs < firstError.startNs)) firstError = span;
  });
  return { summary, slowest: slowest && mention(slowest), firstError: firstError && mention(firstError) };
}
