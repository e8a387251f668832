// What a CodeLens adds for a call that changed significantly between two groups: "p50 +38% vs 1.4.1", or the
// change in its error rate; and, for its hover, both sides' figures.
import { formatDuration } from '../formatDuration';
import { signedPercent } from '../signedPercent';
import type { GroupReport, GroupReportRow, GroupStats } from './reportTypes';
import { counted } from '../counted';

export function lensDelta(row: GroupReportRow, report: GroupReport): string {
  const versus = `vs ${report.baseline.label}`;
  if (row.verdict === 'slower' || row.verdict === 'faster') return `p50 ${signedPercent(row.change)} ${versus}`;
  return `errors ${signedPercent(row.change, ' pts')} ${versus}`;
}

function side(label: string, s: GroupStats | undefined): string {
  if (!s) return `${label}: not run`;
  return `${label}: p50 ${formatDuration(s.p50Ns)}, p95 ${formatDuration(s.p95Ns)}, ${s.errors}/${s.spans} failed, in ${counted(s.traces, 'trace')}`;
}

export function lensDeltaTooltip(row: GroupReportRow, report: GroupReport): string {
  return [
    `${row.service} · ${row.name}: ${lensDelta(row, report)}${row.p === undefined ? '' : ` (p = ${row.p.toPrecision(2)})`}`,
    side(report.baseline.label, row.a),
    side(report.candidate.label, row.b),
  ].join('\n');
}
