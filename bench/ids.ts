// npm run bench (third part): trace-id recognition over a 50 MB log made of the corpus lines, against the floor
// of one plain regex pass (bare 32-hex) over the same text. Target (issue 7): ≤ 2 s for 50 MB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recogniseTraceIds } from '../src/core/ids/traceIdRecogniser';

const TARGET_BYTES = 50 * 1024 * 1024;
const RUNS = 3;

function logText(): string {
  const lines = readFileSync(join(process.cwd(), 'test', 'corpus', 'trace-id-lines.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.slice(l.indexOf('\t') + 1));
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < TARGET_BYTES; i++) {
    const line = lines[i % lines.length];
    parts.push(line);
    size += line.length + 1;
  }
  return parts.join('\n');
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function time(fn: () => number): { ms: number; count: number } {
  const runs: number[] = [];
  let count = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    count = fn();
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), count };
}

const text = logText();
const mb = (text.length / 1048576).toFixed(0);
const floor = time(() => [...text.matchAll(/(?<![0-9A-Za-z-])[0-9a-f]{32}(?![0-9A-Za-z-])/g)].length);
const full = time(() => recogniseTraceIds(text).length);
console.log(`\nTrace Lens trace-id recognition benchmark — ${mb} MB of log lines, median of ${RUNS} runs`);
console.log(`floor: one bare-32-hex regex pass        ${floor.ms.toFixed(0).padStart(6)} ms (${floor.count} hits)`);
console.log(
  `recogniseTraceIds (all formats)          ${full.ms.toFixed(0).padStart(6)} ms (target ≤ 2000 ms; ${(full.ms / floor.ms).toFixed(1)}× the floor) — ${full.count} ids`,
);
