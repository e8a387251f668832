// The draggable edge between span names and bars: names are cut at a fixed width otherwise ("POST /ch…").
// The width is a CSS variable; the host remembers the last one for every panel.
import { resizeHandle } from './resizeHandle';

const MIN_PX = 120;
const MIN_BARS_PX = 160;

export function applyNameWidth(px: number | undefined): void {
  if (px !== undefined && Number.isFinite(px)) document.documentElement.style.setProperty('--name-width', `${Math.round(px)}px`);
}

/** A handle that resizes the name column while dragged; `done` gets the final width in pixels. */
export function nameDivider(done: (px: number) => void): HTMLElement {
  const handle: HTMLElement = resizeHandle({
    className: 'name-divider',
    title: 'Drag to resize the names',
    widthAt: (x) => Math.max(MIN_PX, Math.min(window.innerWidth - MIN_BARS_PX, x - (handle.parentElement?.getBoundingClientRect().left ?? 0))),
    apply: applyNameWidth,
    done,
  });
  return handle;
}
