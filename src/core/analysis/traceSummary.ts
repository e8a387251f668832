// The one-line story of a trace: what the CLI's --json prints and what hovers and pickers show.
import { isError, traceEndNs, type Trace, type TraceWarning } from '../model/trace';
import { buildSpanTree, type SpanTree } from './spanTree';
import { mainRoot } from './criticalPath';

export interface TraceSummary {
  traceId: string;
  spanCount: number;
  services: string[];
  rootService: string;
  rootName: string;
  /** Epoch nanoseconds as a decimal string (exact; JSON numbers are not). */
  startUnixNano: string;
  /** First span start to last span end. */
  durationNs: number;
  errorCount: number;
  warnings: TraceWarning[];
}

export function summariseTrace(trace: Trace, tree: SpanTree = buildSpanTree(trace)): TraceSummary {
  const services = new Set<string>();
  let errorCount = 0;
  for (const span of trace.spans) {
    services.add(span.resource.serviceName);
    if (isError(span)) errorCount++;
  }
  const root = mainRoot(trace, tree);
  const rootSpan = root >= 0 ? trace.spans[root] : undefined;
  return {
    traceId: trace.traceId,
    spanCount: trace.spans.length,
    services: [...services].sort(),
    rootService: rootSpan?.resource.serviceName ?? '',
    rootName: rootSpan?.name ?? '',
    startUnixNano: trace.startUnixNano.toString(),
    durationNs: traceEndNs(trace),
    errorCount,
    warnings: trace.warnings,
  };
}
