// A draggable edge that sets a width (the name column's, the details pane's): a separator a pointer drags and
// the arrow keys move, reporting the final width once the drag ends.
import { el } from './dom';

const KEY_STEP_PX = 16;

export interface ResizeOptions {
  className: string;
  title: string;
  /** The width the edge at this x makes, clamped. */
  widthAt(clientX: number): number;
  apply(px: number): void;
  done(px: number): void;
}

export function resizeHandle(o: ResizeOptions): HTMLElement {
  const handle = el('div', o.className);
  handle.title = o.title;
  handle.tabIndex = 0;
  handle.setAttribute('role', 'separator');
  handle.setAttribute('aria-orientation', 'vertical');
  handle.setAttribute('aria-label', o.title);
  handle.addEventListener('pointerdown', (down: PointerEvent) => {
    down.preventDefault();
    handle.setPointerCapture(down.pointerId);
    let width: number | undefined;
    const move = (event: PointerEvent) => {
      width = o.widthAt(event.clientX);
      o.apply(width);
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      if (width !== undefined) o.done(width);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  // ← and → move the edge, for those who do not use a pointer.
  handle.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    e.stopPropagation();
    const box = handle.getBoundingClientRect();
    const width = o.widthAt(box.left + box.width / 2 + (e.key === 'ArrowRight' ? KEY_STEP_PX : -KEY_STEP_PX));
    o.apply(width);
    o.done(width);
  });
  return handle;
}
