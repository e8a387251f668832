// What a hover tells about a trace in a few lines: the summary, where its time went (the operations that held the
// critical path longest), the slowest span below the root, and where it failed (failureOrigin.ts).
import type { Span, Trace } from '../model/trace';
import { formatDuration } from './formatDuration';
import { buildSpanTree, type SpanTree } from './spanTree';
import { traceFacts, type TraceFacts } from './traceFacts';
import type { TraceSummary } from './traceSummary';

export interface SpanMention {
  service: string;
  name: string;
  durationNs: number;
  message?: string;
}

/**
 * An operation's own time on the critical path (its spans' summed): the time the request waited on it and nothing
 * else. By operation, so eight queries in a row are one share, as a person reads them.
 */
export interface CriticalShare {
  span: SpanMention;
  /** How many of its spans were on the path. */
  spans: number;
  criticalNs: number;
}

export interface TraceStory {
  summary: TraceSummary;
  /** The operations that held the critical path longest, longest first: at most 3, each a tenth of the trace or more. */
  timeWentTo: CriticalShare[];
  slowest?: SpanMention;
  failedAt?: SpanMention;
}

const MAX_SHARES = 3;
const MIN_SHARE = 0.1;

function mention(span: Span): SpanMention {
  return { service: span.resource.serviceName, name: span.name, durationNs: span.durationNs, message: span.status.message };
}

/** `facts`: the trace's, when the caller has them (its waterfall reads them too). */
export function traceStory(trace: Trace, tree: SpanTree = buildSpanTree(trace), facts = traceFacts(trace, tree)): TraceStory {
  const { summary, origin } = facts;
  let slowest: Span | undefined;
  trace.spans.forEach((span, i) => {
    // Roots last as long as the trace: the interesting slow span is below them.
    if (tree.parent[i] >= 0 && (!slowest || span.durationNs > slowest.durationNs)) slowest = span;
  });
  return {
    summary,
    timeWentTo: criticalShares(trace, facts),
    slowest: slowest && mention(slowest),
    failedAt: origin >= 0 ? mention(trace.spans[origin]) : undefined,
  };
}

/** "payments · chargeCard 380 ms (76%)", "orders · SELECT ×8 144 ms (80%)": a share as hovers and agents say it. */
export function criticalShareText({ span, spans, criticalNs }: CriticalShare, traceNs: number, field: (text: string) => string): string {
  return `${field(span.service)} · ${field(span.name)}${spans > 1 ? ` ×${spans}` : ''} ${formatDuration(criticalNs)} (${Math.round((100 * criticalNs) / traceNs)}%)`;
}

function criticalShares(trace: Trace, { summary: { durationNs }, onPath, spanTimes }: TraceFacts): CriticalShare[] {
  // By service, then name: a key made per span on the path was most of a long chain's story.
  const byOperation = new Map<string, Map<string, CriticalShare>>();
  const shares: CriticalShare[] = [];
  for (let i = 0; i < onPath.length; i++) {
    if (!onPath[i]) continue;
    const span = trace.spans[i];
    let byName = byOperation.get(span.resource.serviceName);
    if (!byName) byOperation.set(span.resource.serviceName, (byName = new Map()));
    const share = byName.get(span.name);
    if (share) {
      share.spans++;
      share.criticalNs += spanTimes[i];
    } else {
      const added = { span: mention(span), spans: 1, criticalNs: spanTimes[i] };
      byName.set(span.name, added);
      shares.push(added);
    }
  }
  return shares
    .filter((share) => share.criticalNs > 0 && share.criticalNs >= MIN_SHARE * durationNs)
    .sort((a, b) => b.criticalNs - a.criticalNs)
    .slice(0, MAX_SHARES);
}
