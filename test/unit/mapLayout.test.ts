// The service map's layouts: dagre for maps of the usual size, the cut-down layered layout past it; both put
// callers left of callees, break cycles rather than fail on them, and never overlap two nodes.
import { describe, expect, it } from 'vitest';
import type { ServiceMap } from '../../src/core/analysis/serviceGraph/serviceMap';
import { edgeFigureLines } from '../../src/core/analysis/serviceGraph/mapFormats';
import { LABEL_LINE_PX, labelBaselines, layoutMap, type MapLayout } from '../../src/webview/map/mapLayout';
import { serviceNodes } from '../support/serviceMaps';

function chain(length: number, extra: [number, number][] = []): ServiceMap {
  const nodes = serviceNodes(length);
  const link = (a: number, b: number) => ({
    from: nodes[a].id,
    to: nodes[b].id,
    calls: 1,
    errors: 0,
    traces: 1,
    callsPerTrace: 1,
    tracesWithDuplicates: 0,
    inCycle: false,
    operations: [],
  });
  const edges = [...Array.from({ length: length - 1 }, (_, i) => link(i, i + 1)), ...extra.map(([a, b]) => link(a, b))];
  return { from: 'traces', traces: 1, nodes, edges, notes: [] };
}

function overlaps(layout: MapLayout): boolean {
  return layout.nodes.some((a, i) =>
    layout.nodes.some((b, j) => i < j && Math.abs(a.x - b.x) < (a.width + b.width) / 2 && Math.abs(a.y - b.y) < (a.height + b.height) / 2),
  );
}

describe('service map layout', () => {
  for (const [engine, length] of [
    ['dagre', 6],
    ['the layered layout', 60],
  ] as const) {
    it(`${engine}: callers left of callees, a cycle broken, no overlaps, every edge placed`, () => {
      // A chain with a call back from its end to its start (a cycle) and a second branch.
      const map = chain(length, [
        [length - 1, 0],
        [1, 3],
      ]);
      const layout = layoutMap(map, () => ['1 call', 'p95 4 ms']);
      const x = (i: number) => layout.nodes.find((n) => n.id === `service:s${i}`)!.x;
      for (let i = 0; i + 1 < length; i++) expect(x(i)).toBeLessThan(x(i + 1));
      expect(overlaps(layout)).toBe(false);
      expect(layout.edges).toHaveLength(map.edges.length);
      expect(layout.edges.every((e) => e.points.length >= 2 && e.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)))).toBe(true);
    });
  }

  it('puts each edge label above its edge, clear of every node and of every other label', () => {
    // Labels as long as a usual map's get (failures, p95, calls per trace), several stacked in one layer (a fan-out).
    const map = chain(5, [
      [0, 2],
      [0, 3],
      [1, 3],
      [2, 4],
      [3, 2],
    ]);
    map.edges.forEach((e, i) => Object.assign(e, { calls: 1234 + i, errors: 17 * i, callsPerTrace: 3.5, server: { p50Ns: 2e6, p95Ns: 123.4e6, p99Ns: 2e8 } }));
    const lines = map.edges.map(edgeFigureLines);
    expect(lines[1]).toEqual(['1,235 calls · 1.4% failed', 'p95 123 ms · 3.5 per trace']);
    const layout = layoutMap(map, (i) => lines[i]);
    const STROKE = 6;
    const boxes = layout.edges.map((e, i) => {
      const baselines = labelBaselines(e.label, lines[i].length, STROKE);
      const half = (Math.max(...lines[i].map((l) => l.length)) * 6) / 2;
      return { left: e.label.x - half, right: e.label.x + half, top: baselines[0] - LABEL_LINE_PX + 2, bottom: baselines.at(-1)! + 3, at: e.label };
    });
    const apart = (a: { left: number; right: number; top: number; bottom: number }, b: typeof a) =>
      a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
    // The height of an edge's polyline at x.
    const yAt = (points: { x: number; y: number }[], x: number) => {
      const k = points.findIndex((p, i) => i > 0 && points[i - 1].x <= x && x <= p.x);
      const [a, b] = [points[k - 1], points[k]];
      return b.x === a.x ? a.y : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
    };
    for (const [i, box] of boxes.entries()) {
      // Above its own edge's line, which runs level under it (no slope through the text)...
      expect(box.bottom).toBeLessThanOrEqual(box.at.y - STROKE / 2);
      for (const x of [box.left, box.at.x, box.right]) expect(yAt(layout.edges[i].points, x)).toBeCloseTo(box.at.y, 6);
      // ...and clear of every node.
      for (const n of layout.nodes)
        expect(apart(box, { left: n.x - n.width / 2, right: n.x + n.width / 2, top: n.y - n.height / 2, bottom: n.y + n.height / 2 })).toBe(true);
    }
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(apart(boxes[i], boxes[j])).toBe(true);
  });
});
