// Spans to code on real apps: each app in test/corpus/apps ran under its stack's standard OpenTelemetry
// auto-instrumentation (no code.* on its server spans) and its spans were captured with `trace-lens receive
// --out` (scripts/capture-route-corpus.mjs). Every SERVER span with http.route must land on the handler its
// ground truth names: right >= 90%, wrong <= 2%; the table is printed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClueResolver } from '../../src/core/code/clueResolver';
import { codeClues } from '../../src/core/code/codeClues';
import { WorkspaceIndex } from '../../src/core/code/pathMapping';
import { decodeTraces } from '../../src/core/formats/decode';

const APPS = join(__dirname, '..', 'corpus', 'apps');

interface Truth {
  service: string;
  routes: { method: string; route: string; handler: { file: string; line: number; function: string } }[];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '__pycache__') return [];
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function measure(app: string) {
  const dir = join(APPS, app);
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Truth;
  const files = listFiles(dir);
  const resolver = new ClueResolver(new WorkspaceIndex(files), files, (f) => readFileSync(f, 'utf8'), [dir]);
  const decoded = decodeTraces(readFileSync(join(dir, 'traces.jsonl')));
  if (!decoded.ok) throw new Error(decoded.error);
  const counts = { server: 0, right: 0, wrong: 0, unresolved: 0, internalWithRoute: 0, internalCounted: 0 };
  const misses: string[] = [];
  for (const span of decoded.traces.flatMap((t) => t.spans)) {
    const route = span.attributes['http.route'];
    const clue = codeClues(span).find((c) => c.kind === 'route');
    if (span.kind !== 'server') {
      if (typeof route === 'string') counts.internalWithRoute++;
      if (clue) counts.internalCounted++;
      continue;
    }
    if (typeof route !== 'string' || clue?.kind !== 'route') continue;
    const expected = truth.routes.find((r) => r.route === route && r.method === clue.method);
    if (!expected) continue; // a request the ground truth does not list (the capture's readiness probe)
    counts.server++;
    const resolved = resolver.resolve(clue);
    if (!('file' in resolved)) {
      counts.unresolved++;
      misses.push(`unresolved ${clue.method} ${route}: ${resolved.unresolved}`);
    } else if (relative(dir, resolved.file) === expected.handler.file && resolved.line === expected.handler.line) counts.right++;
    else {
      counts.wrong++;
      misses.push(`wrong ${clue.method} ${route}: ${relative(dir, resolved.file)}:${resolved.line}, expected ${expected.handler.file}:${expected.handler.line}`);
    }
  }
  return { counts, misses };
}

describe('route corpus: server spans of real auto-instrumented apps land on their handlers', () => {
  const apps = readdirSync(APPS).filter((name) => statSync(join(APPS, name, 'traces.jsonl'), { throwIfNoEntry: false }));
  const rows: string[] = [];

  it('has captured apps to measure', () => {
    expect(apps).toEqual(expect.arrayContaining(['express-realworld', 'flask-blog', 'spring-petclinic']));
  });

  for (const app of apps) {
    it(app, () => {
      const { counts, misses } = measure(app);
      const pct = (n: number) => `${((n / counts.server) * 100).toFixed(1)}%`;
      rows.push(`${app.padEnd(20)} ${String(counts.server).padStart(6)} server spans  right ${pct(counts.right).padStart(6)}  wrong ${pct(counts.wrong).padStart(5)}  unresolved ${pct(counts.unresolved).padStart(5)}  internal spans with http.route ${counts.internalWithRoute} (counted as calls: ${counts.internalCounted})`);
      console.log(rows.join('\n'));
      for (const miss of misses.slice(0, 10)) console.log(`  ${miss}`);
      expect(counts.server).toBeGreaterThan(20);
      expect(counts.right / counts.server).toBeGreaterThanOrEqual(0.9);
      expect(counts.wrong / counts.server).toBeLessThanOrEqual(0.02);
      expect(counts.internalCounted).toBe(0);
    });
  }
});
