// A differential flame graph (icicle: callers above callees) of a comparison's merged call tree, on a canvas:
// each frame as wide as its time, coloured by its change (red slower or new, blue faster or gone, grey the
// same). Children are laid out inside their parent and, when their times add up to more than the parent's
// (async calls that overlap), scaled down together to fit: a parent is never widened by its children's overlap.
// Click a frame to zoom to it, click it again to zoom out a level (Escape: all the way); hovering shows the figures.
import { displayText, el } from '../dom';

export interface Frame {
  key: string;
  parentKey?: string;
  label: string;
  /** Its time, as it is drawn. */
  value: number;
  /** -1 (much faster, or gone) … 0 (the same) … 1 (much slower, or new). */
  change: number;
  /** The lines of its hover. */
  details: string[];
  /** Its fill, where the change is not what colours it (a plain flame graph). */
  fill?: string;
}

interface Placed {
  frame: Frame;
  depth: number;
  /** Left and right, as fractions of the whole graph. */
  x0: number;
  x1: number;
  parent?: Placed;
}

const ROW_PX = 20;
const MIN_TEXT_PX = 28;

function layout(frames: Frame[]): Placed[] {
  const children = new Map<string | undefined, Frame[]>();
  const keys = new Set(frames.map((f) => f.key));
  for (const f of frames) {
    // A frame whose parent was left out of the report hangs from the top.
    const parent = f.parentKey !== undefined && keys.has(f.parentKey) ? f.parentKey : undefined;
    const siblings = children.get(parent);
    if (siblings) siblings.push(f);
    else children.set(parent, [f]);
  }
  const placed: Placed[] = [];
  const place = (list: Frame[], x0: number, width: number, total: number, depth: number, parent?: Placed) => {
    const sum = list.reduce((s, f) => s + f.value, 0);
    // Overlapping children are scaled down together to fit their parent.
    const scale = sum > total && sum > 0 ? total / sum : 1;
    let x = x0;
    for (const f of [...list].sort((a, b) => b.value - a.value)) {
      const w = total > 0 ? (width * f.value * scale) / total : 0;
      const p: Placed = { frame: f, depth, x0: x, x1: x + w, parent };
      placed.push(p);
      place(children.get(f.key) ?? [], x, w, f.value, depth + 1, p);
      x += w;
    }
  };
  const roots = children.get(undefined) ?? [];
  place(
    roots,
    0,
    1,
    roots.reduce((s, f) => s + f.value, 0),
    0,
  );
  return placed;
}

/** Red for slower, blue for faster, by how much; a theme-neutral grey for the same. */
function colour(change: number): string {
  if (Math.abs(change) < 0.02) return 'hsl(220, 6%, 55%)';
  const strength = Math.min(1, Math.abs(change));
  return change > 0 ? `hsl(2, ${45 + 40 * strength}%, ${62 - 20 * strength}%)` : `hsl(212, ${45 + 40 * strength}%, ${64 - 20 * strength}%)`;
}

export class FlameGraph {
  readonly element = el('div', 'flame');
  private readonly canvas = el('canvas', 'flame-canvas');
  private readonly tip = el('div', 'flame-tip');
  private readonly placed: Placed[];
  private zoomed: Placed | undefined;
  private readonly depth: number;

  constructor(frames: Frame[], label: string) {
    this.placed = layout(frames);
    this.depth = this.placed.reduce((d, p) => Math.max(d, p.depth + 1), 0);
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    this.canvas.tabIndex = 0;
    this.tip.hidden = true;
    this.element.append(this.canvas, this.tip);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    this.canvas.addEventListener('click', (e) => this.zoom(this.at(e)));
    this.canvas.addEventListener('keydown', (e) => e.key === 'Escape' && this.zoom(undefined));
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  /** The visible span of the graph, as fractions: the zoomed frame's, or all of it. */
  private get window(): [number, number] {
    return this.zoomed ? [this.zoomed.x0, this.zoomed.x1] : [0, 1];
  }

  private isAncestorOfZoom(p: Placed): boolean {
    for (let at = this.zoomed?.parent; at; at = at.parent) if (at === p) return true;
    return false;
  }

  draw(): void {
    const width = this.element.clientWidth;
    const height = this.depth * ROW_PX;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.floor(width * ratio));
    this.canvas.height = Math.max(1, Math.floor(height * ratio));
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.scale(ratio, ratio);
    g.font = `12px ${getComputedStyle(document.body).fontFamily}`;
    g.textBaseline = 'middle';
    const [w0, w1] = this.window;
    for (const p of this.placed) {
      const [x0, x1] = this.isAncestorOfZoom(p) ? [0, width] : [((p.x0 - w0) / (w1 - w0)) * width, ((p.x1 - w0) / (w1 - w0)) * width];
      if (x1 < 0 || x0 > width || x1 - x0 < 0.5) continue;
      const y = p.depth * ROW_PX;
      g.fillStyle = p.frame.fill ?? colour(p.frame.change);
      g.fillRect(x0, y, Math.max(0.5, x1 - x0 - 1), ROW_PX - 1);
      if (x1 - x0 < MIN_TEXT_PX) continue;
      g.fillStyle = '#111';
      g.save();
      g.beginPath();
      g.rect(x0, y, x1 - x0 - 2, ROW_PX);
      g.clip();
      g.fillText(displayText(p.frame.label, 200), Math.max(x0, 0) + 4, y + ROW_PX / 2);
      g.restore();
    }
  }

  private at(e: MouseEvent): Placed | undefined {
    const rect = this.canvas.getBoundingClientRect();
    const depth = Math.floor((e.clientY - rect.top) / ROW_PX);
    const [w0, w1] = this.window;
    const x = w0 + ((e.clientX - rect.left) / rect.width) * (w1 - w0);
    return this.placed.find((p) => p.depth === depth && (this.isAncestorOfZoom(p) || (p.x0 <= x && x < p.x1)));
  }

  private zoom(target: Placed | undefined): void {
    this.zoomed = target && target === this.zoomed ? target.parent : target;
    if (this.zoomed && this.zoomed.x1 - this.zoomed.x0 <= 0) this.zoomed = undefined;
    this.draw();
  }

  private hover(e: MouseEvent): void {
    const p = this.at(e);
    if (!p) return void (this.tip.hidden = true);
    this.tip.replaceChildren(el('strong', undefined, p.frame.label), ...p.frame.details.map((line) => el('div', undefined, line)));
    this.tip.hidden = false;
    const rect = this.element.getBoundingClientRect();
    this.tip.style.left = `${Math.min(e.clientX - rect.left + 12, rect.width - this.tip.offsetWidth - 4)}px`;
    this.tip.style.top = `${e.clientY - rect.top + 14}px`;
  }
}
