// The selected span: name, timing, status, copyable ids, Go to Code, attributes grouped by span, resource and
// scope, events on the span's own timeline and as a list, and links that open the linked trace.
import { formatDuration } from '../core/analysis/formatDuration';
import type { FromWebview, SpanDetails } from '../protocol/messages';
import { button, el } from './dom';

type Post = (message: FromWebview) => void;

function pairsTable(title: string, pairs: [string, string][]): HTMLElement {
  const section = el('section');
  section.append(el('h3', undefined, `${title} (${pairs.length})`));
  const table = el('table');
  for (const [key, value] of pairs) {
    const tr = el('tr');
    tr.append(el('th', undefined, key), el('td', undefined, value));
    table.append(tr);
  }
  if (pairs.length) section.append(table);
  return section;
}

function copyButton(label: string, text: string, post: Post): HTMLButtonElement {
  return button('copy', label, `Copy ${text}`, () => post({ type: 'copy', text }));
}

/** The span's duration as a bar with a tick per event, so their timing shows at a glance. */
function eventTimeline(d: SpanDetails): HTMLElement {
  const line = el('div', 'event-timeline');
  line.append(el('div', 'event-span'));
  for (const e of d.events) {
    const tick = el('span', 'event-marker');
    tick.style.left = `${d.durationNs ? Math.min(100, (e.offsetNs / d.durationNs) * 100) : 0}%`;
    tick.title = `${e.name} at +${formatDuration(e.offsetNs)}`;
    line.append(tick);
  }
  return line;
}

function eventsSection(d: SpanDetails): HTMLElement {
  const section = el('section', 'events');
  section.append(el('h3', undefined, `Events (${d.events.length})`), eventTimeline(d));
  for (const e of d.events) {
    const item = el('div', 'event');
    item.append(el('div', 'event-head', `+${formatDuration(e.offsetNs)}  ${e.name}`));
    const table = el('table');
    for (const [key, value] of e.attributes) {
      const tr = el('tr');
      tr.append(el('th', undefined, key), el('td', undefined, value));
      table.append(tr);
    }
    item.append(table);
    section.append(item);
  }
  return section;
}

function linksSection(d: SpanDetails, post: Post): HTMLElement {
  const section = el('section', 'links');
  section.append(el('h3', undefined, `Links (${d.links.length})`));
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
    section.append(row);
    if (link.attributes.length) section.append(pairsTable('Link attributes', link.attributes));
  }
  return section;
}

export function renderDetails(d: SpanDetails, post: Post): HTMLElement[] {
  const head = el('div', 'details-head');
  head.append(
    el('h2', undefined, d.name),
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
  actions.append(copyButton('Copy span id', d.spanId, post), copyButton('Copy trace id', d.traceId, post));
  if (d.parentSpanId) actions.append(copyButton('Copy parent id', d.parentSpanId, post));
  head.append(actions, el('div', 'details-ids', `span ${d.spanId}${d.parentSpanId ? ` · parent ${d.parentSpanId}` : ''}`));
  const sections: HTMLElement[] = [head, pairsTable('Span attributes', d.attributes), pairsTable('Resource', d.resource)];
  if (d.scope) sections.push(pairsTable('Scope', d.scope));
  if (d.events.length) sections.push(eventsSection(d));
  if (d.links.length) sections.push(linksSection(d, post));
  return sections;
}
