// The service map page: the map laid out left to right (dagre) and drawn as SVG in the theme's colours. Edges as
// thick as their calls (log scale), red when calls failed, dashed orange in a cycle; untraced peers dashed,
// databases and queues shaped as such. Nodes take the keyboard (Tab, arrows to the nearest node that way,
// Enter for details); the wheel zooms and a drag pans. A node's details list its operations with their figures
// and code; an edge's, its figures and its slowest and latest failing traces. Span data is only ever text.
import { formatDuration } from '../../core/analysis/formatDuration';
import { edgeFigureLines, edgeFigures, percent } from '../../core/analysis/serviceGraph/mapFormats';
import type { FromMap, MapEdge, MapNode, ServiceMap, ToMap } from '../../protocol/mapMessages';
import { button, displayText, el } from '../dom';
import { labelBaselines, layoutMap, nodeCaption, type MapLayout } from './mapLayout';
import { counted } from '../../core/analysis/counted';

declare function acquireVsCodeApi(): { postMessage(message: FromMap): void };
const api = acquireVsCodeApi();
const app = document.getElementById('app')!;
const SVG = 'http://www.w3.org/2000/svg';
/** More nodes than this are not drawn: the page says so and offers the filter. */
const MAX_DRAWN_NODES = 400;
const LOOKBACKS: [string, number][] = [
  ['last 15 minutes', 15 * 60_000],
  ['last hour', 3_600_000],
  ['last 6 hours', 6 * 3_600_000],
  ['last 24 hours', 24 * 3_600_000],
];

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}

function svgText(text: string, attributes: Record<string, string | number>): SVGTextElement {
  const t = svg('text', attributes);
  t.textContent = displayText(text, 80);
  return t;
}

/** An edge's label lines, above its point on the edge (clear of a line `strokePx` thick). */
function edgeLabel(lines: string[], at: { x: number; y: number }, strokePx: number): SVGTextElement {
  const text = svg('text', { class: 'edge-label', 'text-anchor': 'middle' });
  const baselines = labelBaselines(at, lines.length, strokePx);
  lines.forEach((line, k) => {
    const span = svg('tspan', { x: at.x, y: baselines[k] });
    span.textContent = displayText(line, 80);
    text.append(span);
  });
  return text;
}

const TYPE_WORDS: Record<MapNode['type'], string> = {
  service: 'service',
  database: 'database',
  messaging: 'queue',
  external: 'not traced',
  clients: 'callers',
};

/** What survives the map being read again (it follows the receiver): the filter, the view, what is selected. */
const kept: { filter: string; view?: { x: number; y: number; scale: number }; selected?: { node?: string; edge?: string } } = { filter: '' };

const edgeKey = (e: MapEdge) => `${e.from}\u0000${e.to}`;

class MapView {
  private readonly svgRoot = svg('svg', { class: 'map-svg', role: 'group' });
  private readonly canvas = svg('g');
  private readonly details = el('aside', 'map-details');
  private readonly nodeElements = new Map<string, SVGGElement>();
  private layout!: MapLayout;
  private view = { x: 0, y: 0, scale: 1 };

  constructor(private readonly message: Extract<ToMap, { type: 'map' }>) {}

  private get filter(): string {
    return kept.filter;
  }

  mount(): void {
    const { map } = this.message;
    app.replaceChildren(this.toolbar(), ...map.notes.map((n) => el('p', 'note', n)));
    const shown = this.visible();
    if (shown.nodes.length > MAX_DRAWN_NODES) {
      app.append(
        el('p', 'too-large', `${shown.nodes.length} nodes are too many to draw readably: type a service name in the filter to draw its neighbourhood.`),
      );
      return;
    }
    if (!shown.nodes.length) {
      app.append(el('p', 'none', map.nodes.length ? 'No service matches the filter.' : 'No calls between services yet: traces that have settled appear here.'));
      return;
    }
    this.layout = layoutMap(shown, (i) => edgeFigureLines(shown.edges[i]));
    const body = el('div', 'map-body');
    const holder = el('div', 'map-holder');
    this.svgRoot.setAttribute(
      'aria-label',
      `Service map: ${shown.nodes.length} nodes, ${shown.edges.length} edges. Tab to a node, arrows to move, Enter for details.`,
    );
    this.svgRoot.append(this.markers(), this.canvas);
    holder.append(this.svgRoot);
    body.append(holder, this.details);
    app.append(body);
    this.draw(shown);
    if (kept.view) {
      this.view = kept.view;
      this.applyView();
    } else this.fit();
    this.panAndZoom(holder);
    const node = shown.nodes.find((n) => n.id === kept.selected?.node);
    const edge = shown.edges.find((e) => edgeKey(e) === kept.selected?.edge);
    if (node) this.showNode(node);
    else if (edge) this.showEdge(edge);
  }

  /** The map, or the neighbourhood of the services the filter names (their callers and callees). */
  private visible(): ServiceMap {
    const { map } = this.message;
    const words = this.filter.trim().toLowerCase();
    if (!words) return map;
    const hit = new Set(map.nodes.filter((n) => n.name.toLowerCase().includes(words)).map((n) => n.id));
    const edges = map.edges.filter((e) => hit.has(e.from) || hit.has(e.to));
    const ids = new Set([...hit, ...edges.flatMap((e) => [e.from, e.to])]);
    return { ...map, nodes: map.nodes.filter((n) => ids.has(n.id)), edges };
  }

  private toolbar(): HTMLElement {
    const bar = el('div', 'map-toolbar');
    const { choice, map } = this.message;
    const source = el('select', 'map-source');
    source.setAttribute('aria-label', 'Where the map comes from');
    for (const name of choice.sources) source.append(new Option(name, name, false, name === choice.source));
    const lookback = el('select', 'map-window');
    lookback.setAttribute('aria-label', 'Time window of a backend graph');
    for (const [label, ms] of LOOKBACKS) lookback.append(new Option(label, String(ms), false, ms === choice.lookbackMs));
    lookback.hidden = choice.lookbackMs === undefined;
    // A window is sent only where one shows: switching from the received traces keeps the last one asked for.
    const choose = () => api.postMessage({ type: 'choose', source: source.value, lookbackMs: lookback.hidden ? undefined : Number(lookback.value) });
    source.addEventListener('change', choose);
    lookback.addEventListener('change', choose);
    const filter = el('input', 'map-filter');
    filter.type = 'search';
    filter.placeholder = 'Filter by service';
    filter.value = this.filter;
    filter.addEventListener('change', () => {
      kept.filter = filter.value;
      kept.view = undefined;
      new MapView(this.message).mount();
    });
    const what = map.from === 'traces' ? `${map.traces} traces` : `${map.from.backend}'s dependency graph`;
    bar.append(
      source,
      lookback,
      filter,
      button('map-refresh', 'Refresh', 'Read the map again', () => api.postMessage({ type: 'refresh' })),
      button('map-fit', 'Fit', 'Show the whole map', () => this.fit()),
      el('span', 'map-summary', `${map.nodes.length} nodes · ${map.edges.length} edges · from ${what}`),
    );
    return bar;
  }

  private markers(): SVGDefsElement {
    const defs = svg('defs');
    for (const [id, cls] of [
      ['arrow', 'edge-arrow'],
      ['arrow-failing', 'edge-arrow failing'],
      ['arrow-cycle', 'edge-arrow cycle'],
    ]) {
      // Sized in the map's units, not by the line's width: a thick edge keeps a readable arrow.
      const marker = svg('marker', {
        id,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 10,
        markerHeight: 10,
        markerUnits: 'userSpaceOnUse',
        orient: 'auto-start-reverse',
      });
      marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }));
      defs.append(marker);
    }
    return defs;
  }

  private draw(shown: ServiceMap): void {
    const most = Math.max(1, ...shown.edges.map((e) => e.calls));
    const highlight = this.message.highlight;
    const lit = (e: MapEdge) => highlight?.edges.includes(`${e.from}\u0000${e.to}`);
    shown.edges.forEach((edge, i) => {
      const placed = this.layout.edges[i];
      const failing = edge.errors > 0;
      const cls = ['edge', failing ? 'failing' : '', edge.inCycle ? 'cycle' : '', lit(edge) ? 'lit' : ''].filter(Boolean).join(' ');
      const g = svg('g', { class: cls, tabindex: -1, 'aria-label': `${this.nodeName(edge.from)} → ${this.nodeName(edge.to)}: ${edgeFigures(edge)}` });
      const [p0, ...rest] = placed.points;
      const d = placed.curve
        ? `M ${p0.x} ${p0.y} C ${rest.map((p) => `${p.x} ${p.y}`).join(', ')}`
        : placed.points.map((p, k) => `${k ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
      const width = 1 + (5 * Math.log1p(edge.calls)) / Math.log1p(most);
      g.append(
        svg('path', { d, class: 'edge-hit' }),
        svg('path', {
          d,
          class: 'edge-line',
          'stroke-width': width.toFixed(1),
          'marker-end': `url(#${failing ? 'arrow-failing' : edge.inCycle ? 'arrow-cycle' : 'arrow'})`,
        }),
        edgeLabel(edgeFigureLines(edge), placed.label, width),
      );
      g.addEventListener('click', () => this.showEdge(edge));
      this.canvas.append(g);
    });
    for (const node of shown.nodes) {
      const p = this.layout.nodes.find((n) => n.id === node.id)!;
      const cls = ['node', `node-${node.type}`, node.errors ? 'failing' : '', node.inCycle ? 'cycle' : '', highlight?.nodes.includes(node.id) ? 'lit' : '']
        .filter(Boolean)
        .join(' ');
      const g = svg('g', { class: cls, tabindex: 0, role: 'button', transform: `translate(${p.x - p.width / 2} ${p.y - p.height / 2})` });
      g.setAttribute('aria-label', `${TYPE_WORDS[node.type]} ${node.name}: ${node.requests} calls in, ${percent(node.errors, node.requests)} failed`);
      const radius = node.type === 'clients' ? p.height / 2 : node.type === 'database' ? 12 : 4;
      g.append(
        svg('rect', { width: p.width, height: p.height, rx: radius, class: 'node-box' }),
        svgText(node.name, { x: p.width / 2, y: p.height / 2 - 4, class: 'node-name', 'text-anchor': 'middle' }),
        svgText(nodeCaption(node), { x: p.width / 2, y: p.height / 2 + 11, class: 'node-figures', 'text-anchor': 'middle' }),
      );
      g.addEventListener('click', () => this.showNode(node));
      g.addEventListener('keydown', (e) => this.onNodeKey(e, node, p));
      this.nodeElements.set(node.id, g);
      this.canvas.append(g);
    }
  }

  private onNodeKey(e: KeyboardEvent, node: MapNode, at: { x: number; y: number }): void {
    if (e.key === 'Enter' || e.key === ' ') {
      this.showNode(node);
      e.preventDefault();
      return;
    }
    const direction = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
    if (!direction) return;
    e.preventDefault();
    // The nearest node that way: distance along the direction, plus twice the distance across it.
    let best: { id: string; score: number } | undefined;
    for (const n of this.layout.nodes) {
      const dx = n.x - at.x;
      const dy = n.y - at.y;
      const along = dx * direction[0] + dy * direction[1];
      if (along <= 0) continue;
      const score = along + 2 * Math.abs(dx * direction[1] + dy * direction[0]);
      if (!best || score < best.score) best = { id: n.id, score };
    }
    if (best) this.nodeElements.get(best.id)?.focus();
  }

  private showNode(node: MapNode): void {
    kept.selected = { node: node.id };
    const code = this.message.code[node.id] ?? [];
    const rows = node.operations.map((op, i) => {
      const tr = el('tr');
      const where = code[i];
      tr.append(
        el('td', 'op-name', op.name),
        el('td', undefined, `${op.calls}`),
        el('td', undefined, percent(op.errors, op.calls)),
        el('td', undefined, `${formatDuration(op.p50Ns)} / ${formatDuration(op.p95Ns)}`),
      );
      const link = el('td');
      if (where) link.append(button('code-link', where, 'Open its code', () => api.postMessage({ type: 'openCode', node: node.id, operation: i })));
      tr.append(link);
      return tr;
    });
    const table = el('table', 'ops');
    const head = el('tr');
    for (const h of ['Operation', 'Calls', 'Failed', 'p50 / p95', 'Code']) head.append(el('th', undefined, h));
    table.createTHead().append(head);
    table.createTBody().append(...rows);
    this.details.replaceChildren(
      el('h2', undefined, node.name),
      el(
        'p',
        undefined,
        `${TYPE_WORDS[node.type]} · ${node.requests} calls in · ${percent(node.errors, node.requests)} failed${node.p95Ns ? ` · p95 ${formatDuration(node.p95Ns)}` : ''}${node.inCycle ? ' · in a cycle' : ''}`,
      ),
      ...(rows.length ? [table] : [el('p', 'none', 'No operations recorded (a backend graph has none).')]),
    );
  }

  private showEdge(edge: MapEdge): void {
    kept.selected = { edge: edgeKey(edge) };
    const name = (id: string) => this.nodeName(id);
    const side = (label: string, q: MapEdge['client']) =>
      q ? el('p', undefined, `${label}: p50 ${formatDuration(q.p50Ns)} · p95 ${formatDuration(q.p95Ns)} · p99 ${formatDuration(q.p99Ns)}`) : undefined;
    const open = (label: string, ex: MapEdge['slowest']) =>
      ex &&
      button('trace-link', `${label} (${formatDuration(ex.durationNs)})`, `Open trace ${ex.traceId} at this call`, () =>
        api.postMessage({ type: 'openTrace', traceId: ex.traceId, spanId: ex.spanId }),
      );
    const parts = [
      el('h2', undefined, `${name(edge.from)} → ${name(edge.to)}`),
      el(
        'p',
        undefined,
        `${edge.calls} calls · ${percent(edge.errors, edge.calls)} failed${edge.traces ? ` · in ${edge.traces} traces, ${edge.callsPerTrace.toFixed(1)} per trace` : ''}`,
      ),
      edge.tracesWithDuplicates ? el('p', 'warn', `The same operation called more than once in ${counted(edge.tracesWithDuplicates, 'trace')}`) : undefined,
      edge.inCycle ? el('p', 'warn', 'Part of a cycle: these services call each other round') : undefined,
      side('Caller side', edge.client),
      side('Callee side', edge.server),
      open('Slowest trace', edge.slowest),
      open('Latest failing trace', edge.latestFailing),
      edge.operations.length ? el('p', undefined, `Operations: ${edge.operations.map((o) => `${o.name} (${o.calls})`).join(', ')}`) : undefined,
    ];
    this.details.replaceChildren(...parts.filter((p) => p !== undefined));
  }

  private nodeName(id: string): string {
    return this.message.map.nodes.find((n) => n.id === id)?.name ?? id;
  }

  private fit(): void {
    const holder = this.svgRoot.parentElement;
    const width = Math.max(1, holder?.clientWidth ?? 800);
    const height = Math.max(1, holder?.clientHeight ?? 600);
    const scale = Math.min(1.5, width / Math.max(1, this.layout.width), height / Math.max(1, this.layout.height));
    this.view = { scale, x: (width - this.layout.width * scale) / 2, y: (height - this.layout.height * scale) / 2 };
    this.applyView();
  }

  private applyView(): void {
    kept.view = this.view;
    this.canvas.setAttribute('transform', `translate(${this.view.x} ${this.view.y}) scale(${this.view.scale})`);
  }

  private panAndZoom(holder: HTMLElement): void {
    holder.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const rect = holder.getBoundingClientRect();
        const factor = Math.exp(-e.deltaY * 0.0015);
        const px = e.clientX - rect.left;
        const py = e.clientY - rect.top;
        this.view = { scale: this.view.scale * factor, x: px - (px - this.view.x) * factor, y: py - (py - this.view.y) * factor };
        this.applyView();
      },
      { passive: false },
    );
    let drag: { x: number; y: number } | undefined;
    holder.addEventListener('pointerdown', (e) => {
      if ((e.target as Element).closest('.node, .edge')) return;
      drag = { x: e.clientX - this.view.x, y: e.clientY - this.view.y };
      holder.setPointerCapture(e.pointerId);
    });
    holder.addEventListener('pointermove', (e) => {
      if (!drag) return;
      this.view = { ...this.view, x: e.clientX - drag.x, y: e.clientY - drag.y };
      this.applyView();
    });
    holder.addEventListener('pointerup', () => (drag = undefined));
  }
}

window.addEventListener('message', (event: MessageEvent<ToMap>) => {
  const message = event.data;
  if (message?.type === 'map') {
    // Marks around reading, laying out and drawing a map, for the benchmark.
    performance.mark('trace-lens:map-received');
    new MapView(message).mount();
    performance.measure('trace-lens:map-drawn', 'trace-lens:map-received');
  } else if (message?.type === 'error') app.replaceChildren(el('p', 'map-error', message.message));
});
api.postMessage({ type: 'ready' });
