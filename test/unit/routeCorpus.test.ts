// Spans to code on real apps: each app in test/corpus/apps ran under its stack's standard OpenTelemetry
// auto-instrumentation (no code.* on its server spans) and its spans were captured with `trace-lens receive
// --out` (scripts/capture-route-corpus.mjs). Every SERVER span with http.route must land on the handler its
// ground truth names: right >= 90%, wrong <= 2%; the table is printed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClueResolver } from '../../src/core/code/clueResolver';
import { codeClues, errorClues } from '../../src/core/code/codeClues';
import { WorkspaceIndex } from '../../src/core/code/pathMapping';
import { decodeTraces } from '../../src/core/formats/decode';

const APPS = join(__dirname, '..', 'corpus', 'apps');

interface Truth {
  service: string;
  routes: { method: string; route: string; handler: { file: string; line: number; function: string } }[];
  /** Where the app's failing requests throw. */
  failures: { file: string; line: number }[];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '__pycache__') return [];
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function truth(app: string): Truth {
  return JSON.parse(readFileSync(join(APPS, app, 'ground-truth.json'), 'utf8')) as Truth;
}

function measure(app: string) {
  const dir = join(APPS, app);
  const expected = truth(app);
  const files = listFiles(dir);
  const text = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
  const resolver = new ClueResolver(new WorkspaceIndex(files), files, text, [dir]);
  const decoded = decodeTraces(readFileSync(join(dir, 'traces.jsonl')));
  if (!decoded.ok) throw new Error(decoded.error);
  const counts = { server: 0, right: 0, wrong: 0, unresolved: 0, internalWithRoute: 0, internalCounted: 0, thrown: 0, thrownRight: 0 };
  const misses: string[] = [];
  const seen = new Set<string>();
  for (const span of decoded.traces.flatMap((t) => t.spans)) {
    const thrown = errorClues(span).find((c) => c.kind === 'stack');
    if (thrown) {
      counts.thrown++;
      const at = resolver.resolve(thrown);
      if ('file' in at && expected.failures.some((f) => f.file === relative(dir, at.file) && f.line === at.line)) counts.thrownRight++;
      else misses.push(`exception of ${span.name} at ${'file' in at ? `${relative(dir, at.file)}:${at.line}` : at.unresolved}`);
    }
    const clue = codeClues(span).find((c) => c.kind === 'route');
    if (span.kind !== 'server') {
      if (typeof span.attributes['http.route'] === 'string') counts.internalWithRoute++;
      if (clue) counts.internalCounted++;
      continue;
    }
    // The route as the span reports it: http.route, or the "{method} {route}" name Go's otelhttp gives.
    if (clue?.kind !== 'route') continue;
    const route = clue.route;
    const declared = expected.routes.find((r) => r.route === route && r.method === clue.method);
    if (!declared) continue; // a request the ground truth does not list (the capture's readiness probe)
    seen.add(`${declared.method} ${declared.route}`);
    counts.server++;
    const resolved = resolver.resolve(clue);
    if (!('file' in resolved)) {
      counts.unresolved++;
      misses.push(`unresolved ${clue.method} ${route}: ${resolved.unresolved}`);
    } else if (relative(dir, resolved.file) === declared.handler.file && resolved.line === declared.handler.line) counts.right++;
    else {
      counts.wrong++;
      misses.push(
        `wrong ${clue.method} ${route}: ${relative(dir, resolved.file)}:${resolved.line}, expected ${declared.handler.file}:${declared.handler.line}`,
      );
    }
  }
  // Every route of the ground truth must have been measured: a route the app reports differently is a miss too.
  const unseen = [...new Set(expected.routes.map((r) => `${r.method} ${r.route}`))].filter((key) => !seen.has(key));
  for (const key of unseen) misses.push(`never seen: ${key}`);
  return { counts, misses, unseen: unseen.length };
}

describe('route corpus: server spans of real auto-instrumented apps land on their handlers', () => {
  const apps = readdirSync(APPS).filter((name) => statSync(join(APPS, name, 'traces.jsonl'), { throwIfNoEntry: false }));
  it('has captured apps to measure', () => {
    expect(apps).toEqual(expect.arrayContaining(['express-realworld', 'django-polls', 'fastapi-shop', 'flask-blog', 'spring-petclinic']));
  });

  for (const app of apps) {
    it(app, () => {
      const { counts, misses, unseen } = measure(app);
      const pct = (n: number) => `${((n / counts.server) * 100).toFixed(1)}%`;
      console.log(
        `${app.padEnd(20)} ${String(counts.server).padStart(6)} server spans  right ${pct(counts.right).padStart(6)}  wrong ${pct(counts.wrong).padStart(5)}  unresolved ${pct(counts.unresolved).padStart(5)}  internal spans with http.route ${counts.internalWithRoute} (counted as calls: ${counts.internalCounted})  exceptions on their throw line ${counts.thrownRight}/${counts.thrown}`,
      );
      for (const miss of misses.slice(0, 10)) console.log(`  ${miss}`);
      expect(counts.server).toBeGreaterThan(20);
      expect(unseen).toBe(0);
      expect(counts.right / counts.server).toBeGreaterThanOrEqual(0.9);
      expect(counts.wrong / counts.server).toBeLessThanOrEqual(0.02);
      expect(counts.internalCounted).toBe(0);
      if (truth(app).failures.length) expect(counts.thrown).toBeGreaterThan(0);
      expect(counts.thrownRight).toBe(counts.thrown);
    });
  }
});
