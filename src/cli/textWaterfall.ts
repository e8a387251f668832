// A trace as text: one row per span in tree order, with its offset, duration, a bar on a shared timeline,
// the service and an error mark. Critical-path spans are marked with `*`.
import { formatDuration } from '../core/analysis/formatDuration';
import { computeCriticalPath } from '../core/analysis/criticalPath';
import type { SpanTree } from '../core/analysis/spanTree';
import type { TraceSummary } from '../core/analysis/traceSummary';
import { isError, type Trace } from '../core/model/trace';
import { terminalField } from './terminal';
import { counted } from '../core/analysis/counted';

export interface TextWaterfallOptions {
  barWidth: number;
  /** Rows beyond this are summarised in one line, so a 100k-span trace does not flood the terminal. */
  maxRows: number;
}

function bar(startNs: number, durationNs: number, totalNs: number, width: number): string {
  const scale = totalNs > 0 ? width / totalNs : 0;
  const from = Math.min(width - 1, Math.floor(startNs * scale));
  const to = Math.max(from + 1, Math.min(width, Math.round((startNs + durationNs) * scale)));
  return ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(width - to);
}

/** Terminal-safe text: control characters in span names and attributes are shown escaped, never executed. */

/** Guides drawn per row at most: a 20,000-deep chain must not print 20,000 columns per row (quadratic output). */
const MAX_GUIDES = 16;

/** The tree guides of a row, for its nearest ancestors; deeper rows say their depth as a number instead. */
function treePrefix(tree: SpanTree, node: number): string {
  let prefix = '';
  let child = node;
  let parent = tree.parent[node];
  let first = true;
  for (let level = 0; parent >= 0 && level < MAX_GUIDES; level++) {
    const siblingsEnd = tree.childStart[parent + 1];
    const isLast = tree.childList[siblingsEnd - 1] === child;
    prefix = (first ? (isLast ? '└─ ' : '├─ ') : isLast ? '   ' : '│  ') + prefix;
    first = false;
    child = parent;
    parent = tree.parent[parent];
  }
  return tree.depth[node] > MAX_GUIDES ? `‹depth ${tree.depth[node]}› ${prefix}` : prefix;
}

export function renderTextWaterfall(trace: Trace, tree: SpanTree, summary: TraceSummary, options: TextWaterfallOptions): string {
  const lines: string[] = [];
  const total = summary.durationNs;
  const start = new Date(Number(trace.startUnixNano / 1_000_000n)).toISOString();
  lines.push(
    `Trace ${trace.traceId}  ${terminalField(summary.rootService)}: ${terminalField(summary.rootName)}`,
    `  started ${start} · ${formatDuration(total)} · ${summary.spanCount} spans · ${summary.services.length} services · ${summary.errorCount} errors`,
    '',
  );
  const critical = computeCriticalPath(trace, tree).onPath;
  const serviceWidth = Math.min(24, Math.max(7, ...summary.services.map((s) => s.length)));
  lines.push(`${'offset'.padStart(10)} ${'duration'.padStart(10)}  ${'timeline'.padEnd(options.barWidth)}  ${'service'.padEnd(serviceWidth)}  span`);
  const rows = Math.min(tree.order.length, options.maxRows);
  for (let r = 0; r < rows; r++) {
    const node = tree.order[r];
    const span = trace.spans[node];
    const marks = `${critical[node] ? '*' : ' '}${isError(span) ? '✗' : ' '}`;
    const service = terminalField(span.resource.serviceName).slice(0, serviceWidth).padEnd(serviceWidth);
    const error = isError(span) && span.status.message ? `  — ${terminalField(span.status.message).slice(0, 120)}` : '';
    lines.push(
      `${formatDuration(span.startNs).padStart(10)} ${formatDuration(span.durationNs).padStart(10)}  ${bar(span.startNs, span.durationNs, total, options.barWidth)}  ${service} ${marks} ${treePrefix(tree, node)}${terminalField(span.name)}${error}`,
    );
  }
  if (rows < tree.order.length) lines.push(`… ${tree.order.length - rows} more spans (use --max-rows to show more)`);
  if (trace.warnings.length) {
    lines.push('', `${counted(trace.warnings.length, 'warning')}:`);
    for (const warning of trace.warnings.slice(0, 20)) lines.push(`  ! ${terminalField(warning.message)}`);
    if (trace.warnings.length > 20) lines.push(`  … ${trace.warnings.length - 20} more`);
  }
  lines.push('', '* critical path   ✗ error');
  return lines.join('\n');
}
