// npm run bench (fourth part): CodeLens for a 5,000-line file with 300 functions against statistics built from
// 1M spans, and adding a 10k-span batch to those statistics (its digest made first, as the receiver's thread makes
// it; the extension host adds it). Targets (issue 5): ≤ 10 ms per CodeLens call, ≤ 50 ms per 10k-span batch. The
// CodeLens call here is the provider's work without VS Code: the text outline of the file, its locations, the
// grouping by function and the lens texts.
import { enclosingFunction, functionStarts } from '../src/core/code/functionOutline';
import { CodeIndex } from '../src/core/stats/codeIndex';
import { DigestBuilder } from '../src/core/stats/spanDigest';
import type { Span, Trace } from '../src/core/model/trace';
import { groupByFunction } from '../src/core/stats/functionStats';
import { DEFAULT_LENS_FORMAT, lensText } from '../src/core/stats/lensText';

const FILES = 1000;
const BIG = '/ws/src/service0.ts';
const SPANS = 1_000_000;
const BATCH = 10_000;

function bigFileText(): string {
  const lines: string[] = [];
  for (let f = 0; f < 300; f++) {
    lines.push(`export async function handler${f}(input: string): Promise<string> {`);
    for (let i = 0; i < 14; i++) lines.push(`  const step${i} = await work(input, ${i}); // body line`);
    lines.push('  return input;', '}', '');
  }
  while (lines.length < 5000) lines.push('// trailing');
  return lines.join('\n');
}

const resource = { serviceName: 'bench', attributes: {} };
// mulberry32: a small PRNG with a full period (a double-based LCG loses precision and cycles early).
let seed = 7;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function batch(n: number, offset: number): Trace[] {
  const traces: Trace[] = [];
  for (let t = 0; t < n / 100; t++) {
    const spans: Span[] = [];
    for (let i = 0; i < 100; i++) {
      const file = random() < 0.1 ? BIG : `/app/src/service${1 + Math.floor(random() * (FILES - 1))}.ts`;
      spans.push({
        traceId: '',
        spanId: String(i),
        name: 'op',
        kind: 'server',
        startNs: i * 1000,
        durationNs: 1e6 * (1 + random() * 50),
        status: random() < 0.02 ? { code: 'error' } : { code: 'unset' },
        attributes: { 'code.file.path': file.replace('/ws/', '/app/'), 'code.line.number': 1 + Math.floor(random() * 5000) },
        events: [],
        links: [],
        resource,
      });
    }
    traces.push({ traceId: (offset + t).toString(16).padStart(32, '0'), startUnixNano: 1_700_000_000_000_000_000n, spans, warnings: [] });
  }
  return traces;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

const files = Array.from({ length: FILES }, (_, i) => `/ws/src/service${i}.ts`);
const { stats } = new CodeIndex({ files, readText: () => undefined });
// As the receiver's thread makes them: one builder for all batches, a digest per batch. The extension host's thread
// only adds them.
const digests = new DigestBuilder();
const digestOf = (traces: Trace[]) => {
  for (const trace of traces) digests.add(trace);
  return digests.take();
};
const t0 = performance.now();
for (let loaded = 0; loaded < SPANS; loaded += BATCH) stats.addDigest(digestOf(batch(BATCH, loaded)));
const loadMs = performance.now() - t0;

const digestTimes: number[] = [];
const batchTimes: number[] = [];
for (let r = 0; r < 9; r++) {
  const next = batch(BATCH, SPANS + r * BATCH);
  let t = performance.now();
  const digest = digestOf(next);
  digestTimes.push(performance.now() - t);
  t = performance.now();
  stats.addDigest(digest);
  batchTimes.push(performance.now() - t);
}

const text = bigFileText();
function lenses(outline: ReturnType<typeof functionStarts>): number {
  const groups = groupByFunction(stats.locationsIn(BIG), 5000, (line) => enclosingFunction(outline, line));
  return groups.map((g) => lensText(DEFAULT_LENS_FORMAT, g.sketch, g.errorCount)).length;
}
const outlineTimes: number[] = [];
const lensTimes: number[] = [];
let lensCount = 0;
for (let r = 0; r < 21; r++) {
  let t = performance.now();
  const outline = functionStarts(text);
  outlineTimes.push(performance.now() - t);
  t = performance.now();
  lensCount = lenses(outline);
  lensTimes.push(performance.now() - t);
}

console.log(`\nTrace Lens code statistics benchmark — ${SPANS / 1e6}M spans over ${FILES} files, median of runs`);
console.log(`loading 1M spans into the statistics: ${loadMs.toFixed(0)} ms (${(((SPANS / loadMs) * 1000) / 1000).toFixed(0)}k spans/s)`);
console.log(
  `adding a 10k-span batch:               ${median(batchTimes).toFixed(1).padStart(6)} ms (target ≤ 50 ms; the extension host's part: every span on a line of its own, most of them new to the statistics)`,
);
console.log(`  its digest, made on the receiver's thread: ${median(digestTimes).toFixed(1)} ms`);
console.log(
  `CodeLens for 5,000 lines / 300 funcs:  ${median(lensTimes).toFixed(1).padStart(6)} ms (target ≤ 10 ms; ${lensCount} lenses from ${stats.locationsIn(BIG).length} locations; new data, outline cached per document version)`,
);
console.log(
  `  + text outline when no symbol provider: ${median(outlineTimes).toFixed(1).padStart(4)} ms once per document version (${median(outlineTimes.map((o, i) => o + lensTimes[i])).toFixed(1)} ms for a first call)`,
);
