// The trace's statistics by operation, beside the waterfall (Jaeger UI's "Trace Statistics"): a table of each
// service and span name with its spans, failures, durations and self time, sorted by any column. Made from the
// page's own rows when first shown; a click on an operation shows its longest span in the waterfall.
import { formatDuration } from '../core/analysis/formatDuration';
import { groupDigits } from '../core/analysis/groupDigits';
import { operationStats, type OperationStats } from '../core/waterfall/operationStats';
import type { WaterfallModel } from '../protocol/messages';
import { el } from './dom';
import { serviceColor } from './serviceColors';

/** Operations listed at most: a trace with a new name in every span must not put a million rows in the page. */
const MAX_LISTED = 500;

interface Column {
  label: string;
  title: string;
  value(op: OperationStats): number | string;
  text(op: OperationStats): string;
}

export class StatsTable {
  readonly element = el('div', 'op-stats');
  private stats: OperationStats[] | undefined;
  private sortBy = 'Self';
  private descending = true;
  private readonly columns: Column[];
  /** The summed self time of every operation, which the shares are of. */
  private allSelfNs = 0;

  constructor(
    private readonly m: WaterfallModel,
    private readonly show: (row: number) => void,
  ) {
    this.element.hidden = true;
    const number = (label: string, title: string, pick: (op: OperationStats) => number, show: (n: number) => string): Column => ({
      label,
      title,
      value: pick,
      text: (op) => show(pick(op)),
    });
    const name = (label: string, title: string, pick: (op: OperationStats) => string): Column => ({ label, title, value: pick, text: pick });
    this.columns = [
      name('Service', 'The service that ran it', (op) => m.services[op.service] ?? ''),
      name('Operation', 'The span name', (op) => m.strings[op.name] ?? ''),
      number('Spans', 'How many spans of it the trace holds', (op) => op.spans, groupDigits),
      number('Failed', 'How many of them failed', (op) => op.errors, groupDigits),
      number('Total', 'Their durations, summed', (op) => op.totalNs, formatDuration),
      number('Average', 'Their average duration', (op) => op.totalNs / op.spans, formatDuration),
      number('Min', 'The shortest', (op) => op.minNs, formatDuration),
      number('Max', 'The longest (a click on the row shows it)', (op) => op.maxNs, formatDuration),
      number('Self', 'Self time, summed: their time not covered by their own child spans', (op) => op.selfNs, formatDuration),
      number(
        'Self %',
        "Their share of all the trace's self time (where the work went; the shares add up to 100%)",
        (op) => op.selfNs,
        (selfNs) => this.share(selfNs),
      ),
    ];
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  /** Shows the table (made the first time) or hides it. */
  setShown(shown: boolean): void {
    this.element.hidden = !shown;
    if (shown && !this.stats) {
      this.stats = operationStats(this.m.rows, this.m.strings.length);
      this.render();
    }
  }

  private share(selfNs: number): string {
    return this.allSelfNs > 0 ? `${((100 * selfNs) / this.allSelfNs).toFixed(1)}%` : '–';
  }

  private render(): void {
    const stats = this.stats!;
    this.allSelfNs = stats.reduce((sum, op) => sum + op.selfNs, 0);
    const column = this.columns.find((c) => c.label === this.sortBy)!;
    const sign = this.descending ? -1 : 1;
    const sorted = [...stats].sort((a, b) => {
      const [x, y] = [column.value(a), column.value(b)];
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
    });
    const table = el('table', 'op-stats-table');
    table.append(this.head(), this.body(sorted.slice(0, MAX_LISTED)));
    const note = el(
      'p',
      'op-stats-note',
      `${groupDigits(stats.length)} operation${stats.length === 1 ? '' : 's'} in ${this.spansCounted()}` +
        (stats.length > MAX_LISTED ? `; the first ${MAX_LISTED} by this order are listed` : '') +
        '. A click on an operation shows its longest span.',
    );
    this.element.replaceChildren(note, table);
  }

  /** A preview holds the first rows only: the statistics say they are of those. */
  private spansCounted(): string {
    const held = groupDigits(this.m.rows.span.length);
    return this.m.totalRows === undefined ? `${held} spans` : `the first ${held} of ${groupDigits(this.m.totalRows)} spans (the rest is on its way)`;
  }

  private head(): HTMLTableSectionElement {
    const head = el('thead');
    const row = el('tr');
    for (const c of this.columns) {
      const cell = el('th');
      const sorted = c.label === this.sortBy;
      cell.setAttribute('aria-sort', sorted ? (this.descending ? 'descending' : 'ascending') : 'none');
      const b = el('button', 'op-stats-sort', sorted ? `${c.label} ${this.descending ? '▾' : '▴'}` : c.label);
      b.type = 'button';
      b.title = `${c.title}. Sort by it`;
      b.addEventListener('click', () => this.sort(c.label));
      cell.append(b);
      row.append(cell);
    }
    head.append(row);
    return head;
  }

  private body(ops: OperationStats[]): HTMLTableSectionElement {
    const body = el('tbody');
    for (const op of ops) {
      const row = el('tr', op.errors ? 'op-stats-row failed' : 'op-stats-row');
      row.tabIndex = 0;
      row.dataset.row = String(op.longestRow);
      for (const c of this.columns) {
        const cell = el('td', undefined, c.text(op));
        if (typeof c.value(op) === 'string') cell.title = cell.textContent!;
        if (c.label === 'Service') cell.prepend(swatch(op.service));
        row.append(cell);
      }
      const open = () => this.show(op.longestRow);
      row.addEventListener('click', open);
      row.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        open();
      });
      body.append(row);
    }
    return body;
  }

  private sort(label: string): void {
    // A new column starts with its largest first (text from A); the same column again turns the order.
    this.descending = label === this.sortBy ? !this.descending : label !== 'Service' && label !== 'Operation';
    this.sortBy = label;
    this.render();
    // The table is made anew: the keyboard stays on the header just pressed.
    this.element.querySelector<HTMLButtonElement>('th:not([aria-sort="none"]) button')?.focus();
  }
}

function swatch(service: number): HTMLElement {
  const mark = el('span', 'op-stats-swatch');
  mark.style.background = serviceColor(service);
  return mark;
}
