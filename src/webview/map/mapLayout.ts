// The service map laid out left to right in layers (callers before callees). A map of the size most systems have
// is laid out by dagre, the Sugiyama-style layered layout made for directed graphs like this one, whose routing
// of long edges and placing of labels is the better; a larger one by a cut-down layered layout that keeps to a
// frame budget (layeredLayout.ts). No DOM here: the benchmark lays maps out in Node.
import dagre from '@dagrejs/dagre';
import { percent } from '../../core/analysis/serviceGraph/mapFormats';
import type { MapNode, ServiceMap } from '../../protocol/mapMessages';
import { layeredLayout, sideCurve } from './layeredLayout';

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** A polyline, or (curve) a cubic Bézier's four points. */
  points: { x: number; y: number }[];
  curve?: boolean;
  label: { x: number; y: number };
}

export interface MapLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

const CHAR_PX = 7.2;
const NODE_HEIGHT = 40;
/** An edge label's type (10 px, see map.css): its characters' width and its lines' spacing. */
const LABEL_CHAR_PX = 6;
export const LABEL_LINE_PX = 12;
/** The thickest edge line (map/main.ts draws 1-6 px, by calls). */
const MAX_EDGE_PX = 6;
/** Past these, dagre takes longer than a person should wait (100 ms at about 40 services and 80 calls here). */
const DAGRE_MAX_NODES = 40;
const DAGRE_MAX_EDGES = 80;

/** The line under a node's name: its calls in and failures, or what kind of peer it is. */
export function nodeCaption(node: MapNode): string {
  if (node.type === 'database') return 'database';
  if (node.type === 'messaging') return 'queue';
  if (node.type === 'external') return 'not traced';
  return node.requests ? `${node.requests} in · ${percent(node.errors, node.requests)} failed` : '';
}

/** Wide enough for its name and its caption (smaller type). */
function nodeWidth(node: MapNode): number {
  return Math.min(260, 36 + Math.max(node.name.length * CHAR_PX, nodeCaption(node).length * 6));
}

function selfLoop(n: PlacedNode): Pick<PlacedEdge, 'points' | 'label'> {
  const top = n.y - n.height / 2;
  return {
    points: [
      { x: n.x - 12, y: top },
      { x: n.x, y: top - 26 },
      { x: n.x + 12, y: top },
    ],
    label: { x: n.x, y: top - 32 },
  };
}

function layeredMap(map: ServiceMap): MapLayout {
  const sized = map.nodes.map((n) => ({ id: n.id, width: nodeWidth(n), height: NODE_HEIGHT }));
  const { centres, width, height } = layeredLayout(sized, map.edges);
  const nodes = sized.map((n) => ({ ...n, ...centres.get(n.id)! }));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = map.edges.map((e) => {
    const a = byId.get(e.from)!;
    if (e.from === e.to) return { from: e.from, to: e.to, ...selfLoop(a) };
    const points = sideCurve(a, byId.get(e.to)!);
    // The curve's middle, where its label goes.
    const mid = (k: 'x' | 'y') => (points[0][k] + 3 * points[1][k] + 3 * points[2][k] + points[3][k]) / 8;
    return { from: e.from, to: e.to, points, curve: true, label: { x: mid('x'), y: mid('y') - 4 } };
  });
  return { nodes, edges, width, height };
}

/**
 * The baselines of an edge label's lines, bottom line last: the label stands above its point on the edge, clear of
 * a line `strokePx` thick, so the edge never runs through its text.
 */
export function labelBaselines(at: { y: number }, lines: number, strokePx: number): number[] {
  const bottom = at.y - strokePx / 2 - 4;
  return Array.from({ length: lines }, (_, k) => bottom - (lines - 1 - k) * LABEL_LINE_PX);
}

/** The room a label takes on its edge: its width, and its height above the edge doubled (the layout centres it there). */
function labelRoom(lines: string[]): { width: number; height: number } {
  const width = Math.min(240, Math.max(0, ...lines.map((l) => l.length)) * LABEL_CHAR_PX);
  return { width, height: 2 * (lines.length * LABEL_LINE_PX + MAX_EDGE_PX / 2 + 4) };
}

/**
 * The edge run level under its label, across the label's width: dagre passes it through the label's centre only,
 * and a slope into or out of that point ran through the text above it. The label's layer is kept clear that wide.
 */
function levelUnder(points: { x: number; y: number }[], label: { x: number; y: number }, width: number): { x: number; y: number }[] {
  const at = points.findIndex((p) => p.x === label.x && p.y === label.y);
  if (at <= 0 || at >= points.length - 1 || width <= 0) return points;
  const level = [
    { x: label.x - width / 2, y: label.y },
    { x: label.x, y: label.y },
    { x: label.x + width / 2, y: label.y },
  ];
  return [...points.slice(0, at), ...level, ...points.slice(at + 1)];
}

/** `label` gives an edge's label lines, whose size the layout makes room for. */
export function layoutMap(map: ServiceMap, label: (edgeIndex: number) => string[]): MapLayout {
  if (map.nodes.length > DAGRE_MAX_NODES || map.edges.length > DAGRE_MAX_EDGES) return layeredMap(map);
  const g = new dagre.graphlib.Graph({ multigraph: false });
  // A label is a layer of its own between the two it joins (dagre's labelpos 'c'), so the layers' gap needs little more.
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 50, edgesep: 16, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of map.nodes) g.setNode(n.id, { width: nodeWidth(n), height: NODE_HEIGHT });
  map.edges.forEach((e, i) => {
    // A self-call is drawn as a loop by the page; the layout has no room for one.
    if (e.from !== e.to) g.setEdge(e.from, e.to, { ...labelRoom(label(i)), labelpos: 'c' });
  });
  dagre.layout(g);
  const nodes = map.nodes.map((n) => {
    const placed = g.node(n.id);
    return { id: n.id, x: placed.x, y: placed.y, width: placed.width, height: placed.height };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = map.edges.map((e) => {
    if (e.from === e.to) return { from: e.from, to: e.to, ...selfLoop(byId.get(e.from)!) };
    const placed = g.edge(e.from, e.to);
    const label = { x: placed.x ?? placed.points[0].x, y: placed.y ?? placed.points[0].y };
    return { from: e.from, to: e.to, points: levelUnder(placed.points, label, placed.width ?? 0), label };
  });
  const graph = g.graph();
  return { nodes, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
