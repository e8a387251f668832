// The trace as a flame graph (an icicle: callers above callees) on a canvas, beside the waterfall: each span a
// frame at its own time, as wide as its duration, its depth down the page. Async siblings that overlap in time
// are never stacked end to end (which would make their parent look longer than it was, jaeger-ui #525): each
// depth gets as many lanes as its spans need, and an overlapping sibling takes the next lane. It shares the
// waterfall's time window (zoom), selection (the details pane) and search matches; a click selects a span and
// zooms to it. Only frames in the window are visited, by binary search per lane, and frames under a pixel are
// merged into one mark, so a 100k-span trace redraws within a frame.
import { ROW_FLAGS, type WaterfallModel } from '../protocol/messages';
import { formatDuration } from '../core/analysis/formatDuration';
import { displayText, el } from './dom';
import { byDepthThenStart } from './flameOrder';
import { serviceColor } from './serviceColors';
import type { RowsState } from './rowsView';

const LANE_PX = 18;
const MIN_TEXT_PX = 36;

export interface FlameCallbacks {
  select(row: number): void;
  zoom(startNs: number, endNs: number): void;
}

/** Each lane's rows ordered by start, and the lane of each row. */
export interface FlameLayout {
  lanes: Int32Array[];
  laneOf: Int32Array;
}

/**
 * Lanes by depth: a span takes the lane of its depth that came free earliest, if free at its start, else a new
 * one (a heap of lane ends: many concurrent siblings cost a logarithm each, not a scan of every lane).
 */
export function flameLayout(m: WaterfallModel): FlameLayout {
  const { depth, startNs, durationNs } = m.rows;
  const n = depth.length;
  const order = byDepthThenStart(depth, startNs);
  const laneOf = new Int32Array(n);
  const laneRows: number[][] = [];
  let free = new LaneHeap();
  let currentDepth = -1;
  for (const r of order) {
    if (depth[r] !== currentDepth) {
      free = new LaneHeap();
      currentDepth = depth[r];
    }
    const earliest = free.peek();
    let lane: number;
    if (earliest && earliest.end <= startNs[r]) {
      lane = earliest.lane;
      free.pop();
    } else {
      lane = laneRows.length;
      laneRows.push([]);
    }
    free.push({ end: startNs[r] + durationNs[r], lane });
    laneOf[r] = lane;
    laneRows[lane].push(r);
  }
  return { lanes: laneRows.map((rows) => new Int32Array(rows)), laneOf };
}

/** A binary min-heap of lanes by the time they come free. */
class LaneHeap {
  private readonly items: { end: number; lane: number }[] = [];

  peek(): { end: number; lane: number } | undefined {
    return this.items[0];
  }

  push(item: { end: number; lane: number }): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (a[p].end <= a[i].end) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  pop(): void {
    const a = this.items;
    const last = a.pop()!;
    if (!a.length) return;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l].end < a[m].end) m = l;
      if (r < a.length && a[r].end < a[m].end) m = r;
      if (m === i) return;
      [a[m], a[i]] = [a[i], a[m]];
      i = m;
    }
  }
}

export class FlameChart {
  readonly element = el('div', 'flame-chart');
  private readonly canvas = el('canvas', 'flame-chart-canvas');
  private readonly tip = el('div', 'flame-tip');
  private layout: FlameLayout | undefined;
  private drawQueued = false;
  private colours = { error: '#f14c4c', selected: '#007fd4', text: '#111', match: '#ffd33d' };

  constructor(
    private readonly m: WaterfallModel,
    private readonly state: RowsState,
    private readonly callbacks: FlameCallbacks,
  ) {
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute(
      'aria-label',
      'Flame graph of the trace: callers above callees, each span at its time. The waterfall lists the same spans as rows.',
    );
    this.canvas.tabIndex = 0;
    this.tip.hidden = true;
    this.element.append(this.canvas, this.tip);
    this.element.hidden = true;
    this.canvas.addEventListener('click', (e) => this.click(e));
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    this.element.addEventListener('scroll', () => this.scheduleDraw(), { passive: true });
    new ResizeObserver(() => this.scheduleDraw()).observe(this.element);
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  show(shown: boolean): void {
    this.element.hidden = !shown;
    if (shown) {
      this.layout ??= flameLayout(this.m);
      this.readColours();
      this.draw();
    }
  }

  scheduleDraw(): void {
    if (this.drawQueued || !this.shown) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.draw();
    });
  }

  private readColours(): void {
    const style = getComputedStyle(document.body);
    const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    this.colours = {
      error: read('--vscode-errorForeground', '#f14c4c'),
      selected: read('--vscode-focusBorder', '#007fd4'),
      text: '#111',
      match: read('--vscode-editor-findMatchHighlightBorder', '#ffd33d'),
    };
  }

  /** The first row of a lane (ordered by start) that ends after `t`: lanes never overlap, so ends are ordered too. */
  private static firstEndingAfter(lane: Int32Array, t: number, m: WaterfallModel): number {
    let lo = 0;
    let hi = lane.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (m.rows.startNs[lane[mid]] + m.rows.durationNs[lane[mid]] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  draw(): void {
    const layout = this.layout;
    if (!layout || !this.shown) return;
    // The last draw's time, for the benchmark (one entry, replaced each time).
    performance.clearMarks('trace-lens:flame-draw');
    performance.mark('trace-lens:flame-draw');
    const width = this.element.clientWidth;
    const height = Math.max(1, this.element.clientHeight);
    const ratio = window.devicePixelRatio || 1;
    // The canvas covers the visible part; a spacer height lets the element scroll through every lane.
    this.element.style.setProperty('--lanes-height', `${layout.lanes.length * LANE_PX}px`);
    this.canvas.width = Math.floor(width * ratio);
    this.canvas.height = Math.floor(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.canvas.style.top = `${this.element.scrollTop}px`;
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.scale(ratio, ratio);
    g.font = `11px ${getComputedStyle(document.body).fontFamily}`;
    g.textBaseline = 'middle';
    const { startNs, durationNs, flags, service, name } = this.m.rows;
    const w0 = this.state.windowStartNs;
    const scale = width / Math.max(1, this.state.windowEndNs - w0);
    const searching = this.state.matches.includes(1);
    const firstLane = Math.floor(this.element.scrollTop / LANE_PX);
    const lastLane = Math.min(layout.lanes.length - 1, Math.ceil((this.element.scrollTop + height) / LANE_PX));
    for (let l = firstLane; l <= lastLane; l++) {
      const lane = layout.lanes[l];
      const y = l * LANE_PX - this.element.scrollTop;
      // A run of frames narrower than a pixel is drawn as one mark of the first's colour.
      let pendingX = -1;
      let pendingEnd = -1;
      const flush = () => {
        if (pendingX >= 0) g.fillRect(pendingX, y, Math.max(1, pendingEnd - pendingX), LANE_PX - 1);
        pendingX = -1;
      };
      for (let k = FlameChart.firstEndingAfter(lane, w0, this.m); k < lane.length; k++) {
        const r = lane[k];
        const x0 = (startNs[r] - w0) * scale;
        if (x0 > width) break;
        const x1 = x0 + durationNs[r] * scale;
        const dim = searching && !this.state.matches[r];
        const fill = flags[r] & ROW_FLAGS.error ? this.colours.error : serviceColor(service[r]);
        if (x1 - x0 < 1) {
          if (pendingX >= 0 && x0 <= pendingEnd + 1) pendingEnd = Math.max(pendingEnd, x1);
          else {
            flush();
            g.fillStyle = fill;
            g.globalAlpha = dim ? 0.25 : 1;
            pendingX = x0;
            pendingEnd = x1;
          }
          continue;
        }
        flush();
        g.globalAlpha = dim ? 0.25 : 1;
        g.fillStyle = fill;
        const left = Math.max(x0, -1);
        const right = Math.min(x1, width + 1);
        g.fillRect(left, y, Math.max(1, right - left - 1), LANE_PX - 1);
        if (r === this.state.selected || (searching && this.state.matches[r])) {
          g.strokeStyle = r === this.state.selected ? this.colours.selected : this.colours.match;
          g.lineWidth = 2;
          g.strokeRect(left + 1, y + 1, Math.max(1, right - left - 3), LANE_PX - 3);
        }
        if (right - left >= MIN_TEXT_PX) {
          g.fillStyle = this.colours.text;
          g.save();
          g.beginPath();
          g.rect(left, y, right - left - 3, LANE_PX);
          g.clip();
          g.fillText(displayText(this.m.strings[name[r]], 200), Math.max(left, 0) + 3, y + LANE_PX / 2);
          g.restore();
        }
      }
      flush();
    }
    g.globalAlpha = 1;
    performance.clearMeasures('trace-lens:flame-drawn');
    performance.measure('trace-lens:flame-drawn', 'trace-lens:flame-draw');
  }

  /** The row under the pointer, if any. */
  private rowAt(e: MouseEvent): number | undefined {
    const layout = this.layout;
    if (!layout) return undefined;
    const rect = this.canvas.getBoundingClientRect();
    const lane = layout.lanes[Math.floor((e.clientY - rect.top + this.element.scrollTop) / LANE_PX)];
    if (!lane) return undefined;
    const w0 = this.state.windowStartNs;
    const t = w0 + ((e.clientX - rect.left) / rect.width) * (this.state.windowEndNs - w0);
    const k = FlameChart.firstEndingAfter(lane, t, this.m);
    const r = lane[k];
    return r !== undefined && this.m.rows.startNs[r] <= t ? r : undefined;
  }

  private click(e: MouseEvent): void {
    const row = this.rowAt(e);
    if (row === undefined) return;
    this.callbacks.select(row);
    const { startNs, durationNs } = this.m.rows;
    // Zoomed to the span, with a margin either side so its edges show.
    const margin = durationNs[row] * 0.05;
    this.callbacks.zoom(Math.max(0, startNs[row] - margin), Math.min(this.m.durationNs, startNs[row] + durationNs[row] + margin));
  }

  private hover(e: MouseEvent): void {
    const row = this.rowAt(e);
    if (row === undefined) return void (this.tip.hidden = true);
    const { service, name, durationNs, flags } = this.m.rows;
    this.tip.replaceChildren(
      el('strong', undefined, this.m.strings[name[row]]),
      el('div', undefined, `${this.m.services[service[row]]} · ${formatDuration(durationNs[row])}${flags[row] & ROW_FLAGS.error ? ' · failed' : ''}`),
    );
    this.tip.hidden = false;
    const rect = this.element.getBoundingClientRect();
    this.tip.style.left = `${Math.min(e.clientX - rect.left + 12, rect.width - this.tip.offsetWidth - 4)}px`;
    this.tip.style.top = `${e.clientY - rect.top + this.element.scrollTop + 14}px`;
  }
}
