// The overview: every visible row as a thin bar on a canvas (the whole trace at once, cheap at 100k rows), with
// the zoomed time window and the rows in view outlined. Drag across it to zoom into a time range, click to
// scroll there, double-click to zoom out.
import type { WaterfallModel } from '../protocol/messages';
import { el } from './dom';
import { serviceRgb } from './serviceColors';
import { rasterizeOverview } from './overviewRaster';
import type { RowTree } from './rowTree';

const HEIGHT = 48;
/** A service index the model does not name (hostile input) is drawn grey. */
const GREY: [number, number, number] = [128, 128, 128];
const MIN_DRAG_PX = 4;

export interface MinimapCallbacks {
  zoom(startNs: number, endNs: number): void;
  resetZoom(): void;
  scrollToPosition(position: number): void;
}

export class Minimap {
  readonly element = el('div', 'minimap');
  private readonly spans = el('canvas', 'minimap-spans');
  private readonly overlay = el('canvas', 'minimap-overlay');
  private dragFrom: number | undefined;
  private dragTo = 0;
  private drawTimer: ReturnType<typeof setTimeout> | undefined;
  private overlayQueued = false;

  constructor(
    private readonly m: WaterfallModel,
    private readonly tree: RowTree,
    private readonly callbacks: MinimapCallbacks,
  ) {
    this.element.title = 'Drag to zoom into a time range, click to scroll there, double-click to zoom out';
    this.element.append(this.spans, this.overlay);
    this.overlay.addEventListener('mousedown', (e) => {
      this.dragFrom = this.dragTo = e.offsetX;
      e.preventDefault();
    });
    this.overlay.addEventListener('mousemove', (e) => {
      if (this.dragFrom === undefined) return;
      this.dragTo = e.offsetX;
      this.drawOverlay();
    });
    window.addEventListener('mouseup', (e) => this.endDrag(e));
    this.overlay.addEventListener('dblclick', () => callbacks.resetZoom());
  }

  private endDrag(e: MouseEvent): void {
    if (this.dragFrom === undefined) return;
    const from = this.dragFrom;
    this.dragFrom = undefined;
    const width = this.overlay.clientWidth || 1;
    if (Math.abs(this.dragTo - from) >= MIN_DRAG_PX) {
      const [a, b] = [from, this.dragTo].sort((x, y) => x - y);
      this.callbacks.zoom((a / width) * this.m.durationNs, (b / width) * this.m.durationNs);
    } else if (e.target === this.overlay) {
      this.callbacks.scrollToPosition(Math.floor((e.offsetY / HEIGHT) * this.tree.visibleCount));
    }
  }

  private size(canvas: HTMLCanvasElement): CanvasRenderingContext2D | undefined {
    const width = Math.max(1, Math.floor(this.element.clientWidth));
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.floor(width * ratio) || canvas.height !== Math.floor(HEIGHT * ratio)) {
      canvas.width = Math.floor(width * ratio);
      canvas.height = Math.floor(HEIGHT * ratio);
    }
    const ctx = canvas.getContext('2d') ?? undefined;
    ctx?.setTransform(ratio, 0, 0, ratio, 0, 0);
    return ctx;
  }

  /** Redraws the span overview soon: it is off the interaction's critical path. */
  scheduleDraw(): void {
    clearTimeout(this.drawTimer);
    this.drawTimer = setTimeout(() => this.drawSpans(), 30);
  }

  private drawSpans(): void {
    const ctx = this.size(this.spans);
    if (!ctx) return;
    // In device pixels: the image is put as it is, unscaled.
    const { width, height } = this.spans;
    const pixels = rasterizeOverview(this.m.rows, this.tree.visible, this.tree.visibleCount, this.m.durationNs, width, height);
    const image = ctx.createImageData(width, height);
    const palette = this.m.services.map((_, i) => serviceRgb(i));
    const data = image.data;
    for (let i = 0; i < pixels.length; i++) {
      if (!pixels[i]) continue;
      const rgb = palette[pixels[i] - 1] ?? GREY;
      data[i * 4] = rgb[0];
      data[i * 4 + 1] = rgb[1];
      data[i * 4 + 2] = rgb[2];
      data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    this.drawOverlay();
  }

  private window = { startNs: 0, endNs: 0 };
  private rowsInView = { first: 0, last: 0 };

  /**
   * Moves the overlay to the rows and the time in view, on the next frame: drawn at once, it read the layout just
   * after the rows changed, laying the page out again for every render (four times as a trace opened).
   */
  update(windowStartNs: number, windowEndNs: number, rowsInView: { first: number; last: number }): void {
    this.window = { startNs: windowStartNs, endNs: windowEndNs };
    this.rowsInView = rowsInView;
    if (this.overlayQueued) return;
    this.overlayQueued = true;
    requestAnimationFrame(() => {
      this.overlayQueued = false;
      this.drawOverlay();
    });
  }

  private drawOverlay(): void {
    const ctx = this.size(this.overlay);
    if (!ctx) return;
    const width = this.element.clientWidth;
    const total = this.m.durationNs || 1;
    const style = getComputedStyle(document.body);
    ctx.clearRect(0, 0, width, HEIGHT);
    const x0 = (this.window.startNs / total) * width;
    const x1 = this.m.durationNs ? (this.window.endNs / total) * width : width;
    // Shade what lies outside the zoomed window.
    ctx.fillStyle = 'rgba(128, 128, 128, 0.35)';
    ctx.fillRect(0, 0, x0, HEIGHT);
    ctx.fillRect(x1, 0, width - x1, HEIGHT);
    const count = Math.max(this.tree.visibleCount, 1);
    ctx.strokeStyle = style.getPropertyValue('--vscode-focusBorder').trim() || '#007fd4';
    ctx.lineWidth = 1;
    ctx.strokeRect(
      x0 + 0.5,
      (this.rowsInView.first / count) * HEIGHT + 0.5,
      Math.max(2, x1 - x0 - 1),
      Math.max(2, ((this.rowsInView.last - this.rowsInView.first) / count) * HEIGHT - 1),
    );
    if (this.dragFrom !== undefined) {
      ctx.fillStyle = 'rgba(0, 127, 212, 0.25)';
      ctx.fillRect(Math.min(this.dragFrom, this.dragTo), 0, Math.abs(this.dragTo - this.dragFrom), HEIGHT);
    }
  }
}
