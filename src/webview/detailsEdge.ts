// The draggable left edge of the details pane: wide attribute values and stack traces want more room than a
// third of the panel, and a narrow editor wants less.
import { resizeHandle } from './resizeHandle';

const MIN_PX = 220;
/** The rows keep at least this much. */
const MIN_ROWS_PX = 240;

export function detailsEdge(): HTMLElement {
  const apply = (px: number) => document.documentElement.style.setProperty('--details-width', `${Math.round(px)}px`);
  return resizeHandle({
    className: 'details-edge',
    title: 'Drag to resize the details',
    widthAt: (x) => Math.max(MIN_PX, Math.min(window.innerWidth - MIN_ROWS_PX, window.innerWidth - x)),
    apply,
    done: apply,
  });
}
