// The service map as text for a terminal, Graphviz DOT, and Mermaid (which pastes into a README or a pull
// request). Names come from span data: every one is escaped for the format it goes into, never interpreted.
import { formatDuration } from '../formatDuration';
import type { MapEdge, MapNode, ServiceMap } from './serviceMap';
import { counted } from '../counted';

export function percent(part: number, whole: number): string {
  return whole ? `${((100 * part) / whole).toFixed(part && part < whole / 100 ? 2 : 1)}%` : '0%';
}

/** An edge's label in two lines: what is called ("120 calls · 2.5% failed"), then how ("p95 12 ms · 3.0 per trace"). */
export function edgeFigureLines(edge: MapEdge): string[] {
  const calls = [counted(edge.calls, 'call')];
  if (edge.errors) calls.push(`${percent(edge.errors, edge.calls)} failed`);
  const how: string[] = [];
  const latency = edge.server ?? edge.client;
  if (latency) how.push(`p95 ${formatDuration(latency.p95Ns)}`);
  if (edge.callsPerTrace >= 2) how.push(`${edge.callsPerTrace.toFixed(1)} per trace`);
  return [calls.join(' · '), how.join(' · ')].filter(Boolean);
}

/** "120 calls · 2.5% failed · p95 12 ms · 3.0 per trace", what an edge's label says on one line. */
export function edgeFigures(edge: MapEdge): string {
  return edgeFigureLines(edge).join(' · ');
}

/** What a node is, said before its name ("database orders"); a service is said by its name alone. */
export const TYPE_WORDS: Record<MapNode['type'], string> = { service: '', database: 'database ', messaging: 'queue ', external: 'not traced: ', clients: '' };

function nodeLabel(node: MapNode): string {
  return `${TYPE_WORDS[node.type]}${node.name}`;
}

export function mapText(map: ServiceMap, field: (text: string) => string = (t) => t): string {
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const lines = map.edges
    .slice()
    .sort((a, b) => b.calls - a.calls)
    .map((e) => {
      const marks = [e.inCycle ? 'in a cycle' : '', e.tracesWithDuplicates ? `repeated in ${counted(e.tracesWithDuplicates, 'trace')}` : ''].filter(Boolean);
      return `${field(nodeLabel(byId.get(e.from)!))} → ${field(nodeLabel(byId.get(e.to)!))}: ${edgeFigures(e)}${marks.length ? `  (${marks.join(', ')})` : ''}`;
    });
  const source = map.from === 'traces' ? counted(map.traces, 'trace') : `${field(map.from.backend)}'s dependency graph`;
  return [`${map.nodes.length} nodes, ${map.edges.length} edges, from ${source}`, ...lines, ...map.notes.map((n) => `note: ${field(n)}`)].join('\n');
}

function dotString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\r\n]+/g, ' ')}"`;
}

const DOT_SHAPES: Record<MapNode['type'], string> = { service: 'box', database: 'cylinder', messaging: 'cds', external: 'box', clients: 'ellipse' };

export function mapDot(map: ServiceMap): string {
  const ids = new Map(map.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['digraph services {', '  rankdir=LR;', '  node [fontname="sans-serif"];'];
  for (const n of map.nodes) {
    const style = [n.type === 'external' || n.type === 'clients' ? 'dashed' : '', n.inCycle ? 'bold' : ''].filter(Boolean).join(',');
    lines.push(`  ${ids.get(n.id)} [label=${dotString(nodeLabel(n))}, shape=${DOT_SHAPES[n.type]}${style ? `, style="${style}"` : ''}];`);
  }
  const most = Math.max(1, ...map.edges.map((e) => e.calls));
  for (const e of map.edges) {
    const width = (1 + (4 * Math.log1p(e.calls)) / Math.log1p(most)).toFixed(1);
    lines.push(
      `  ${ids.get(e.from)} -> ${ids.get(e.to)} [label=${dotString(edgeFigures(e))}, penwidth=${width}${e.errors ? ', color="#d33"' : ''}${e.inCycle ? ', style=bold' : ''}];`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}

/** Mermaid label text: entity codes for what its parser would read as syntax or markup. */
function mermaidText(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/[\r\n]+/g, ' ');
}

const MERMAID_SHAPES: Record<MapNode['type'], [string, string]> = {
  service: ['["', '"]'],
  database: ['[("', '")]'],
  messaging: ['>"', '"]'],
  external: ['["', '"]'],
  clients: ['(("', '"))'],
};

export function mapMermaid(map: ServiceMap): string {
  const ids = new Map(map.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const n of map.nodes) {
    const [open, close] = MERMAID_SHAPES[n.type];
    lines.push(`  ${ids.get(n.id)}${open}${mermaidText(nodeLabel(n))}${close}`);
  }
  map.edges.forEach((e) => lines.push(`  ${ids.get(e.from)} -->|"${mermaidText(edgeFigures(e))}"| ${ids.get(e.to)}`));
  const failing = map.edges.map((e, i) => (e.errors ? i : -1)).filter((i) => i >= 0);
  if (failing.length) lines.push(`  linkStyle ${failing.join(',')} stroke:#d33`);
  const untraced = map.nodes.filter((n) => n.type === 'external').map((n) => ids.get(n.id));
  if (untraced.length) lines.push('  classDef untraced stroke-dasharray: 4 3', `  class ${untraced.join(',')} untraced`);
  const cyclic = map.nodes.filter((n) => n.inCycle).map((n) => ids.get(n.id));
  if (cyclic.length) lines.push('  classDef cycle stroke-width:3px', `  class ${cyclic.join(',')} cycle`);
  return lines.join('\n');
}
