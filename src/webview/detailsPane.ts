// The selected span: name, timing, status, Go to Code, then collapsible sections of key/value grids (ids,
// attributes, resource, scope) with a copy action per value, events on the span's own timeline with their stack
// traces (frames of the user's code are links), and links that open the linked trace.
import { formatDuration } from '../core/analysis/formatDuration';
import type { FromWebview, SpanDetails } from '../protocol/messages';
import { button, displayText, el } from './dom';

type Post = (message: FromWebview) => void;

/** Sections the user folded stay folded for the next span: they are not what this person reads. */
const folded = new Set<string>();

/** A section that folds; `title` names it for the fold memory and the summary. */
function section(title: string, count: number | undefined, className?: string): { element: HTMLDetailsElement; body: HTMLElement } {
  const element = el('details', `section${className ? ` ${className}` : ''}`);
  element.open = !folded.has(title);
  element.append(el('summary', undefined, count === undefined ? title : `${title} (${count})`));
  element.addEventListener('toggle', () => (element.open ? folded.delete(title) : folded.add(title)));
  const body = el('div', 'section-body');
  element.append(body);
  return { element, body };
}

/** A dotted key that wraps only after its dots ("deployment.environment.name", never "environme nt"). */
function keyCell(key: string): HTMLElement {
  const dt = el('dt');
  const parts = displayText(key, 300).split(/(?<=[./_-])/);
  parts.forEach((part, i) => {
    dt.append(document.createTextNode(part));
    if (i < parts.length - 1) dt.append(el('wbr'));
  });
  dt.title = key;
  return dt;
}

/** Key/value pairs as a two-column grid, each value with its own copy action. */
function grid(pairs: [string, string][], post: Post): HTMLElement {
  const dl = el('dl', 'kv');
  for (const [key, value] of pairs) {
    const dd = el('dd');
    const copy = button('copy-value', '❐', `Copy the value of ${displayText(key, 200)}`, () => post({ type: 'copy', text: value }));
    copy.setAttribute('aria-label', `Copy the value of ${displayText(key, 200)}`);
    dd.append(el('span', 'value', value), copy);
    dl.append(keyCell(key), dd);
  }
  return dl;
}

function pairsSection(title: string, pairs: [string, string][], post: Post): HTMLElement {
  const { element, body } = section(title, pairs.length);
  if (pairs.length) body.append(grid(pairs, post));
  return element;
}

/** The span's duration as a bar with a tick per event, so their timing shows at a glance. */
function eventTimeline(d: SpanDetails): HTMLElement {
  const line = el('div', 'event-timeline');
  line.append(el('div', 'event-span'));
  for (const e of d.events) {
    const tick = el('span', 'event-marker');
    tick.style.left = `${d.durationNs ? Math.min(100, (e.offsetNs / d.durationNs) * 100) : 0}%`;
    tick.title = `${displayText(e.name, 200)} at +${formatDuration(e.offsetNs)}`;
    line.append(tick);
  }
  return line;
}

/** A stack trace line by line, unwrapped (paths stay whole; the block scrolls); frames in the workspace are links. */
function stackBlock(d: SpanDetails, event: number, stack: NonNullable<SpanDetails['events'][number]['stack']>, post: Post): HTMLElement {
  const block = el('div', 'stack');
  block.setAttribute('role', 'list');
  block.setAttribute('aria-label', 'Stack trace');
  stack.forEach(({ text, place }, line) => {
    const row = place ? button('frame-link', text, `Open ${place}`, () => post({ type: 'openFrame', span: d.span, event, line })) : el('div', 'frame', text);
    row.setAttribute('role', 'listitem');
    // The place on its own line: beside a long frame it would sit out of view.
    if (place) row.append(el('span', 'frame-place', `  → ${place}`));
    block.append(row);
  });
  return block;
}

function eventsSection(d: SpanDetails, post: Post): HTMLElement {
  const { element, body } = section('Events', d.events.length, 'events');
  body.append(eventTimeline(d));
  d.events.forEach((e, i) => {
    const item = el('div', 'event');
    item.append(el('div', 'event-head', `+${formatDuration(e.offsetNs)}  ${e.name}`));
    // The stack trace shows as lines with links below, not as one value in the grid.
    item.append(grid(e.stack ? e.attributes.filter(([key]) => key !== 'exception.stacktrace') : e.attributes, post));
    if (e.stack) item.append(stackBlock(d, i, e.stack, post));
    body.append(item);
  });
  return element;
}

function linksSection(d: SpanDetails, post: Post): HTMLElement {
  const { element, body } = section('Links', d.links.length, 'links');
  for (const link of d.links) {
    const row = el('div', 'link');
    const sameTrace = link.traceId === d.traceId;
    row.append(
      el('span', 'link-kind', link.kind),
      button(
        'open-link',
        `${sameTrace ? 'span' : 'trace'} ${(sameTrace ? link.spanId : link.traceId).slice(0, 16)}…`,
        sameTrace ? 'Show the linked span' : 'Open the linked trace',
        () => post({ type: 'openTrace', traceId: link.traceId, spanId: link.spanId }),
      ),
    );
    body.append(row);
    if (link.attributes.length) body.append(grid(link.attributes, post));
  }
  return element;
}

function ids(d: SpanDetails): [string, string][] {
  return [['span id', d.spanId], ['trace id', d.traceId], ...(d.parentSpanId ? ([['parent id', d.parentSpanId]] as [string, string][]) : [])];
}

export function renderDetails(d: SpanDetails, post: Post, close: () => void): HTMLElement[] {
  const head = el('div', 'details-head');
  const title = el('div', 'details-title');
  title.append(el('h2', undefined, d.name), button('close-details', '×', 'Close the details (Escape)', close));
  title.lastElementChild!.setAttribute('aria-label', 'Close the details');
  head.append(
    title,
    el(
      'div',
      'details-meta',
      `${d.service} · ${d.kind} · ${formatDuration(d.durationNs)} (self ${formatDuration(d.selfNs)}) · starts at +${formatDuration(d.startNs)}`,
    ),
  );
  head.append(el('div', `details-status status-${d.status.code}`, `Status: ${d.status.code}${d.status.message ? ` · ${d.status.message}` : ''}`));
  const actions = el('div', 'details-actions');
  if (d.code) actions.append(button('go-to-code', `Go to Code · ${d.code}`, `Open ${d.code}`, () => post({ type: 'goToCode', span: d.span, failure: false })));
  if (d.failure)
    actions.append(button('go-to-failure', `Go to Failure · ${d.failure}`, `Open ${d.failure}`, () => post({ type: 'goToCode', span: d.span, failure: true })));
  if (actions.childElementCount) head.append(actions);
  const sections: HTMLElement[] = [
    head,
    pairsSection('Ids', ids(d), post),
    pairsSection('Span attributes', d.attributes, post),
    pairsSection('Resource', d.resource, post),
  ];
  if (d.scope) sections.push(pairsSection('Scope', d.scope, post));
  if (d.events.length) sections.push(eventsSection(d, post));
  if (d.links.length) sections.push(linksSection(d, post));
  return sections;
}
