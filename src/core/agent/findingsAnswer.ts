// What is wrong across the traces Trace Lens holds, for a language model: each finding group with where its
// fix goes in the user's code.
import type { PlacedFinding } from '../analysis/findings/placedFinding';
import { answer, placeText, quoted } from './agentText';
import { counted } from '../analysis/counted';

export function findingsAnswer(placed: readonly PlacedFinding[], root: string | undefined): string {
  if (!placed.length) return answer(['No findings in the traces Trace Lens holds.']);
  const lines = [`Findings in the traces Trace Lens holds (${placed.length}), most widespread first:`];
  for (const { group, location } of placed) {
    const where = location ? placeText(location.file, location.line, root) : 'not mapped to code';
    lines.push(
      `- ${group.kind} (${group.severity}) in ${quoted(group.service)}: ${quoted(group.title)}; ${counted(group.traces, 'trace')}; code: ${where}; e.g. trace ${group.exemplars[0]?.traceId ?? '?'}`,
    );
  }
  return answer(lines);
}
