// A fast layered layout for maps too large for dagre to lay out within a frame budget (dagre took 1.2 s for 200
// services and 1,000 calls between adjacent tiers, 25 s for random ones: its long-edge dummies and crossing
// reduction grow with the edges' spans). The same Sugiyama steps, cut down: cycles broken by reversing the edges
// a depth-first search finds going back, ranks by longest path, a few barycentre sweeps to reduce crossings,
// columns left to right, and edges as curves from side to side (no dummies). Linear in the graph per sweep.

export interface LayeredNode {
  id: string;
  width: number;
  height: number;
}

export interface LayeredResult {
  centres: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

const RANK_GAP = 140;
const NODE_GAP = 24;
const SWEEPS = 6;
const MARGIN = 20;

/** Edges (as index pairs) that a depth-first search finds going back to a node on its path: reversed, they make a DAG. */
function backEdges(n: number, out: number[][]): Set<string> {
  const state = new Uint8Array(n); // 0 new, 1 on the path, 2 done
  const back = new Set<string>();
  for (let start = 0; start < n; start++) {
    if (state[start]) continue;
    const stack: { node: number; next: number }[] = [{ node: start, next: 0 }];
    state[start] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < out[top.node].length) {
        const child = out[top.node][top.next++];
        if (state[child] === 1) back.add(`${top.node}>${child}`);
        else if (state[child] === 0) {
          state[child] = 1;
          stack.push({ node: child, next: 0 });
        }
        continue;
      }
      state[top.node] = 2;
      stack.pop();
    }
  }
  return back;
}

export function layeredLayout(nodes: LayeredNode[], edges: { from: string; to: string }[]): LayeredResult {
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const pairs = edges.map((e) => [index.get(e.from)!, index.get(e.to)!] as const).filter(([a, b]) => a !== b);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of pairs) out[a].push(b);
  const back = backEdges(n, out);
  const forward = pairs.map(([a, b]) => (back.has(`${a}>${b}`) ? ([b, a] as const) : ([a, b] as const)));
  // Ranks by longest path from the sources, in topological order (Kahn).
  const next: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (const [a, b] of forward) {
    next[a].push(b);
    indegree[b]++;
  }
  const rank = new Int32Array(n);
  const queue = [...Array(n).keys()].filter((i) => indegree[i] === 0);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of next[v]) {
      rank[w] = Math.max(rank[w], rank[v] + 1);
      if (--indegree[w] === 0) queue.push(w);
    }
  }
  const ranks: number[][] = [];
  for (const v of queue) (ranks[rank[v]] ??= []).push(v);
  // Crossing reduction: each node moves to the mean position of its neighbours, sweeping right then left.
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of forward) {
    neighbours[a].push(b);
    neighbours[b].push(a);
  }
  const position = new Float64Array(n);
  const place = () => ranks.forEach((column) => column.forEach((v, i) => (position[v] = (i + 0.5) / column.length)));
  place();
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const order = sweep % 2 ? [...ranks.keys()].reverse() : [...ranks.keys()];
    for (const r of order) {
      const column = ranks[r];
      const centre = new Map(
        column.map((v) => [v, neighbours[v].length ? neighbours[v].reduce((s, w) => s + position[w], 0) / neighbours[v].length : position[v]]),
      );
      column.sort((x, y) => centre.get(x)! - centre.get(y)!);
      column.forEach((v, i) => (position[v] = (i + 0.5) / column.length));
    }
  }
  // Columns left to right, each as wide as its widest node; nodes stacked and centred in their column.
  const centres = new Map<string, { x: number; y: number }>();
  let x = MARGIN;
  let height = 0;
  const columnHeights = ranks.map((column) => column.reduce((s, v) => s + nodes[v].height + NODE_GAP, -NODE_GAP));
  const tallest = Math.max(0, ...columnHeights);
  ranks.forEach((column, r) => {
    const width = Math.max(...column.map((v) => nodes[v].width));
    let y = MARGIN + (tallest - columnHeights[r]) / 2;
    for (const v of column) {
      centres.set(nodes[v].id, { x: x + width / 2, y: y + nodes[v].height / 2 });
      y += nodes[v].height + NODE_GAP;
    }
    height = Math.max(height, y);
    x += width + RANK_GAP;
  });
  return { centres, width: x - RANK_GAP + MARGIN, height: height - NODE_GAP + MARGIN };
}

/** A curve from the right side of one node to the left side of another (round the back for an edge going back). */
export function sideCurve(a: { x: number; y: number; width: number }, b: { x: number; y: number; width: number }): { x: number; y: number }[] {
  const start = { x: a.x + a.width / 2, y: a.y };
  const end = { x: b.x - b.width / 2, y: b.y };
  const reach = Math.max(60, Math.abs(end.x - start.x) / 2);
  return [start, { x: start.x + reach, y: start.y }, { x: end.x - reach, y: end.y }, end];
}
