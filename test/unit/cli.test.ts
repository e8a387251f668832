// The CLI as a user runs it: a real node process on each fixture and on bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../support/fixtures';

let cli: string;
const scratch = mkdtempSync(join(tmpdir(), 'trace-lens-cli-'));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  cli = join(scratch, 'cli.js');
  await build({ entryPoints: [join(__dirname, '..', '..', 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cli, logLevel: 'silent' });
});

describe('trace-lens show', () => {
  it('prints exactly one JSON object with the summary fields', () => {
    const { code, stdout } = run('show', join(FIXTURES_DIR, 'jaeger-ui/genaiTestTrace.json'), '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.traces).toHaveLength(1);
    expect(out.traces[0]).toMatchObject({
      traceId: '4a1b2c3d4e5f60718293a4b5c6d7e8f9',
      spanCount: 57,
      rootService: 'api-edge',
      rootName: 'POST /api/graphql',
      startUnixNano: expect.stringMatching(/^\d+$/),
      durationNs: 44_000_000_000,
      errorCount: 1,
      warnings: [],
    });
    expect(out.traces[0].services).toEqual([...out.traces[0].services].sort());
  });

  it('prints a text waterfall with tree, offsets, durations, bars, services and error marks', () => {
    const { code, stdout } = run('show', join(FIXTURES_DIR, 'zipkin/messaging-kafka.json'));
    expect(code).toBe(0);
    expect(stdout).toContain('28 spans');
    expect(stdout).toMatch(/└─ /);
    expect(stdout).toMatch(/█/);
    expect(stdout).toMatch(/✗/);
    expect(stdout.split('\n').filter((l) => l.includes('servicea') || l.includes('serviceb')).length).toBeGreaterThanOrEqual(28);
  });

  it('answers on every fixture: exit 0 for traces, 2 with one line for the non-trace answers', () => {
    const nonTraces = new Set(['FindTraceSummaries.json', 'GetServices.json', 'GetOperations.json', 'search-traceql.json']);
    for (const file of ['jaeger/api_v3/GetTrace.json', 'jaeger/api_v3/GetServices.json', 'tempo/example_trace.v2.json', 'tempo/search-traceql.json', 'zipkin/skew.json', 'opentelemetry/trace.json']) {
      const { code, stdout, stderr } = run('show', join(FIXTURES_DIR, file), '--json');
      if (nonTraces.has(file.split('/').pop()!)) {
        expect(code, file).toBe(2);
        expect(stderr.trim().split('\n'), file).toHaveLength(1);
        expect(stdout).toBe('');
      } else {
        expect(code, file).toBe(0);
        expect(() => JSON.parse(stdout)).not.toThrow();
      }
    }
  });

  it('exits 2 with a one-line message for a missing file, a non-trace file and garbage bytes', () => {
    const notTrace = join(scratch, 'package.json');
    writeFileSync(notTrace, '{"name":"x"}');
    const garbage = join(scratch, 'garbage.bin');
    writeFileSync(garbage, Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    for (const [path, message] of [
      [join(scratch, 'missing.json'), /no such file/],
      [notTrace, /is not a trace \(tried/],
      [garbage, /not a trace/],
    ] as const) {
      const { code, stderr } = run('show', path);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('exits 2 on unknown commands', () => {
    expect(run('frobnicate').code).toBe(2);
  });
});
