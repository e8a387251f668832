// npm run bench: the service map built from held traces. Targets (issue 21): from 1M spans in <= 1 s, printed
// beside the time to merely iterate those spans (the floor); 200 services and 1,000 edges laid out and drawn in
// <= 500 ms.
import { ServiceGraph } from '../src/core/analysis/serviceGraph/serviceGraph';
import { buildSpanTree } from '../src/core/analysis/spanTree';
import { syntheticTrace } from '../test/support/syntheticTrace';
import { edgeFigureLines } from '../src/core/analysis/serviceGraph/mapFormats';
import type { ServiceMap } from '../src/core/analysis/serviceGraph/serviceMap';
import type { FromMap, ToMap } from '../src/protocol/mapMessages';
import { layoutMap } from '../src/webview/map/mapLayout';
import { chromiumAvailable, openPageHarness } from '../test/support/webviewHarness';

const traces = Array.from({ length: 5_000 }, (_, i) => syntheticTrace(200, (i + 1).toString(16).padStart(32, '0')));
let spans = 0;
let started = performance.now();
for (const t of traces) for (const s of t.spans) spans += s.durationNs > 0 ? 1 : 0;
const floorMs = performance.now() - started;
// Held traces come with their span trees (the receiver builds one per settled trace for its findings, the trace
// worker one per trace it holds): the graph reads their parents from it. Timed apart, not charged to the graph.
started = performance.now();
const parents = traces.map((t) => buildSpanTree(t).parent);
const treesMs = performance.now() - started;

/** A graph of all the traces, after the garbage made before it is collected (run with --expose-gc). */
function build(withTrees: boolean): { graph: ServiceGraph; ms: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const began = performance.now();
  const graph = new ServiceGraph();
  traces.forEach((t, i) => graph.add(t, withTrees ? parents[i] : undefined));
  return { graph, ms: performance.now() - began };
}

const { graph, ms: buildMs } = build(true);
// The receiver's thread is long-lived: a graph it keeps is built warm (compiled), as the later ones are.
const median3 = (f: () => number) => [f(), f(), f()].sort((a, b) => a - b)[1];
const warmMs = median3(() => build(true).ms);
const bareMs = median3(() => build(false).ms);
started = performance.now();
const map = graph.snapshot();
const snapshotMs = performance.now() - started;
started = performance.now();
for (const t of traces.slice(0, 1_000)) graph.remove(t.traceId);
const removeMs = performance.now() - started;
started = performance.now();
graph.snapshot();
const afterRemovalMs = performance.now() - started;
console.log('\nService map, this machine (generated spans as the receiver holds them: names and values up to 48 bytes shared, as its decoder keeps them):');
console.log(
  `  from ${traces.length.toLocaleString('en-US')} held traces (${spans.toLocaleString('en-US')} spans): ${buildMs.toFixed(0)} ms the first time, ${warmMs.toFixed(0)} ms warm, median of 3 (target ≤ 1000 ms) · iterating the spans ${floorMs.toFixed(0)} ms (the floor) · ${map.nodes.length} nodes, ${map.edges.length} edges`,
);
console.log(
  `  (their span trees, built for findings before: ${treesMs.toFixed(0)} ms; without them, each parent looked up by id: ${bareMs.toFixed(0)} ms warm)`,
);
console.log(
  `  a snapshot (with cycles): ${snapshotMs.toFixed(1)} ms · 1,000 traces taken back out: ${removeMs.toFixed(0)} ms · the next snapshot (lost exemplars found among 4,000 traces): ${afterRemovalMs.toFixed(0)} ms`,
);

/** A map of `services` services and `edgeCount` edges between them, each with figures. */
function generatedMap(services: number, edgeCount: number): ServiceMap {
  const nodes = Array.from({ length: services }, (_, i) => ({
    id: `service:svc-${i}`,
    name: `svc-${i}`,
    type: 'service' as const,
    requests: 100,
    errors: i % 7,
    inCycle: false,
    operations: [],
  }));
  const edges = Array.from({ length: edgeCount }, (_, k) => {
    const from = k % services;
    const to = (from + 1 + ((k * 7919) % (services - 1))) % services;
    return {
      from: nodes[from].id,
      to: nodes[to].id,
      calls: 10 + (k % 90),
      errors: k % 5,
      traces: 5,
      callsPerTrace: 2,
      tracesWithDuplicates: 0,
      server: { p50Ns: 1e6, p95Ns: 5e6, p99Ns: 9e6 },
      inCycle: false,
      operations: [],
    };
  });
  const unique = [...new Map(edges.filter((e) => e.from !== e.to).map((e) => [`${e.from}>${e.to}`, e])).values()];
  return { from: 'traces', traces: 5, nodes, edges: unique, notes: [] };
}

async function drawInChromium(map: ServiceMap): Promise<{ layoutMs: number; pageMs: number } | undefined> {
  const layoutStarted = performance.now();
  layoutMap(map, (i) => edgeFigureLines(map.edges[i]));
  const layoutMs = performance.now() - layoutStarted;
  if (!chromiumAvailable()) return { layoutMs, pageMs: NaN };
  const harness = await openPageHarness<ToMap, FromMap>('map');
  try {
    await harness.show({ type: 'map', map, choice: { sources: ['traces'], source: 'traces' }, code: {} });
    await harness.page.waitForFunction(`performance.getEntriesByName('trace-lens:map-drawn').length > 0`);
    const pageMs = (await harness.page.evaluate(`performance.getEntriesByName('trace-lens:map-drawn')[0].duration`)) as number;
    return { layoutMs, pageMs };
  } finally {
    await harness.close();
  }
}

void (async () => {
  const big = generatedMap(200, 1_000);
  const drawn = await drawInChromium(big);
  if (drawn)
    console.log(
      `  a map of ${big.nodes.length} services and ${big.edges.length} edges: laid out in ${drawn.layoutMs.toFixed(0)} ms (Node), read, laid out and drawn in the page in ${drawn.pageMs.toFixed(0)} ms (target ≤ 500 ms)`,
    );
})();
