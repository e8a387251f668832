// The waterfall webview: wires the header, toolbar, overview, rows and details to the host's messages and the
// keyboard. Trace data arrives once as typed columns; details and search results are asked for by request id,
// and answers to superseded requests are dropped.
import { groupDigits } from '../core/analysis/groupDigits';
import type { SpanDetails, ToWebview, WaterfallFinding, WaterfallModel, WaterfallViewState } from '../protocol/messages';
import { ColumnAssembly } from '../core/waterfall/columnParts';
import { FindingsBar } from './findingsBar';
import { ROW_FLAGS } from '../protocol/messages';
import { renderDetails } from './detailsPane';
import { el } from './dom';
import { renderHeader, renderRuler, setTimeGrid, toggleCriticalPath } from './header';
import { Minimap } from './minimap';
import { RowTree } from './rowTree';
import { RowsView, type RowsState } from './rowsView';
import { Toolbar, type OtherView, type View } from './toolbar';
import { StatsTable } from './statsTable';
import { vscodeApi } from './vscodeApi';
import { applyNameWidth } from './nameDivider';
import { FlameChart } from './flameChart';
import { detailsEdge } from './detailsEdge';
import { similarRuns } from '../core/waterfall/similarRuns';
import { counted } from '../core/analysis/counted';

const DETAILS_DELAY_MS = 60;
/** Room a tick's label needs on the ruler ("1.25 s" and a gap). */
const TICK_PX = 90;
/** As waterfall.css lays out a narrow panel (details below the rows). */
const NARROW = '(max-width: 600px)';

/** Where the user was among a trace's first rows: the selected row, and the row at the top of the view (and how far into it). */
interface Place {
  row?: number;
  topRow: number;
  within: number;
}

class Waterfall {
  private readonly tree: RowTree;
  private readonly state: RowsState;
  private readonly rows: RowsView;
  private readonly minimap: Minimap;
  private readonly toolbar: Toolbar;
  private readonly flame: FlameChart;
  private readonly statsTable: StatsTable;
  private readonly findingsBar = new FindingsBar(
    (finding) => this.pickOut(finding),
    (finding, folded) => {
      this.tree.setFolded(finding.rows, folded);
      if (this.state.selected >= 0) this.tree.reveal(this.state.selected);
      this.afterTreeChange();
    },
  );
  private readonly ruler = el('div', 'ruler-holder');
  readonly details = el('aside', 'details');
  private readonly errors: Int32Array;
  private hits: Int32Array = new Int32Array(0);
  private searchRequest = 0;
  /** Whether more matches of the current search may still arrive. */
  private searching = false;
  private detailsRequest = 0;
  private detailsTimer: ReturnType<typeof setTimeout> | undefined;
  private renderQueued = false;
  /** The rows' viewport size they were last drawn for (its resize notices at that size redraw nothing). */
  private drawnSize = { width: -1, height: -1 };
  /** The selection and scroll it opened with: a place the user did not move from is not kept (see placeFor). */
  private opened = { row: -1, top: 0 };
  /** Runs of alike siblings, and whether they are folded now. */
  private readonly repeats: Int32Array[];
  private repeatsFolded = false;
  private tickCount = 0;
  /** Whether selecting shows the details: a narrow panel opens with them closed, to leave the rows room. */
  private detailsWanted = !matchMedia(NARROW).matches;
  private rulerWindow = '';

  constructor(
    private readonly m: WaterfallModel,
    private readonly file: string | undefined,
  ) {
    const n = m.rows.span.length;
    this.tree = new RowTree(m.rows);
    this.state = { selected: -1, matches: new Uint8Array(n), windowStartNs: 0, windowEndNs: m.durationNs };
    this.rows = new RowsView(m, this.tree, this.state);
    // Plain loops: Int32Array.from({ length }, map) and its filter took 80 ms of the window's thread at 1M rows.
    const errors: number[] = [];
    let maxDepth = 0;
    for (let r = 0; r < n; r++) {
      if (m.rows.flags[r] & ROW_FLAGS.error) errors.push(r);
      maxDepth = Math.max(maxDepth, m.rows.depth[r] + 1);
    }
    this.errors = new Int32Array(errors);
    this.repeats = similarRuns(m.rows);
    this.toolbar = new Toolbar(this.errors.length, maxDepth, this.repeats.length, {
      search: (query) => this.search(query),
      nextMatch: (forward) => this.jump(this.hits, forward),
      nextError: (forward) => this.jump(this.errors, forward),
      collapseToDepth: (depth) => this.collapseToDepth(depth),
      resetZoom: () => this.zoom(0, m.durationNs),
      focusRows: () => this.rows.viewport.focus(),
      toggleView: (view) => this.toggleView(view),
      toggleRepeats: () => this.toggleRepeats(),
    });
    this.flame = new FlameChart(m, this.state, { select: (row) => this.select(row, 0), zoom: (start, end) => this.zoom(start, end) });
    this.statsTable = new StatsTable(m, (row) => this.showInRows(row));
    this.minimap = new Minimap(m, this.tree, {
      zoom: (start, end) => this.zoom(start, end),
      resetZoom: () => this.zoom(0, m.durationNs),
      scrollToPosition: (p) => this.rows.centre(p),
    });
    this.details.tabIndex = -1;
    this.listen();
  }

  /** Shows the trace; with `row`, selected and in view from the first render (laid out once, not once a step). */
  mount(app: HTMLElement, row?: number): void {
    const main = el('div', 'main');
    main.append(
      this.toolbar.element,
      this.findingsBar.element,
      this.minimap.element,
      this.ruler,
      this.rows.viewport,
      this.flame.element,
      this.statsTable.element,
    );
    const body = el('div', 'body');
    body.append(main, detailsEdge(), this.details);
    app.replaceChildren(
      renderHeader(this.m, (message) => vscodeApi.postMessage(message)),
      body,
    );
    this.drawRuler();
    if (row === undefined) this.render();
    else this.select(row, 0);
    this.opened = { row: this.state.selected, top: this.rows.topPosition };
    this.minimap.scheduleDraw();
    // Read once the rows are in: the layout the first frame would make anyway, made now.
    this.drawnSize = { width: this.rows.viewport.clientWidth, height: this.rows.viewport.clientHeight };
  }

  /**
   * Where the user is among these first rows, for the whole trace that takes their place (its rows begin with
   * them): the span they chose, and the row at the top of the view. None when this is not its preview, or when the
   * user has not moved in it: the whole trace then opens where it asks (a span asked for, or where its failure
   * began).
   */
  placeFor(next: WaterfallModel): Place | undefined {
    if (this.m.totalRows === undefined || next.traceId !== this.m.traceId) return undefined;
    const top = this.rows.topPosition;
    const chose = this.state.selected !== this.opened.row;
    if (!chose && top === this.opened.top) return undefined;
    const topRow = this.tree.visible[Math.min(Math.floor(top), this.tree.visibleCount - 1)];
    return { row: chose && this.state.selected >= 0 ? this.state.selected : undefined, topRow, within: top % 1 };
  }

  /** The view other than the rows the user chose among these first rows, for the whole trace that follows them. */
  viewFor(next: WaterfallModel): OtherView | undefined {
    const view = this.view();
    return this.m.totalRows !== undefined && next.traceId === this.m.traceId && view !== 'rows' ? view : undefined;
  }

  /** Shows another view than the rows, as its toolbar button would. */
  showView(view: OtherView): void {
    this.setView(view);
  }

  /** Back to where the user was among the first rows (see placeFor). */
  returnTo(place: Place): void {
    this.rows.scrollToPosition(this.tree.positionOf(place.topRow) + place.within);
    this.render();
  }

  private listen(): void {
    const viewport = this.rows.viewport;
    viewport.addEventListener('scroll', () => this.queueRender(), { passive: true });
    viewport.addEventListener('click', (e) => {
      const row = this.rows.rowAt(e.target);
      if (row === undefined) return;
      if ((e.target as HTMLElement).classList.contains('toggle')) return this.toggle(row);
      // A folded run's "× 12" shows its rows again.
      if ((e.target as HTMLElement).classList.contains('fold-count')) {
        this.tree.unfold(row);
        return this.afterTreeChange();
      }
      this.detailsWanted = true;
      this.select(row, 0);
    });
    viewport.addEventListener('dblclick', (e) => {
      const row = this.rows.rowAt(e.target);
      if (row !== undefined) this.toggle(row);
    });
    viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.details.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.closeDetails();
    });
    new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      // The first notice comes once the page is laid out, at the size the rows were just drawn for: nothing to redraw.
      if (width === this.drawnSize.width && height === this.drawnSize.height) return;
      this.drawnSize = { width, height };
      this.drawRuler();
      this.queueRender();
      this.minimap.scheduleDraw();
    }).observe(viewport);
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private render(): void {
    this.flame.scheduleDraw();
    this.minimap.update(this.state.windowStartNs, this.state.windowEndNs, this.rows.render());
  }

  private onKey(e: KeyboardEvent): void {
    const selected = this.state.selected;
    const position = selected >= 0 ? this.tree.positionOf(selected) : -1;
    const at = (p: number) => this.tree.visible[Math.max(0, Math.min(this.tree.visibleCount - 1, p))];
    switch (e.key) {
      case 'ArrowDown':
        this.select(at(position + 1));
        break;
      case 'ArrowUp':
        this.select(at(Math.max(0, position - 1)));
        break;
      case 'PageDown':
        this.select(at(position + this.rows.pageSize()));
        break;
      case 'PageUp':
        this.select(at(position - this.rows.pageSize()));
        break;
      case 'Home':
        this.select(at(0));
        break;
      case 'End':
        this.select(at(this.tree.visibleCount - 1));
        break;
      case 'ArrowRight':
        if (selected < 0) this.select(at(0));
        else if (this.tree.isCollapsed(selected)) this.setCollapsed(selected, false);
        else if (this.tree.hasChildren(selected)) this.select(selected + 1);
        break;
      case 'ArrowLeft':
        if (selected < 0) break;
        if (this.tree.hasChildren(selected) && !this.tree.isCollapsed(selected)) this.setCollapsed(selected, true);
        else if (this.m.rows.parent[selected] >= 0) this.select(this.m.rows.parent[selected]);
        break;
      case 'Enter':
        if (selected < 0) this.select(at(0), 0);
        else this.showDetails(selected, true);
        break;
      case 'Escape':
        if (this.toolbar.input.value) this.toolbar.clear();
        else this.closeDetails();
        break;
      case 'n':
      case 'N':
        this.jump(this.hits, !e.shiftKey);
        break;
      case 'e':
      case 'E':
        this.jump(this.errors, !e.shiftKey);
        break;
      case 'f':
      case 'F':
        this.findingsBar.step(!e.shiftKey);
        break;
      case 'c':
      case 'C':
        toggleCriticalPath();
        break;
      case 'r':
      case 'R':
        if (this.repeats.length) this.toolbar.repeatsToggle.click();
        break;
      case 's':
      case 'S':
        this.toolbar.press('statistics');
        break;
      default:
        if (/^[0-9]$/.test(e.key)) this.collapseToDepth(Number(e.key) || Infinity);
        else return;
    }
    e.preventDefault();
  }

  private toggleRepeats(): boolean {
    this.repeatsFolded = !this.repeatsFolded;
    this.tree.setFoldedMany(this.repeats, this.repeatsFolded);
    if (this.state.selected >= 0) this.tree.reveal(this.state.selected);
    this.afterTreeChange();
    return this.repeatsFolded;
  }

  private toggleView(view: OtherView): void {
    this.setView(this.view() === view ? 'rows' : view);
  }

  /** Shows `view` under the toolbar, the others hidden, and its button pressed. */
  private setView(view: View): void {
    this.rows.viewport.hidden = view !== 'rows';
    this.flame.show(view === 'flame');
    this.statsTable.setShown(view === 'statistics');
    this.toolbar.showView(view);
    if (view === 'rows') this.render();
  }

  private view(): View {
    return this.flame.shown ? 'flame' : this.statsTable.shown ? 'statistics' : 'rows';
  }

  /** A row chosen in another view, selected among the rows with its details. */
  private showInRows(row: number): void {
    if (this.view() !== 'rows') this.setView('rows');
    this.detailsWanted = true;
    this.select(row, 0);
    this.rows.viewport.focus();
  }

  private setCollapsed(row: number, collapsed: boolean): void {
    if (this.tree.setCollapsed(row, collapsed)) this.afterTreeChange();
  }

  private toggle(row: number): void {
    this.setCollapsed(row, !this.tree.isCollapsed(row));
  }

  private collapseToDepth(depth: number): void {
    this.tree.collapseToDepth(depth);
    if (this.state.selected >= 0) this.tree.reveal(this.state.selected);
    this.afterTreeChange();
  }

  private afterTreeChange(): void {
    this.render();
    this.minimap.scheduleDraw();
  }

  select(row: number, delayMs = DETAILS_DELAY_MS): void {
    if (row < 0 || row >= this.tree.count) return;
    this.state.selected = row;
    this.tree.reveal(row);
    this.rows.scrollIntoView(row);
    this.render();
    // Holding an arrow key moves through many rows: only the one it stops on asks for details.
    clearTimeout(this.detailsTimer);
    this.detailsTimer = setTimeout(() => this.showDetails(row, false), delayMs);
  }

  /** `focus`: asked for (Enter, a click), which opens a pane the user closed; moving the selection does not. */
  private showDetails(row: number, focus: boolean): void {
    vscodeApi.postMessage({ type: 'selectSpan', requestId: ++this.detailsRequest, span: this.m.rows.span[row] });
    // Until the host answers, the pane still holds the span shown before: it must not pass for this one.
    this.details.setAttribute('aria-busy', 'true');
    if (focus) this.detailsWanted = true;
    document.body.classList.toggle('details-open', this.detailsWanted);
    if (focus) this.details.focus();
  }

  private closeDetails(): void {
    this.detailsWanted = false;
    document.body.classList.remove('details-open');
    this.rows.viewport.focus();
  }

  receiveDetails(requestId: number, d: SpanDetails | undefined): void {
    if (requestId !== this.detailsRequest) return;
    this.details.removeAttribute('aria-busy');
    this.details.replaceChildren(
      ...(d
        ? renderDetails(
            d,
            (message) => vscodeApi.postMessage(message),
            () => this.closeDetails(),
          )
        : []),
    );
    if (d) saveState({ traceId: this.m.traceId, spanId: d.spanId, file: this.file });
  }

  /**
   * Gives the rows the keyboard when the panel has it and nothing in the page does: never takes the focus from
   * elsewhere in the editor (a quick pick open over the panel would close).
   */
  focusRows(): void {
    if (document.hasFocus() && (document.activeElement === document.body || document.activeElement === null)) this.rows.viewport.focus({ preventScroll: true });
  }

  showFindings(findings: WaterfallFinding[]): void {
    this.findingsBar.show(findings);
  }

  pickFinding(fingerprint: string): void {
    this.findingsBar.pick(fingerprint);
  }

  /** A finding's spans, picked out as search matches are: highlighted, the first selected, N moves among them. */
  private pickOut(finding: WaterfallFinding | undefined): void {
    this.toolbar.clear();
    ++this.searchRequest;
    this.searching = false;
    this.state.matches.fill(0);
    this.hits = finding ? finding.rows : new Int32Array(0);
    for (const r of this.hits) this.state.matches[r] = 1;
    this.toolbar.showStatus(finding ? `${counted(this.hits.length, 'span')} of the finding` : '');
    if (this.hits.length) this.select(this.hits[0]);
    else this.render();
  }

  private search(query: string): void {
    this.findingsBar.release();
    this.state.matches.fill(0);
    this.hits = new Int32Array(0);
    // A new request id even for an empty query: slices of the search before it are ignored from here.
    const requestId = ++this.searchRequest;
    this.searching = query.trim() !== '';
    if (!this.searching) {
      this.toolbar.showStatus('');
      this.render();
      return;
    }
    this.toolbar.showStatus('searching…');
    vscodeApi.postMessage({ type: 'search', requestId, query });
  }

  /** Slices arrive in row order: each is appended, and the first match is selected as soon as it is known. */
  receiveSearch(requestId: number, slice: Int32Array, done: boolean): void {
    if (requestId !== this.searchRequest) return;
    const first = this.hits.length === 0 && slice.length > 0;
    if (slice.length) {
      const hits = new Int32Array(this.hits.length + slice.length);
      hits.set(this.hits);
      hits.set(slice, this.hits.length);
      this.hits = hits;
      for (const r of slice) this.state.matches[r] = 1;
    }
    this.searching = !done;
    if (first) this.jump(this.hits, true);
    else this.render();
    this.showSearchStatus();
  }

  /** "2 of 40" on a match, "40 matches" elsewhere; a "+" while more may come. */
  private showSearchStatus(): void {
    const total = `${groupDigits(this.hits.length)}${this.searching ? '+' : ''}`;
    const at = this.hits.indexOf(this.state.selected);
    if (!this.hits.length) this.toolbar.showStatus(this.searching ? 'searching…' : 'no matches');
    else this.toolbar.showStatus(at >= 0 ? `${at + 1} of ${total}` : `${total} match${this.hits.length === 1 && !this.searching ? '' : 'es'}`);
  }

  private jump(targets: Int32Array, forward: boolean): void {
    const row = RowTree.nextIn(targets, this.state.selected, forward);
    if (row === undefined) return;
    this.select(row);
    if (targets === this.hits) this.showSearchStatus();
  }

  /** The ruler and grid of the window shown, with as many ticks as the timeline's width holds without labels colliding. */
  private drawRuler(): void {
    const width = this.ruler.querySelector('.ticks')?.clientWidth || this.rows.viewport.clientWidth / 2;
    const count = Math.max(2, Math.min(8, Math.floor(width / TICK_PX)));
    if (count === this.tickCount && this.ruler.childElementCount && this.rulerWindow === `${this.state.windowStartNs}-${this.state.windowEndNs}`) return;
    this.tickCount = count;
    this.rulerWindow = `${this.state.windowStartNs}-${this.state.windowEndNs}`;
    this.ruler.replaceChildren(renderRuler(this.state.windowStartNs, this.state.windowEndNs, count));
    setTimeGrid(this.rows.viewport, this.state.windowStartNs, this.state.windowEndNs, count);
  }

  private zoom(startNs: number, endNs: number): void {
    if (endNs - startNs < 1) return;
    this.state.windowStartNs = startNs;
    this.state.windowEndNs = endNs;
    this.drawRuler();
    this.toolbar.showZoomed(startNs > 0 || endNs < this.m.durationNs);
    this.render();
  }
}

function saveState(state: WaterfallViewState): void {
  vscodeApi.setState(state);
}

const app = document.getElementById('app')!;
let current: Waterfall | undefined;
const columns = new ColumnAssembly();

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'column':
      columns.add(message);
      break;
    case 'trace': {
      performance.mark('trace-lens:received');
      // A large trace's columns came ahead of it, in parts.
      const model: WaterfallModel = message.model.rows ? message.model : { ...message.model, rows: columns.take() };
      applyNameWidth(message.nameWidth);
      // The whole trace after its first rows: the user stays where they were in them.
      const place = current?.placeFor(model);
      const view = current?.viewFor(model);
      current = new Waterfall(model, message.file);
      // A failing trace opens on the span where its failure began, unless a span was asked for.
      const origin = model.failureOriginRow;
      current.mount(app, place?.row ?? message.selectRow ?? (origin >= 0 ? origin : undefined));
      if (place) current.returnTo(place);
      if (view) current.showView(view);
      saveState({ traceId: model.traceId, file: message.file });
      // The keyboard works at once: the rows have the focus, not the page.
      current.focusRows();
      // Its rows built: the benchmark tells this from the browser's first frame of them.
      performance.mark('trace-lens:mounted');
      // The marks after the next frame: first rows painted, and (not a preview) every row (read by the benchmark).
      const painted = model.totalRows === undefined ? ['trace-lens:painted', 'trace-lens:complete'] : ['trace-lens:painted'];
      requestAnimationFrame(() => setTimeout(() => painted.forEach((mark) => performance.mark(mark)), 0));
      break;
    }
    case 'select':
      current?.select(message.row, 0);
      current?.focusRows();
      break;
    case 'unavailable':
      current = undefined;
      app.replaceChildren(el('div', 'unavailable', message.message));
      break;
    case 'details':
      current?.receiveDetails(message.requestId, message.details);
      break;
    case 'searchResults':
      current?.receiveSearch(message.requestId, message.rows, message.done);
      break;
    case 'findings':
      current?.showFindings(message.findings);
      break;
    case 'pickFinding':
      current?.pickFinding(message.fingerprint);
      break;
  }
});
// The panel getting the keyboard (a click on its tab, a reveal) hands it to the rows.
window.addEventListener('focus', () => current?.focusRows());
document.addEventListener('keydown', (e) => {
  // "/" searches from anywhere but a text field.
  if (e.key === '/' && !(e.target instanceof HTMLInputElement)) {
    document.querySelector<HTMLInputElement>('.search')?.focus();
    e.preventDefault();
  }
});
// Marked for the VS Code bench: when the page was ready for its trace, beside when the trace came and painted.
performance.mark('trace-lens:ready');
vscodeApi.postMessage({ type: 'ready' });
