// The draggable edge between span names and bars: names are cut at a fixed width otherwise ("POST /ch…").
// The width is a CSS variable; the host remembers the last one for every panel.
import { el } from './dom';

const MIN_PX = 120;
const MIN_BARS_PX = 160;

export function applyNameWidth(px: number | undefined): void {
  if (px !== undefined && Number.isFinite(px)) document.documentElement.style.setProperty('--name-width', `${Math.round(px)}px`);
}

/** A handle that resizes the name column while dragged; `done` gets the final width in pixels. */
export function nameDivider(done: (px: number) => void): HTMLElement {
  const handle = el('div', 'name-divider');
  handle.title = 'Drag to resize the names';
  handle.setAttribute('role', 'separator');
  handle.setAttribute('aria-orientation', 'vertical');
  handle.addEventListener('pointerdown', (down: PointerEvent) => {
    down.preventDefault();
    handle.setPointerCapture(down.pointerId);
    const left = handle.parentElement?.getBoundingClientRect().left ?? 0;
    let width: number | undefined;
    const move = (event: PointerEvent) => {
      width = Math.max(MIN_PX, Math.min(window.innerWidth - MIN_BARS_PX, event.clientX - left));
      applyNameWidth(width);
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      if (width !== undefined) done(width);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  return handle;
}
