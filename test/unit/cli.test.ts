// The CLI as a user runs it: a real node process on each fixture and on bad input.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../support/fixtures';
import { runCheckoutApp } from '../support/instrumentedApp';

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

describe('trace-lens receive', () => {
  it('counts what a real SDK exports and ends with one JSON line', async () => {
    const child = spawn(process.execPath, [cli, 'receive', '--port', '0', '--for', '4s', '--json']);
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    const url = await new Promise<string>((resolve) => {
      child.stderr.on('data', (c) => {
        stderr += c;
        const match = /listening for OTLP\/HTTP on (\S+)/.exec(stderr);
        if (match) resolve(match[1]);
      });
    });
    await runCheckoutApp(new OTLPTraceExporter({ url }), 6, 'cli-shop');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ spans: 18, traces: 6, rejected: 0, failedRequests: 0, tracesWithErrors: 2, services: { 'cli-shop': 18 }, endpoint: url.replace('/v1/traces', '') });
    expect(stderr).toMatch(/18 spans in \d+ requests  cli-shop 18/);
  });

  it('exits 2 naming the port when it is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr } = run('receive', '--port', String(port), '--for', '1s');
    blocker.close();
    expect(code).toBe(2);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(stderr).toContain('pick another with --port');
  });

  it('exits 2 on a bad --for', () => {
    const { code, stderr } = run('receive', '--for', 'soon');
    expect(code).toBe(2);
    expect(stderr).toContain('--for needs a duration');
  });
});

describe('trace-lens ids', () => {
  it('prints every id with 1-based line and column, normalised, as JSON', () => {
    const log = join(scratch, 'app.log');
    writeFileSync(log, [
      'started',
      '2026-11-23 ERROR charge failed trace_id=0AF7651916CD43DD8448EB211C80319C span_id=b7ad6b7169203331',
      'X-B3-TraceId: 463ac35c9f6413ad x-datadog-trace-id: 14734487376766342168 _dd.p.tid=67ce898700000000',
      'commit 9d59409acf479dfa0df1aa568182e43e43df8bb5 and md5 d41d8cd98f00b204e9800998ecf8427e',
    ].join('\n'));
    const { code, stdout } = run('ids', log, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      matches: [
        { line: 2, column: 41, kind: 'keyed', traceId: '0af7651916cd43dd8448eb211c80319c', confidence: 'high' },
        { line: 3, column: 15, kind: 'b3', traceId: '0000000000000000463ac35c9f6413ad', confidence: 'high' },
        { line: 3, column: 52, kind: 'datadog', traceId: '67ce898700000000cc7b6a33d7a29418', confidence: 'high' },
      ],
    });
    expect(JSON.parse(run('ids', log, '--json', '--all').stdout).matches.at(-1)).toMatchObject({ line: 4, kind: 'bare', confidence: 'low' });
    expect(run('ids', log).stdout).toContain(`${log}:2:41  0af7651916cd43dd8448eb211c80319c  keyed (high)`);
  });
});
