// `show --by-operation`: where a trace's time went by operation, as the waterfall's Statistics view shows it (the
// same operationStats over the same rows), as text columns or JSON.
import { formatDuration } from '../core/analysis/formatDuration';
import { groupDigits } from '../core/analysis/groupDigits';
import type { SpanTree } from '../core/analysis/spanTree';
import type { Trace } from '../core/model/trace';
import { operationStats, type OperationStats } from '../core/waterfall/operationStats';
import { prepareTrace } from '../core/waterfall/prepareTrace';
import { terminalField } from './terminal';

/** An operation's figures, its service and name as text (JSON has no string table). */
export type OperationLine = Omit<OperationStats, 'service' | 'name' | 'longestRow'> & { service: string; name: string };

/** The trace's operations, the most self time first. */
export function operationLines(trace: Trace, tree: SpanTree): OperationLine[] {
  const { model } = prepareTrace(trace, tree);
  // Its longest row is the waterfall's to show; the CLI has no rows to show it in.
  return operationStats(model.rows, model.strings.length).map(({ service, name, longestRow: _row, ...figures }) => ({
    service: model.services[service],
    name: model.strings[name],
    ...figures,
  }));
}

const HEADER = ['service', 'operation', 'spans', 'failed', 'total', 'average', 'max', 'self', 'self %'];
/** A name wider than this is cut: the figures stay on the line. */
const MAX_NAME = 48;

/** Columns padded to their widest cell, names left and figures right. */
export function renderOperationTable(lines: OperationLine[], maxRows: number): string {
  const allSelf = lines.reduce((sum, line) => sum + line.selfNs, 0);
  const cut = (text: string) => (text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text);
  const rows = lines
    .slice(0, maxRows)
    .map((l) => [
      cut(terminalField(l.service)),
      cut(terminalField(l.name)),
      groupDigits(l.spans),
      groupDigits(l.errors),
      formatDuration(l.totalNs),
      formatDuration(l.totalNs / l.spans),
      formatDuration(l.maxNs),
      formatDuration(l.selfNs),
      allSelf > 0 ? `${((100 * l.selfNs) / allSelf).toFixed(1)}%` : '–',
    ]);
  const widths = HEADER.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  const more = lines.length > maxRows ? [`… ${groupDigits(lines.length - maxRows)} more operations (--max-rows)`] : [];
  return [line(HEADER), ...rows.map(line), ...more].join('\n');
}
