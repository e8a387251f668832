// npm run bench: the service map built from held traces. Target (issue 21): from 1M spans in <= 1 s, printed
// beside the time to merely iterate those spans (the floor).
import { observeCalls } from '../src/core/analysis/serviceGraph/callObservations';
import { ServiceGraph } from '../src/core/analysis/serviceGraph/serviceGraph';
import { syntheticTrace } from '../test/support/syntheticTrace';

const traces = Array.from({ length: 5_000 }, (_, i) => syntheticTrace(200, (i + 1).toString(16).padStart(32, '0')));
let spans = 0;
let started = performance.now();
for (const t of traces) for (const s of t.spans) spans += s.durationNs > 0 ? 1 : 0;
const floorMs = performance.now() - started;
started = performance.now();
const graph = new ServiceGraph();
for (const t of traces) graph.add(t.traceId, observeCalls(t));
const buildMs = performance.now() - started;
started = performance.now();
const map = graph.snapshot();
const snapshotMs = performance.now() - started;
started = performance.now();
for (const t of traces.slice(0, 1_000)) graph.remove(t.traceId);
const removeMs = performance.now() - started;
console.log('\nService map, this machine:');
console.log(
  `  from ${traces.length.toLocaleString('en-US')} traces (${spans.toLocaleString('en-US')} spans): ${buildMs.toFixed(0)} ms (target ≤ 1000 ms) · iterating the spans ${floorMs.toFixed(0)} ms (the floor) · ${map.nodes.length} nodes, ${map.edges.length} edges`,
);
console.log(`  a snapshot (with cycles): ${snapshotMs.toFixed(1)} ms · 1,000 traces taken back out: ${removeMs.toFixed(0)} ms`);
