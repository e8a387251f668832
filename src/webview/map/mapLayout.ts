// The service map laid out left to right in layers (callers before callees) by dagre, the Sugiyama-style layered
// layout made for directed graphs like this one. No DOM here: the benchmark lays maps out in Node.
import dagre from '@dagrejs/dagre';
import type { ServiceMap } from '../../protocol/mapMessages';

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
  points: { x: number; y: number }[];
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

/** `label` gives an edge's label, whose size the layout makes room for. */
export function layoutMap(map: ServiceMap, label: (edgeIndex: number) => string): MapLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 110, edgesep: 16, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of map.nodes) g.setNode(n.id, { width: Math.min(260, 36 + n.name.length * CHAR_PX), height: NODE_HEIGHT });
  map.edges.forEach((e, i) => {
    // A self-call is drawn as a loop by the page; the layout has no room for one.
    if (e.from !== e.to) g.setEdge(e.from, e.to, { width: Math.min(240, label(i).length * 6), height: 14, labelpos: 'c' });
  });
  dagre.layout(g);
  const nodes = map.nodes.map((n) => {
    const placed = g.node(n.id);
    return { id: n.id, x: placed.x, y: placed.y, width: placed.width, height: placed.height };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = map.edges.map((e) => {
    if (e.from === e.to) {
      const n = byId.get(e.from)!;
      const top = n.y - n.height / 2;
      return {
        from: e.from,
        to: e.to,
        points: [
          { x: n.x - 12, y: top },
          { x: n.x, y: top - 26 },
          { x: n.x + 12, y: top },
        ],
        label: { x: n.x, y: top - 32 },
      };
    }
    const placed = g.edge(e.from, e.to);
    return { from: e.from, to: e.to, points: placed.points, label: { x: placed.x ?? placed.points[0].x, y: placed.y ?? placed.points[0].y } };
  });
  const graph = g.graph();
  return { nodes, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
