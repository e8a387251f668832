// Two traces compared, for a language model: how much longer B took, then the calls that changed (failures
// first, as the report lists them) with their counts, times and critical-path change.
import { formatDuration } from '../analysis/formatDuration';
import { signedPercent } from '../analysis/signedPercent';
import { traceRowChanged, traceRowChangeText } from '../analysis/compare/traceRowChange';
import type { NodeSample, TraceReport } from '../analysis/compare/reportTypes';
import { answer, quoted } from './agentText';

function side(sample: NodeSample | undefined): string {
  return sample ? `${sample.count}× ${formatDuration(sample.totalNs)}` : 'not called';
}

function traceLine(label: string, t: TraceReport['a']): string {
  return `Trace ${label} ${t.traceId}: root ${quoted(t.title)}, ${formatDuration(t.durationNs)}`;
}

export function compareAnswer(report: TraceReport): string {
  const { a, b } = report;
  const delta = b.durationNs - a.durationNs;
  const lines = [traceLine('A', a), traceLine('B', b)];
  if (a.durationNs > 0)
    lines.push(`B took ${signedPercent(delta / a.durationNs)} (${formatDuration(Math.abs(delta))} ${delta >= 0 ? 'more' : 'less'}) than A.`);
  // What the comparison says of itself comes before the calls, which it can change the reading of (traces that
  // start in different operations); the answer's bound then cuts calls only.
  for (const note of report.notes) lines.push(`Note: ${quoted(note)}`);
  if (report.rowsLeftOut) lines.push(`(${report.rowsLeftOut} calls, the least changed, were left out of the comparison)`);
  const changed = report.rows.filter(traceRowChanged);
  lines.push(changed.length ? `Calls that changed (${changed.length}), failures first:` : 'No call changed in count, time or failure.');
  for (const row of changed) {
    const critical = row.criticalDeltaNs === 0 ? '' : `; critical path ${row.criticalDeltaNs > 0 ? '+' : '−'}${formatDuration(Math.abs(row.criticalDeltaNs))}`;
    lines.push(`- ${traceRowChangeText(row)}: ${quoted(row.service)} · ${quoted(row.name)}: ${side(row.a)} → ${side(row.b)}${critical}`);
  }
  return answer(lines);
}
