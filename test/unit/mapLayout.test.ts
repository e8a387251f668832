// The service map's layouts: dagre for maps of the usual size, the cut-down layered layout past it; both put
// callers left of callees, break cycles rather than fail on them, and never overlap two nodes.
import { describe, expect, it } from 'vitest';
import type { ServiceMap } from '../../src/core/analysis/serviceGraph/serviceMap';
import { layoutMap, type MapLayout } from '../../src/webview/map/mapLayout';
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
      const layout = layoutMap(map, () => '1 call');
      const x = (i: number) => layout.nodes.find((n) => n.id === `service:s${i}`)!.x;
      for (let i = 0; i + 1 < length; i++) expect(x(i)).toBeLessThan(x(i + 1));
      expect(overlaps(layout)).toBe(false);
      expect(layout.edges).toHaveLength(map.edges.length);
      expect(layout.edges.every((e) => e.points.length >= 2 && e.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)))).toBe(true);
    });
  }
});
