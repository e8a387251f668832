// The comparison report: two groups of traces (before and after a release) or two traces. Regressions first, each
// with its code and an exemplar trace from each side; a differential flame graph of the whole merged call tree;
// what sets the candidate's slow or failing traces apart. Span data is only ever inserted as text.
import { formatDuration } from '../../core/analysis/formatDuration';
import { signedPercent } from '../../core/analysis/signedPercent';
import { traceRowChanged, traceRowChangeText } from '../../core/analysis/compare/traceRowChange';
import type {
  AggregateReport,
  FromReport,
  ReportRowBase,
  GroupReport,
  GroupReportRow,
  RowPlace,
  ToReport,
  TraceReport,
  TraceReportRow,
} from '../../protocol/reportMessages';
import { serviceColor } from '../serviceColors';
import { button, el } from '../dom';
import { FlameGraph, type Frame } from './flameGraph';
import { counted } from '../../core/analysis/counted';

declare function acquireVsCodeApi(): { postMessage(message: FromReport): void };
const api = acquireVsCodeApi();
const app = document.getElementById('app')!;

function table(headings: string[], caption: string): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const t = el('table', 'rows');
  t.append(el('caption', undefined, caption));
  const head = el('tr');
  for (const h of headings) head.append(el('th', undefined, h));
  t.createTHead().append(head);
  return { table: t, body: t.createTBody() };
}

function cell(...content: (Node | string)[]): HTMLTableCellElement {
  const td = el('td');
  td.append(...content.map((c) => (typeof c === 'string' ? el('span', undefined, c) : c)));
  return td;
}

/** The call's name, its path on hover; and links to its code and to a trace of each side. */
function callCell(row: GroupReportRow | TraceReportRow | AggregateReport['rows'][number]): HTMLTableCellElement {
  const name = el('span', 'call', `${row.service} · ${row.name}`);
  name.title = row.path.join('\n› ');
  return cell(name);
}

function linksCell(index: number, place: RowPlace, traces: { label: string; traceId: string; spanId: string }[]): HTMLTableCellElement {
  const links: Node[] = [];
  if (place) links.push(button('code-link', place.label, 'Open the code of this call', () => api.postMessage({ type: 'openCode', row: index })));
  for (const t of traces)
    links.push(
      button('trace-link', t.label, `Open this trace (${t.traceId}) at this call`, () =>
        api.postMessage({ type: 'openTrace', traceId: t.traceId, spanId: t.spanId }),
      ),
    );
  return cell(...links);
}

const VERDICT_TEXT: Record<GroupReportRow['verdict'], string> = {
  slower: 'slower',
  faster: 'faster',
  'more-errors': 'more errors',
  'fewer-errors': 'fewer errors',
  new: 'new',
  gone: 'gone',
  'too-rare': 'too rare to tell',
  'too-few': 'too few traces',
  unchanged: 'unchanged',
};

function groupFigures(s: GroupReportRow['a']): string {
  if (!s) return '—';
  const errors = s.errors ? ` · ${s.errors}/${s.spans} failed` : '';
  return `p50 ${formatDuration(s.p50Ns)} · p95 ${formatDuration(s.p95Ns)} · ${counted(s.traces, 'trace')}${errors}`;
}

function verdictText(row: GroupReportRow): string {
  if (row.verdict === 'slower' || row.verdict === 'faster') return `${VERDICT_TEXT[row.verdict]} ${signedPercent(row.change)}`;
  if (row.verdict === 'more-errors' || row.verdict === 'fewer-errors') return `${VERDICT_TEXT[row.verdict]} ${signedPercent(row.change).replace('%', ' pts')}`;
  return VERDICT_TEXT[row.verdict];
}

/** A row as a flame graph frame: its place in the tree, its width, its colour and its hover. */
function frameOf(row: ReportRowBase, value: number, change: number, details: string[], fill?: string): Frame {
  return { key: row.key, parentKey: row.parentKey, label: row.name, value, change, details, fill };
}

/** A changed call (or place) of two groups: the verdict, both sides' figures, its code and a trace of each side. */
function groupRow(row: GroupReportRow, index: number, place: RowPlace, report: GroupReport): HTMLTableRowElement {
  const tr = el('tr', `verdict-${row.verdict}`);
  const traces = [row.a && { label: report.baseline.label, ...row.a.exemplar }, row.b && { label: report.candidate.label, ...row.b.exemplar }].filter(
    (t): t is { label: string; traceId: string; spanId: string } => Boolean(t),
  );
  tr.append(cell(verdictText(row)), callCell(row), cell(groupFigures(row.a)), cell(groupFigures(row.b)), linksCell(index, place, traces));
  return tr;
}

function groupFrames(report: GroupReport): Frame[] {
  const perTrace = (s: GroupReportRow['a'], traces: number) => (s ? (s.p50Ns * s.traces) / Math.max(1, traces) : 0);
  return report.rows.map((row) => {
    const a = perTrace(row.a, report.baseline.traces);
    const b = perTrace(row.b, report.candidate.traces);
    const change =
      row.verdict === 'new'
        ? 1
        : row.verdict === 'gone'
          ? -1
          : row.verdict === 'slower' || row.verdict === 'faster'
            ? Math.max(-1, Math.min(1, row.change))
            : 0;
    return frameOf(row, b || a, change, [
      row.service,
      `${report.baseline.label}: ${groupFigures(row.a)}`,
      `${report.candidate.label}: ${groupFigures(row.b)}`,
      verdictText(row) + (row.p !== undefined ? ` (p = ${row.p.toPrecision(2)})` : ''),
    ]);
  });
}

function renderGroups(report: GroupReport, places: RowPlace[]): void {
  const split = report.split;
  const what =
    split.by === 'attribute' ? `${split.attribute}: ${split.baseline} → ${split.candidate}` : `before and from ${new Date(split.atMs).toLocaleString()}`;
  app.append(
    el('h1', undefined, `${report.service ?? 'All services'} · ${what}`),
    el(
      'p',
      'sides',
      `${counted(report.baseline.traces, 'trace')} of ${report.baseline.label} against ${report.candidate.traces} of ${report.candidate.label}. A change is reported when it is 5% or more and significant (Mann-Whitney U on latency, Fisher's exact test on errors, Benjamini-Hochberg at q = 0.05), with at least ${counted(report.minSamples, 'trace')} a side.`,
    ),
  );
  for (const note of report.notes) app.append(el('p', 'note', note));
  const changed = report.rows.map((row, i) => ({ row, i })).filter(({ row }) => row.verdict !== 'unchanged');
  const { table: changes, body } = table(
    ['Change', 'Call', report.baseline.label, report.candidate.label, 'Code and traces'],
    'What changed, regressions first',
  );
  for (const { row, i } of changed) body.append(groupRow(row, i, places[i], report));
  app.append(changed.length ? changes : el('p', 'none', 'No significant change between the two groups.'));
  const movedPlaces = report.places.map((row, i) => ({ row, i: report.rows.length + i })).filter(({ row }) => row.verdict !== 'unchanged');
  if (movedPlaces.length) {
    const { table: byPlace, body: placeBody } = table(
      ['Change', 'Function or handler', report.baseline.label, report.candidate.label, 'Code and traces'],
      'By place in the code (a function called from several paths counts once)',
    );
    for (const { row, i } of movedPlaces) placeBody.append(groupRow(row, i, places[i], report));
    app.append(byPlace);
  }
  section('Where the time went, coloured by change', new FlameGraph(groupFrames(report), 'Differential flame graph of the merged call tree'));
  const shares = report.shares;
  app.append(el('h2', undefined, `What sets the slow or failing traces of ${report.candidate.label} apart`));
  if (shares.note || !shares.shares.length) app.append(el('p', 'none', shares.note ?? 'No attribute value is much commoner among them than among the others.'));
  else {
    const { table: t, body: b } = table(
      ['Attribute', 'Of the slow or failing', 'Of the others'],
      `Traces of ${formatDuration(shares.slowNs)} or longer, or failed`,
    );
    for (const s of shares.shares) {
      const tr = el('tr');
      tr.append(cell(`${s.attribute} = ${s.value}`), cell(signedPercent(s.outliers).slice(1)), cell(signedPercent(s.rest).slice(1)));
      b.append(tr);
    }
    app.append(t);
  }
  if (report.rowsLeftOut) app.append(el('p', 'note', `${report.rowsLeftOut} further calls (unchanged) are left out.`));
}

function sampleText(s: TraceReportRow['a']): string {
  return s ? `${s.count}× ${formatDuration(s.totalNs)} (self ${formatDuration(s.selfNs)})${s.errors ? ` · ${s.errors} failed` : ''}` : '—';
}

function traceFrames(report: TraceReport): Frame[] {
  return report.rows.map((row) => {
    const a = row.a?.totalNs ?? 0;
    const b = row.b?.totalNs ?? 0;
    const change = !row.a ? 1 : !row.b ? -1 : row.change === 'same' ? 0 : Math.max(-1, Math.min(1, (b - a) / Math.max(a, 1)));
    return frameOf(row, b || a, change, [row.service, `A: ${sampleText(row.a)}`, `B: ${sampleText(row.b)}`, traceRowChangeText(row)]);
  });
}

function renderTraces(report: TraceReport, places: RowPlace[]): void {
  app.append(
    el('h1', undefined, `A: ${report.a.title} (${formatDuration(report.a.durationNs)}) → B: ${report.b.title} (${formatDuration(report.b.durationNs)})`),
    el(
      'p',
      'sides',
      `${report.a.traceId} against ${report.b.traceId}, call by call on the merged call tree: what failed in one only first, then each call's change on the critical path.`,
    ),
  );
  for (const note of report.notes) app.append(el('p', 'note', note));
  const changed = report.rows.map((row, i) => ({ row, i })).filter(({ row }) => traceRowChanged(row));
  const { table: t, body } = table(
    ['Change', 'Call', 'A', 'B', 'Critical path', 'Code and traces'],
    'What changed: what failed in one only first, then the largest effect on the duration',
  );
  for (const { row, i } of changed) {
    const tr = el('tr', `change-${row.change}${row.failures ? ` ${row.failures}` : ''}`);
    const delta = `${row.criticalDeltaNs >= 0 ? '+' : '−'}${formatDuration(Math.abs(row.criticalDeltaNs))}`;
    const traces = [
      row.a && { label: 'A', traceId: report.a.traceId, spanId: row.a.firstSpanId },
      row.b && { label: 'B', traceId: report.b.traceId, spanId: row.b.firstSpanId },
    ].filter((x): x is { label: string; traceId: string; spanId: string } => Boolean(x));
    tr.append(cell(traceRowChangeText(row)), callCell(row), cell(sampleText(row.a)), cell(sampleText(row.b)), cell(delta), linksCell(i, places[i], traces));
    body.append(tr);
  }
  app.append(changed.length ? t : el('p', 'none', 'The two traces ran the same calls in the same times.'));
  section(
    'Where the time went, coloured by change (width: B, or A for calls only in A)',
    new FlameGraph(traceFrames(report), 'Differential flame graph of the two traces'),
  );
}

function renderAggregate(report: AggregateReport, places: RowPlace[]): void {
  app.append(
    el('h1', undefined, `${report.service} · ${report.operation}: where the time goes`),
    el(
      'p',
      'sides',
      `${report.occurrences} occurrences in ${counted(report.traces, 'trace')}, merged call by call. A frame's width is the own time of it and of everything under it, summed over every occurrence: the work done, in which calls that ran at once add up, so a call's frame always holds its calls'.`,
    ),
  );
  for (const note of report.notes) app.append(el('p', 'note', note));
  const services = [...new Set(report.rows.map((r) => r.service))];
  const frames = report.rows.map((row) =>
    frameOf(
      row,
      row.subtreeSelfNs,
      0,
      [
        row.service,
        `own time ${formatDuration(row.selfNs)} in all · with its calls ${formatDuration(row.subtreeSelfNs)}`,
        `per occurrence: p50 ${formatDuration(row.p50Ns)} · p95 ${formatDuration(row.p95Ns)} · in ${row.occurrences} of ${report.occurrences}${row.errors ? ` · ${row.errors} failed` : ''}`,
      ],
      serviceColor(services.indexOf(row.service)),
    ),
  );
  section('Flame graph', new FlameGraph(frames, `Flame graph of ${report.operation} over ${report.occurrences} occurrences`));
  const { table: t, body } = table(['Own time', 'Call', 'Per occurrence', 'Code and trace'], 'The calls with the most own time');
  const byOwnTime = report.rows.map((row, i) => ({ row, i })).sort((x, y) => y.row.selfNs - x.row.selfNs);
  for (const { row, i } of byOwnTime.slice(0, 30)) {
    const tr = el('tr');
    tr.append(
      cell(formatDuration(row.selfNs)),
      callCell(row),
      cell(`p50 ${formatDuration(row.p50Ns)} · p95 ${formatDuration(row.p95Ns)} · ${counted(row.spans, 'span')}`),
      linksCell(i, places[i], [{ label: 'median trace', ...row.exemplar }]),
    );
    body.append(tr);
  }
  app.append(t);
}

function section(title: string, flame: FlameGraph): void {
  app.append(el('h2', undefined, title), flame.element);
  requestAnimationFrame(() => flame.draw());
}

window.addEventListener('message', (event: MessageEvent<ToReport>) => {
  const message = event.data;
  if (message?.type !== 'report') return;
  app.replaceChildren();
  if (message.report.kind === 'groups') renderGroups(message.report, message.places);
  else if (message.report.kind === 'traces') renderTraces(message.report, message.places);
  else renderAggregate(message.report, message.places);
});
api.postMessage({ type: 'ready' });
