// The waterfall view: header, time ruler, and a windowed list of span rows (only the visible rows exist in the
// DOM, so cost follows the viewport, not the trace size). Selecting a row asks the host for its details.
import { formatDuration } from '../core/analysis/formatDuration';
import { ROW_FLAGS, type SpanDetails, type ToWebview, type WaterfallModel } from '../protocol/messages';
import { el, serviceColor } from './dom';
import { vscodeApi } from './vscodeApi';

const ROW_HEIGHT = 22;
const OVERSCAN = 10;

let model: WaterfallModel | undefined;
let selectedRow = -1;
let requestId = 0;
const app = document.getElementById('app')!;
const list = el('div', 'rows');
const spacer = el('div', 'spacer');
const viewport = el('div', 'viewport');
const details = el('aside', 'details');

function renderHeader(m: WaterfallModel): HTMLElement {
  const header = el('header', 'header');
  const title = el('div', 'title');
  title.append(el('span', 'root-service', m.rootService), el('span', 'root-name', ` ${m.rootName}`));
  const meta = el('div', 'meta');
  const traceId = el('button', 'trace-id', m.traceId);
  traceId.title = 'Copy trace id';
  traceId.addEventListener('click', () => vscodeApi.postMessage({ type: 'copy', text: m.traceId }));
  meta.append(
    traceId,
    el('span', 'stat', new Date(m.startEpochMs).toISOString().replace('T', ' ').replace('Z', ' UTC')),
    el('span', 'stat duration', formatDuration(m.durationNs)),
    el('span', 'stat span-count', `${m.rows.span.length} spans`),
    el('span', `stat error-count${m.errorCount ? ' has-errors' : ''}`, `${m.errorCount} error${m.errorCount === 1 ? "" : "s"}`),
  );
  const services = el('div', 'services');
  m.services.forEach((name, i) => {
    const chip = el('span', 'service', name);
    chip.style.setProperty('--service-color', serviceColor(i));
    services.append(chip);
  });
  header.append(title, meta, services);
  if (m.warnings.length) {
    const warnings = el('details', 'warnings');
    warnings.append(el('summary', undefined, `${m.warnings.length} warning${m.warnings.length === 1 ? '' : 's'}`));
    for (const w of m.warnings.slice(0, 200)) warnings.append(el('div', 'warning', w));
    header.append(warnings);
  }
  return header;
}

function renderRuler(m: WaterfallModel): HTMLElement {
  const ruler = el('div', 'ruler');
  ruler.append(el('div', 'name-col'));
  const ticks = el('div', 'ticks');
  for (let i = 0; i <= 4; i++) {
    const tick = el('span', 'tick', formatDuration((m.durationNs * i) / 4));
    tick.style.left = `${i * 25}%`;
    ticks.append(tick);
  }
  ruler.append(ticks);
  return ruler;
}

function renderRow(m: WaterfallModel, r: number): HTMLElement {
  const row = el('div', 'row');
  row.dataset.row = String(r);
  row.style.top = `${r * ROW_HEIGHT}px`;
  const flags = m.rows.flags[r];
  if (flags & ROW_FLAGS.error) row.classList.add('error');
  if (flags & ROW_FLAGS.critical) row.classList.add('critical');
  if (r === selectedRow) row.classList.add('selected');
  const color = serviceColor(m.rows.service[r]);
  const name = el('div', 'name-col');
  name.style.paddingLeft = `${4 + Math.min(m.rows.depth[r], 40) * 12}px`;
  const swatch = el('span', 'swatch');
  swatch.style.background = color;
  name.append(swatch, el('span', 'service-name', m.services[m.rows.service[r]]), el('span', 'span-name', m.strings[m.rows.name[r]]));
  if (flags & ROW_FLAGS.error) name.append(el('span', 'error-mark', '!'));
  const timeline = el('div', 'timeline');
  const bar = el('div', 'bar');
  const total = m.durationNs || 1;
  bar.style.left = `${(m.rows.startNs[r] / total) * 100}%`;
  bar.style.width = `max(1px, ${(m.rows.durationNs[r] / total) * 100}%)`;
  bar.style.background = color;
  timeline.append(bar, el('span', 'bar-label', formatDuration(m.rows.durationNs[r])));
  row.append(name, timeline);
  return row;
}

/** Rebuilds only the rows in view (plus a small margin). */
function renderVisibleRows(): void {
  if (!model) return;
  const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(model.rows.span.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_HEIGHT) + OVERSCAN);
  const fragment = document.createDocumentFragment();
  for (let r = first; r < last; r++) fragment.append(renderRow(model, r));
  list.replaceChildren(fragment);
}

function select(r: number): void {
  if (!model || r < 0 || r >= model.rows.span.length) return;
  selectedRow = r;
  const top = r * ROW_HEIGHT;
  if (top < viewport.scrollTop) viewport.scrollTop = top;
  else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
  renderVisibleRows();
  vscodeApi.postMessage({ type: 'selectSpan', requestId: ++requestId, span: model.rows.span[r] });
}

function pairsTable(title: string, pairs: [string, string][]): HTMLElement {
  const section = el('section');
  section.append(el('h3', undefined, title));
  const table = el('table');
  for (const [key, value] of pairs) {
    const tr = el('tr');
    tr.append(el('th', undefined, key), el('td', undefined, value.length > 2000 ? `${value.slice(0, 2000)}… (${value.length} chars)` : value));
    table.append(tr);
  }
  section.append(table);
  return section;
}

function renderDetails(d: SpanDetails | undefined): void {
  if (!d) {
    details.replaceChildren();
    return;
  }
  const head = el('div', 'details-head');
  head.append(el('h2', undefined, d.name), el('div', 'details-meta', `${d.service} · ${d.kind} · ${formatDuration(d.durationNs)} (self ${formatDuration(d.selfNs)}) · starts at ${formatDuration(d.startNs)}`));
  if (d.status.code === 'error') head.append(el('div', 'details-error', `Error${d.status.message ? `: ${d.status.message}` : ''}`));
  head.append(el('div', 'details-ids', `span ${d.spanId}${d.parentSpanId ? ` · parent ${d.parentSpanId}` : ''}`));
  const sections: HTMLElement[] = [head, pairsTable('Attributes', d.attributes), pairsTable('Resource', d.resource)];
  if (d.scope) sections.push(pairsTable('Scope', [['name', d.scope]]));
  if (d.events.length) {
    const events = el('section');
    events.append(el('h3', undefined, `Events (${d.events.length})`));
    for (const e of d.events) events.append(pairsTable(`${formatDuration(e.offsetNs)}  ${e.name}`, e.attributes));
    sections.push(events);
  }
  if (d.links.length) sections.push(pairsTable('Links', d.links.map((l) => [l.kind, `${l.traceId} / ${l.spanId}`])));
  details.replaceChildren(...sections);
}

function show(m: WaterfallModel): void {
  model = m;
  selectedRow = -1;
  spacer.style.height = `${m.rows.span.length * ROW_HEIGHT}px`;
  spacer.append(list);
  viewport.replaceChildren(spacer);
  const main = el('div', 'main');
  main.append(renderRuler(m), viewport);
  const body = el('div', 'body');
  body.append(main, details);
  app.replaceChildren(renderHeader(m), body);
  renderVisibleRows();
}

viewport.tabIndex = 0;
viewport.addEventListener('scroll', () => requestAnimationFrame(renderVisibleRows), { passive: true });
viewport.addEventListener('click', (event) => {
  const row = (event.target as HTMLElement).closest<HTMLElement>('.row');
  if (row) select(Number(row.dataset.row));
});
viewport.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown') select(selectedRow + 1);
  else if (event.key === 'ArrowUp') select(Math.max(0, selectedRow - 1));
  else return;
  event.preventDefault();
});
window.addEventListener('resize', renderVisibleRows);
window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'trace') show(message.model);
  else if (message.type === 'details' && message.requestId === requestId) renderDetails(message.details);
});
vscodeApi.postMessage({ type: 'ready' });
