// The trace header: root service and operation, copyable trace id, start, duration, span and error counts,
// service colours, and warnings (clock skew, missing parents).
import { groupDigits } from '../core/analysis/groupDigits';
import { formatDuration } from '../core/analysis/formatDuration';
import { timeTicks } from '../core/waterfall/timeTicks';
import type { FromWebview, WaterfallModel } from '../protocol/messages';
import { button, el } from './dom';
import { serviceColor } from './serviceColors';
import { nameDivider } from './nameDivider';
import { vscodeApi } from './vscodeApi';
import { counted } from '../core/analysis/counted';

function spanCount(m: WaterfallModel): string {
  const shown = groupDigits(m.rows.span.length);
  if (m.totalRows !== undefined) return `the first ${shown} of ${groupDigits(m.totalRows)} spans; the rest is on its way…`;
  return `${shown} span${m.rows.span.length === 1 ? '' : 's'}`;
}

export function renderHeader(m: WaterfallModel, post: (message: FromWebview) => void): HTMLElement {
  const header = el('header', 'header');
  const title = el('div', 'title');
  title.append(el('span', 'root-service', m.rootService), el('span', 'root-name', ` ${m.rootName}`));
  const meta = el('div', 'meta');
  meta.append(
    button('trace-id', m.traceId, 'Copy trace id', () => post({ type: 'copy', text: m.traceId })),
    el('span', 'stat', new Date(m.startEpochMs).toISOString().replace('T', ' ').replace('Z', ' UTC')),
    el('span', 'stat duration', formatDuration(m.durationNs)),
    el('span', 'stat span-count', spanCount(m)),
    el('span', `stat error-count${m.errorCount ? ' has-errors' : ''}`, counted(m.errorCount, 'error')),
    button('show-on-map', 'Show on Service Map', 'The service map, with the path of this trace lit', () => post({ type: 'showOnMap' })),
    button('compare-with', 'Compare with…', 'Compare this trace with another: calls only in one, more or fewer, slower or faster', () =>
      post({ type: 'compareWith' }),
    ),
    button('save-as', 'Save As…', 'Save this trace as a file (OTLP JSON, or protobuf for a .pb name) that Trace Lens and the CLI open', () =>
      post({ type: 'saveAs' }),
    ),
  );
  const services = el('div', 'services');
  m.services.forEach((name, i) => {
    const chip = el('span', 'service', name);
    chip.style.setProperty('--service-color', serviceColor(i));
    services.append(chip);
  });
  header.append(title, meta, services, criticalLegend());
  if (m.warnings.length) {
    const warnings = el('details', 'warnings');
    warnings.append(el('summary', undefined, counted(m.warnings.length, 'warning')));
    for (const w of m.warnings.slice(0, 200)) warnings.append(el('div', 'warning', w));
    header.append(warnings);
  }
  return header;
}

/** The critical path's legend, which also shows or hides it (key C). */
function criticalLegend(): HTMLElement {
  const legend = el('div', 'legend');
  const toggle = button('critical-toggle', 'Critical path', 'The spans the trace waited on, outlined; press to hide or show them (C)', () =>
    toggleCriticalPath(),
  );
  toggle.setAttribute('aria-pressed', 'true');
  toggle.prepend(el('span', 'critical-swatch'));
  legend.append(toggle);
  return legend;
}

/** Shows or hides the critical path's outline; the legend's button says which. */
export function toggleCriticalPath(): void {
  const hidden = document.body.classList.toggle('no-critical');
  document.querySelector('.critical-toggle')?.setAttribute('aria-pressed', String(!hidden));
}

export function renderRuler(startNs: number, endNs: number, count: number): HTMLElement {
  const ruler = el('div', 'ruler');
  const names = el('div', 'name-col');
  names.append(nameDivider((px) => vscodeApi.postMessage({ type: 'nameWidth', px })));
  ruler.append(names);
  const ticks = el('div', 'ticks');
  const range = endNs - startNs || 1;
  for (const t of timeTicks(startNs, endNs, count).ticks) {
    const tick = el('span', 'tick', t.label);
    tick.style.left = `${((t.ns - startNs) / range) * 100}%`;
    ticks.append(tick);
  }
  ruler.append(ticks);
  return ruler;
}

/** Grid lines through the rows' timelines at the ruler's ticks: a repeating background, set as two variables. */
export function setTimeGrid(target: HTMLElement, startNs: number, endNs: number, count: number): void {
  const range = endNs - startNs || 1;
  const { step, ticks } = timeTicks(startNs, endNs, count);
  const size = Math.min(1, step / range);
  const offset = ((ticks[0]?.ns ?? startNs) - startNs) / range;
  target.style.setProperty('--grid-step', `${size * 100}%`);
  // A background's position p% puts its p% point at the box's p%, moving it by (box - image) × p: so the offset
  // wanted, as a fraction of the box, is given as offset / (1 - size).
  target.style.setProperty('--grid-offset', `${size < 1 ? (offset / (1 - size)) * 100 : 0}%`);
}
