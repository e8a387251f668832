// npm run bench: comparison's cost. Targets (issue 20): two 100k-span traces compared in <= 1 s; two groups of
// 5,000 traces in all (two groups of 2,500, about 1M spans) in <= 3 s, printed beside the time to merely iterate those spans (the floor).
import { groupReport, traceReport } from '../src/core/analysis/compare/compareReport';
import { GroupSampling } from '../src/core/analysis/compare/groupSampling';
import type { Trace } from '../src/core/model/trace';
import { syntheticTrace } from '../test/support/syntheticTrace';

function timed(action: () => void): number {
  const started = performance.now();
  action();
  return performance.now() - started;
}

function slower(trace: Trace, factor: number): Trace {
  return { ...trace, spans: trace.spans.map((s) => ({ ...s, durationNs: Math.round(s.durationNs * factor) })) };
}

const a = syntheticTrace(100_000);
const b = slower(syntheticTrace(100_000), 1.1);
// The traces were just made: collected now, their making is not charged to the comparison (run with --expose-gc).
const collect = () => (globalThis as { gc?: () => void }).gc?.();
collect();
const twoMs = timed(() => traceReport(a, b));
// The receiver's thread is long-lived: later comparisons run warm (compiled, heap grown).
const warmMs = [0, 1, 2].map(() => timed(() => traceReport(a, b))).sort((x, y) => x - y)[1];
const group = (seed: number, factor: number) =>
  Array.from({ length: 2_500 }, (_, i) =>
    slower(syntheticTrace(200, (seed * 100_000 + i + 1).toString(16).padStart(32, '0')), factor * (0.9 + ((i * 7919) % 200) / 1000)),
  );
const baseline = group(1, 1);
const candidate = group(2, 1.2);
let spans = 0;
const floorMs = timed(() => {
  for (const t of [...baseline, ...candidate]) for (const s of t.spans) spans += s.durationNs > 0 ? 1 : 0;
});
let rows = 0;
// What "Compare Versions…" runs: each trace sampled (and its attributes counted), then the report.
const split = { by: 'attribute', attribute: 'service.version', baseline: 'a', candidate: 'b' } as const;
const compareGroups = () => {
  collect();
  return timed(() => {
    const sampling = new GroupSampling();
    for (const t of baseline) sampling.add('baseline', t);
    for (const t of candidate) sampling.add('candidate', t);
    rows = groupReport(sampling, split).report.rows.length;
  });
};
const groupsMs = compareGroups();
const groupsWarmMs = [0, 1, 2].map(compareGroups).sort((x, y) => x - y)[1];
console.log('\nCompare, this machine (generated spans as the receiver holds them: names and values up to 48 bytes shared, as its decoder keeps them):');
console.log(`  two 100,000-span traces: ${twoMs.toFixed(0)} ms the first time, ${warmMs.toFixed(0)} ms after (median of 3) (target ≤ 1000 ms)`);
console.log(
  `  two groups of 2,500 traces (${spans.toLocaleString('en-US')} spans): ${groupsMs.toFixed(0)} ms the first time, ${groupsWarmMs.toFixed(0)} ms after (median of 3) (target ≤ 3000 ms) · iterating the spans ${floorMs.toFixed(0)} ms (the floor) · ${rows} rows`,
);
