// How a file's code behaves in the running system, for a language model: per place the spans map to, the
// latency quantiles, calls and failures the CodeLens shows, and a trace to look at.
import { formatDuration } from '../analysis/formatDuration';
import type { LocationStats } from '../stats/codeStats';
import { answer, placeText, quoted } from './agentText';

function statsLine(s: LocationStats, root: string | undefined): string {
  const q = (p: number) => formatDuration(s.sketch.quantile(p));
  const fn = s.location.function ? ` ${quoted(s.location.function)}` : '';
  const errors = s.errorCount ? `, ${s.errorCount} failed` : '';
  return `- ${placeText(s.location.file, s.location.line, root)}${fn}: p50 ${q(0.5)}, p95 ${q(0.95)}, p99 ${q(0.99)}, ${s.sketch.count} calls${errors}`;
}

function exemplarLine(s: LocationStats): string | undefined {
  const failing = s.latestFailing;
  if (failing) return `  latest failing trace ${failing.traceId}${failing.message ? `: ${quoted(failing.message)}` : ''}`;
  return s.slowest && `  slowest trace ${s.slowest.traceId} (${formatDuration(s.slowest.durationNs)})`;
}

/** `spans`: where spans map in the file; `failures`: the lines where they failed (a raise, a throw). */
export function codeAnswer(file: string, root: string | undefined, spans: readonly LocationStats[], failures: readonly LocationStats[]): string {
  const where = placeText(file, undefined, root);
  if (!spans.length && !failures.length) return answer([`No spans map to ${where} in the traces Trace Lens holds.`]);
  const lines = [`${where} in the traces Trace Lens holds:`];
  for (const s of [...spans].sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0))) {
    lines.push(statsLine(s, root));
    const exemplar = exemplarLine(s);
    if (exemplar) lines.push(exemplar);
  }
  if (failures.length) lines.push('Lines where requests failed:');
  for (const f of failures) lines.push(`${statsLine(f, root)}${f.latestFailing?.exceptionType ? ` (${quoted(f.latestFailing.exceptionType)})` : ''}`);
  return answer(lines);
}
