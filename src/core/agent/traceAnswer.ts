// A trace for a language model: what the hover says (summary, slowest span, where it failed) and its findings.
import { formatDuration } from '../analysis/formatDuration';
import type { TraceFinding } from '../analysis/findings/traceFinding';
import { criticalShareText, type SpanMention, type TraceStory } from '../analysis/traceStory';
import { answer, quoted } from './agentText';

function mentionText(m: SpanMention): string {
  return `${quoted(m.service)} · ${quoted(m.name)} (${formatDuration(m.durationNs)})${m.message ? `: ${quoted(m.message)}` : ''}`;
}

export function traceAnswer(traceId: string, sourceName: string, story: TraceStory, findings: readonly TraceFinding[]): string {
  const s = story.summary;
  const lines = [
    `Trace ${traceId} from ${sourceName}: root ${quoted(s.rootService)} · ${quoted(s.rootName || '(no root span)')}`,
    `${formatDuration(s.durationNs)}, ${s.spanCount} spans, services ${s.services.map(quoted).join(', ')}, ${s.errorCount} failed spans`,
  ];
  if (story.timeWentTo.length)
    lines.push(`Time went to (own time on the critical path): ${story.timeWentTo.map((share) => criticalShareText(share, s.durationNs, quoted)).join(', ')}`);
  if (story.slowest) lines.push(`Slowest span below the root: ${mentionText(story.slowest)}`);
  if (story.failedAt) lines.push(`The failure began in: ${mentionText(story.failedAt)}`);
  lines.push(findings.length ? `Findings (${findings.length}):` : 'Findings: none');
  for (const f of findings) lines.push(`- ${f.kind} (${f.severity}): ${quoted(f.title)}`);
  return answer(lines);
}
