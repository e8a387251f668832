// The span rows: a windowed list where only the rows in view (plus a margin) exist in the DOM, so the cost of a
// frame follows the viewport, not the trace size. Rows are rebuilt from the columns on every change.
import { formatDuration } from '../core/analysis/formatDuration';
import { ROW_FLAGS, SPAN_KINDS, type WaterfallModel } from '../protocol/messages';
import { displayText, el } from './dom';
import { serviceColor } from './serviceColors';
import type { RowTree } from './rowTree';

export const ROW_HEIGHT = 22;
/**
 * The tallest scroll area used. Chromium cannot lay out an element much past 33.5M px (about 1.5M rows of 22 px):
 * past this height the scrollbar is scaled, and rows are placed relative to the scroll position, never at their
 * full offset, so every row stays reachable.
 */
export const MAX_SCROLL_PX = 15_000_000;
const OVERSCAN = 8;
const INDENT_PX = 12;
/**
 * The first levels indent fully; deeper ones by a little each, up to a cap, with the depth shown as a number: a
 * span 31 levels down keeps its name in view (it was pushed out of the column at 12 px a level).
 */
const FULL_INDENT_LEVELS = 8;
const DEEP_INDENT_PX = 2;
const MAX_INDENT_PX = 120;

function indentPx(depth: number): number {
  return Math.min(MAX_INDENT_PX, Math.min(depth, FULL_INDENT_LEVELS) * INDENT_PX + Math.max(0, depth - FULL_INDENT_LEVELS) * DEEP_INDENT_PX);
}

/** What the rows show besides the model: selection, search hits and the zoomed time window. */
export interface RowsState {
  selected: number;
  matches: Uint8Array;
  windowStartNs: number;
  windowEndNs: number;
}

const KIND_LABELS: Record<string, string> = { server: 'SRV', client: 'CLI', producer: 'PRD', consumer: 'CNS', internal: '', unspecified: '' };

/** A bar's name goes beside it when the bar ends before this share of the timeline (or starts after 100 minus it). */
const BAR_NAME_ROOM = 70;

export class RowsView {
  readonly viewport = el('div', 'viewport');
  private readonly spacer = el('div', 'spacer');
  private readonly list = el('div', 'rows');
  private readonly colors: string[];

  constructor(
    private readonly m: WaterfallModel,
    private readonly tree: RowTree,
    private readonly state: RowsState,
  ) {
    this.colors = m.services.map((_, i) => serviceColor(i));
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'tree');
    this.viewport.setAttribute('aria-label', 'Spans');
    this.spacer.append(this.list);
    this.viewport.append(this.spacer);
  }

  /** The row under a DOM event target, if any. */
  rowAt(target: EventTarget | null): number | undefined {
    const row = (target as HTMLElement | null)?.closest?.<HTMLElement>('.row');
    return row ? Number(row.dataset.row) : undefined;
  }

  /** How many rows fit in the viewport (for Page Up/Down). */
  pageSize(): number {
    return Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
  }

  scrollIntoView(row: number): void {
    // The height first: revealing a row may have just made the list longer.
    this.sizeSpacer();
    const top = this.tree.positionOf(row) * ROW_HEIGHT;
    const view = this.contentTop();
    if (top < view) this.setContentTop(top);
    else if (top + ROW_HEIGHT > view + this.viewport.clientHeight) this.setContentTop(top + ROW_HEIGHT - this.viewport.clientHeight);
  }

  /** The display position at the top of the view, with the fraction of the row scrolled past. */
  get topPosition(): number {
    return this.contentTop() / ROW_HEIGHT;
  }

  /** Scrolls so that display position `position` is at the top of the view. */
  scrollToPosition(position: number): void {
    this.sizeSpacer();
    this.setContentTop(position * ROW_HEIGHT);
  }

  /** Scrolls so that display position `position` is in the middle of the view. */
  centre(position: number): void {
    this.sizeSpacer();
    this.setContentTop(position * ROW_HEIGHT - this.viewport.clientHeight / 2);
  }

  /**
   * Draws the rows in view; returns the range of display positions in view (for the minimap), worked out from
   * the layout read before the rows changed: read after, it would lay the page out again.
   */
  render(): { first: number; last: number } {
    this.sizeSpacer();
    const top = this.contentTop();
    const height = this.viewport.clientHeight;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.tree.visibleCount, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    // Rows sit where the scroll area shows them: at the scroll position plus their offset from the content in view.
    const shift = this.viewport.scrollTop - top;
    const fragment = document.createDocumentFragment();
    for (let p = first; p < last; p++) fragment.append(this.renderRow(this.tree.visible[p], p * ROW_HEIGHT + shift));
    this.list.replaceChildren(fragment);
    // Focus stays on the tree; a screen reader follows the selected row through it (when the row is drawn).
    const selected = this.state.selected;
    if (selected >= 0 && this.list.querySelector(`#row-${selected}`)) this.viewport.setAttribute('aria-activedescendant', `row-${selected}`);
    else this.viewport.removeAttribute('aria-activedescendant');
    const inView = Math.floor(top / ROW_HEIGHT);
    return { first: inView, last: Math.min(this.tree.visibleCount, inView + Math.ceil(height / ROW_HEIGHT)) };
  }

  /** Height of all visible rows, and of the scroll area standing for it (capped). */
  private heights(): { content: number; scroll: number } {
    const content = this.tree.visibleCount * ROW_HEIGHT;
    return { content, scroll: Math.min(content, MAX_SCROLL_PX) };
  }

  private sizeSpacer(): void {
    this.spacer.style.height = `${this.heights().scroll}px`;
  }

  /** The content offset at the top of the view: the scroll position, scaled when the scroll area is capped. */
  private contentTop(): number {
    const { content, scroll } = this.heights();
    if (content === scroll) return this.viewport.scrollTop;
    const view = this.viewport.clientHeight;
    return (this.viewport.scrollTop / Math.max(1, scroll - view)) * (content - view);
  }

  private setContentTop(px: number): void {
    const { content, scroll } = this.heights();
    const view = this.viewport.clientHeight;
    const clamped = Math.max(0, Math.min(px, content - view));
    this.viewport.scrollTop = content === scroll ? clamped : (clamped / Math.max(1, content - view)) * (scroll - view);
  }

  private renderRow(r: number, top: number): HTMLElement {
    const { rows, services, strings } = this.m;
    const flags = rows.flags[r];
    const row = el('div', 'row');
    row.id = `row-${r}`;
    row.dataset.row = String(r);
    row.setAttribute('aria-label', this.spoken(r));
    row.style.top = `${top}px`;
    row.setAttribute('role', 'treeitem');
    row.setAttribute('aria-level', String(rows.depth[r] + 1));
    if (flags & ROW_FLAGS.error) row.classList.add('error');
    if (flags & ROW_FLAGS.critical) row.classList.add('critical');
    if (this.state.matches[r]) row.classList.add('match');
    if (r === this.state.selected) {
      row.classList.add('selected');
      row.setAttribute('aria-selected', 'true');
    }

    const name = el('div', 'name-col');
    name.style.paddingLeft = `${4 + indentPx(rows.depth[r])}px`;
    if (rows.depth[r] > FULL_INDENT_LEVELS) {
      const depth = el('span', 'depth', String(rows.depth[r]));
      depth.title = `${rows.depth[r]} levels down`;
      name.append(depth);
    }
    if (this.tree.hasChildren(r)) {
      const collapsed = this.tree.isCollapsed(r);
      row.setAttribute('aria-expanded', String(!collapsed));
      name.append(el('span', 'toggle', collapsed ? '▸' : '▾'));
    } else name.append(el('span', 'toggle'));
    const swatch = el('span', 'swatch');
    swatch.style.background = this.colors[rows.service[r]];
    name.append(swatch, el('span', 'service-name', services[rows.service[r]]), el('span', 'span-name', strings[rows.name[r]]));
    // The whole name when the column cuts it (a tooltip is text: no markup from span data).
    name.title = `${services[rows.service[r]]}: ${strings[rows.name[r]]}`;
    const kind = KIND_LABELS[SPAN_KINDS[rows.kind[r]]];
    if (kind) name.append(el('span', 'kind', kind));
    if (flags & ROW_FLAGS.error) name.append(el('span', 'error-mark', '!'));
    if (this.tree.isCollapsed(r)) name.append(el('span', 'hidden-count', `+${this.tree.hiddenBelow(r)}`));
    const group = this.tree.groupSize(r);
    if (group) name.append(el('span', 'fold-count', `× ${group}`));
    row.append(name, this.renderTimeline(r));
    return row;
  }

  /** What a screen reader says of a row: "GET /checkout, frontend, server, 208 ms, failed, on the critical path". */
  private spoken(r: number): string {
    const { rows, services, strings } = this.m;
    const kind = SPAN_KINDS[rows.kind[r]];
    const parts = [displayText(strings[rows.name[r]], 300), displayText(services[rows.service[r]], 100)];
    if (kind !== 'internal' && kind !== 'unspecified') parts.push(kind);
    parts.push(formatDuration(rows.durationNs[r]));
    if (rows.flags[r] & ROW_FLAGS.error) parts.push('failed');
    if (rows.flags[r] & ROW_FLAGS.critical) parts.push('on the critical path');
    if (this.tree.isCollapsed(r)) parts.push(`${this.tree.hiddenBelow(r)} spans hidden`);
    const group = this.tree.groupSize(r);
    if (group) parts.push(`${group} alike folded`);
    return parts.join(', ');
  }

  private renderTimeline(r: number): HTMLElement {
    const { rows } = this.m;
    const { windowStartNs, windowEndNs } = this.state;
    const span = windowEndNs - windowStartNs || 1;
    const percent = (ns: number) => ((ns - windowStartNs) / span) * 100;
    const timeline = el('div', 'timeline');
    // The track clips bars to the zoomed window; the label sits outside it.
    const track = el('div', 'track');
    const bar = el('div', 'bar');
    bar.style.left = `${percent(rows.startNs[r])}%`;
    bar.style.width = `max(1px, ${(rows.durationNs[r] / span) * 100}%)`;
    bar.style.background = this.colors[rows.service[r]];
    track.append(bar);
    for (let e = rows.eventStart[r]; e < rows.eventStart[r + 1] && e - rows.eventStart[r] < 50; e++) {
      const tick = el('span', 'event-tick');
      tick.style.left = `${percent(rows.eventNs[e])}%`;
      track.append(tick);
    }
    // The span's name beside its bar where there is room (after it, else before it): read without the name column.
    const start = percent(rows.startNs[r]);
    const end = percent(rows.startNs[r] + rows.durationNs[r]);
    if (end <= BAR_NAME_ROOM || start >= 100 - BAR_NAME_ROOM) {
      const label = el('span', end <= BAR_NAME_ROOM ? 'bar-name after' : 'bar-name before', this.m.strings[rows.name[r]]);
      label.style.left = `${end <= BAR_NAME_ROOM ? end : start}%`;
      track.append(label);
    }
    timeline.append(track, el('span', 'bar-label', formatDuration(rows.durationNs[r])));
    return timeline;
  }
}
