// The bar above the rows: search with next/previous, next/previous error, depth, and zoom reset.
import { button, el } from './dom';

export interface ToolbarCallbacks {
  search(query: string): void;
  nextMatch(forward: boolean): void;
  nextError(forward: boolean): void;
  collapseToDepth(depth: number): void;
  resetZoom(): void;
  focusRows(): void;
  /** Shows the flame graph or the statistics instead of the rows, or the rows again if it shows (then showView). */
  toggleView(view: OtherView): void;
  /** Folds every run of alike siblings into its first row, or shows them all again; returns whether folded. */
  toggleRepeats(): boolean;
}

/** What shows under the toolbar: the rows, or instead of them the flame graph or the statistics by operation. */
export type View = 'rows' | OtherView;
export type OtherView = 'flame' | 'statistics';

const SEARCH_DELAY_MS = 150;

/** A button whose text is a symbol gets a name a screen reader can say. */
function named(b: HTMLButtonElement, name: string): HTMLButtonElement {
  b.setAttribute('aria-label', name);
  return b;
}

export class Toolbar {
  readonly element = el('div', 'toolbar');
  readonly input = el('input', 'search');
  private readonly status = el('span', 'search-status');
  private readonly zoomReset: HTMLButtonElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The text typed but not yet searched (the search waits for a pause in typing). */
  private pending: string | undefined;

  constructor(
    errorCount: number,
    maxDepth: number,
    /** Runs of alike siblings the trace has (none: no fold button). */
    repeatRuns: number,
    private readonly callbacks: ToolbarCallbacks,
  ) {
    this.input.type = 'search';
    // The key that comes here in the tooltip: in a narrow panel the placeholder is cut, and "( / )" went first.
    this.input.placeholder = 'Search spans, attributes, values';
    this.input.title = 'Search span names, services, attributes and their values ( / )';
    this.input.setAttribute('aria-label', 'Search spans');
    // Announced as it changes ("2 of 40"), without taking the focus.
    this.status.setAttribute('role', 'status');
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.pending = this.input.value;
      this.timer = setTimeout(() => this.flush(), SEARCH_DELAY_MS);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        // Enter right after typing searches at once (the results select the first match).
        if (this.pending !== undefined) this.flush();
        else callbacks.nextMatch(!e.shiftKey);
      } else if (e.key === 'Escape') {
        this.clear();
        callbacks.focusRows();
      } else return;
      e.preventDefault();
      e.stopPropagation();
    });
    const depth = el('select', 'depth');
    depth.title = 'Show this many levels (keys 1-9, 0 for all)';
    depth.setAttribute('aria-label', 'Levels shown');
    depth.append(
      new Option('All levels', '0'),
      ...Array.from({ length: Math.min(maxDepth, 9) }, (_, i) => new Option(`${i + 1} level${i ? 's' : ''}`, String(i + 1))),
    );
    depth.addEventListener('change', () => callbacks.collapseToDepth(Number(depth.value) || Infinity));
    this.zoomReset = button('zoom-reset', 'Reset zoom', 'Show the whole trace (double-click the overview)', () => callbacks.resetZoom());
    this.zoomReset.hidden = true;
    this.element.append(
      this.input,
      named(
        button('prev-match', '↑', 'Previous match (Shift+Enter, Shift+N)', () => callbacks.nextMatch(false)),
        'Previous match',
      ),
      named(
        button('next-match', '↓', 'Next match (Enter, N)', () => callbacks.nextMatch(true)),
        'Next match',
      ),
      this.status,
      named(
        button('prev-error', '◀ error', 'Previous error (Shift+E)', () => callbacks.nextError(false)),
        'Previous error',
      ),
      named(
        button('next-error', 'error ▶', 'Next error (E)', () => callbacks.nextError(true)),
        'Next error',
      ),
      depth,
      this.zoomReset,
      ...this.viewToggles.values(),
    );
    if (repeatRuns) this.element.append(this.repeatsToggle);
    if (errorCount === 0) for (const b of this.element.querySelectorAll<HTMLButtonElement>('.prev-error, .next-error')) b.disabled = true;
  }

  /** Folds runs of alike siblings ("× 12"), key R; pressed while they are folded. */
  readonly repeatsToggle = (() => {
    const toggle = button('repeats-toggle', 'Fold repeats', 'Fold each run of alike siblings into one "× N" row (R); press again to show them all', () =>
      this.showRepeatsFolded(this.callbacks.toggleRepeats()),
    );
    toggle.setAttribute('aria-pressed', 'false');
    return toggle;
  })();

  showRepeatsFolded(folded: boolean): void {
    this.repeatsToggle.setAttribute('aria-pressed', String(folded));
  }

  /** A button per other view; pressed, it shows that view, and pressed again the rows ("Waterfall"). */
  private readonly viewToggles = new Map<OtherView, HTMLButtonElement>(
    (
      [
        ['flame', 'flame-toggle', 'Flame graph', 'Show the trace as a flame graph (callers above callees, at their times); press again for the rows'],
        [
          'statistics',
          'stats-toggle',
          'Statistics',
          'Show where the time went by operation: spans, failures, durations and self time (S); press again for the rows',
        ],
      ] as const
    ).map(([view, className, label, title]) => {
      const toggle = button(className, label, title, () => this.callbacks.toggleView(view));
      toggle.setAttribute('aria-pressed', 'false');
      toggle.dataset.label = label;
      return [view, toggle];
    }),
  );

  /** Each view's button pressed while its view shows, and then named for the way back. */
  showView(view: View): void {
    for (const [other, toggle] of this.viewToggles) {
      toggle.setAttribute('aria-pressed', String(other === view));
      toggle.textContent = other === view ? 'Waterfall' : toggle.dataset.label!;
    }
  }

  /** Presses a view's button (a key did). */
  press(view: OtherView): void {
    this.viewToggles.get(view)!.click();
  }

  private flush(): void {
    clearTimeout(this.timer);
    const query = this.pending;
    this.pending = undefined;
    if (query !== undefined) this.callbacks.search(query);
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.pending = undefined;
    if (this.input.value) {
      this.input.value = '';
      this.callbacks.search('');
    }
  }

  showStatus(text: string): void {
    this.status.textContent = text;
  }

  showZoomed(zoomed: boolean): void {
    this.zoomReset.hidden = !zoomed;
  }
}
