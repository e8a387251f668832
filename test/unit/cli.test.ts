// The CLI as a user runs it: a real node process on each fixture and on bad input.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toOtlpJsonLines } from '../../src/core/formats/otlpJsonWriter';
import type { Span, Trace } from '../../src/core/model/trace';
import { FIXTURES_DIR } from '../support/fixtures';
import { buildCli, runCli } from '../support/cliProcess';
import { startFakeBackend } from '../support/fakeBackend';
import { runCheckoutApp } from '../support/instrumentedApp';
import { recordQueryLoop, SdkRecording } from '../support/sdkTrace';

let cli: string;
const scratch = mkdtempSync(join(tmpdir(), 'trace-lens-cli-'));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  cli = await buildCli();
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

  it('tells where the time went by operation, as the waterfall’s Statistics does, in text and JSON', () => {
    const file = join(FIXTURES_DIR, 'zipkin/messaging-kafka.json');
    const json = run('show', file, '--by-operation', '--json');
    expect(json.code).toBe(0);
    const [trace] = JSON.parse(json.stdout).traces as {
      traceId: string;
      operations: { service: string; name: string; spans: number; errors: number; selfNs: number }[];
    }[];
    expect(trace.operations.reduce((sum, op) => sum + op.spans, 0)).toBe(28);
    expect(trace.operations.map((op) => op.selfNs)).toEqual(trace.operations.map((op) => op.selfNs).sort((a, b) => b - a));
    expect(trace.operations[0]).toMatchObject({ service: 'servicea', name: 'on-message', spans: 6, errors: 0 });
    expect(trace.operations.find((op) => op.service === 'serviceb' && op.name === 'on-message')).toMatchObject({ spans: 3, errors: 3 });
    const text = run('show', file, '--by-operation');
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${trace.traceId} · 28 spans`);
    expect(lines[1].split(/\s{2,}/)).toEqual(['service', 'operation', 'spans', 'failed', 'total', 'average', 'max', 'self', 'self %']);
    expect(lines[2].split(/\s{2,}/).slice(0, 4)).toEqual(['servicea', 'on-message', '6', '0']);
    expect(lines).toHaveLength(2 + trace.operations.length);
    // Columns: the figures right-aligned, so the header and every row end at the same place.
    expect(new Set(lines.slice(1).map((line) => line.length)).size).toBe(1);
  });

  it('answers on every fixture: exit 0 for traces, 2 with one line for the non-trace answers', () => {
    const nonTraces = new Set(['FindTraceSummaries.json', 'GetServices.json', 'GetOperations.json', 'search-traceql.json']);
    for (const file of [
      'jaeger/api_v3/GetTrace.json',
      'jaeger/api_v3/GetServices.json',
      'tempo/example_trace.v2.json',
      'tempo/search-traceql.json',
      'zipkin/skew.json',
      'opentelemetry/trace.json',
    ]) {
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
  it('counts what a real SDK exports, ends with one JSON line, and saves the traces with --out for show and hotspots', async () => {
    const out = join(scratch, 'received.jsonl');
    const child = spawn(process.execPath, [cli, 'receive', '--port', '0', '--for', '4s', '--json', '--out', out]);
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
    expect(JSON.parse(stdout)).toMatchObject({
      spans: 18,
      traces: 6,
      rejected: 0,
      failedRequests: 0,
      tracesWithErrors: 2,
      services: { 'cli-shop': 18 },
      endpoint: url.replace('/v1/traces', ''),
      saved: { file: out, traces: 6, spans: 18, evictedTraces: 0 },
    });
    expect(stderr).toMatch(/18 spans in \d+ requests  cli-shop 18/);
    const shown = run('show', out, '--json');
    expect(shown.code).toBe(0);
    const traces = JSON.parse(shown.stdout).traces as { spanCount: number; errorCount: number; rootService: string }[];
    expect(traces.map((t) => [t.spanCount, t.rootService])).toEqual(Array.from({ length: 6 }, () => [3, 'cli-shop']));
    expect(traces.filter((t) => t.errorCount > 0)).toHaveLength(2);
  });

  it('exits 2 before listening when --out cannot be written', () => {
    const { code, stderr } = run('receive', '--port', '0', '--for', '1s', '--out', join(scratch, 'no-such-folder', 'x.jsonl'));
    expect(code).toBe(2);
    expect(stderr).toContain('no-such-folder/x.jsonl: no such folder');
    expect(stderr).not.toContain('listening');
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
    writeFileSync(
      log,
      [
        'started',
        '2026-11-23 ERROR charge failed trace_id=0AF7651916CD43DD8448EB211C80319C span_id=b7ad6b7169203331',
        'X-B3-TraceId: 463ac35c9f6413ad x-datadog-trace-id: 14734487376766342168 _dd.p.tid=67ce898700000000',
        'commit 9d59409acf479dfa0df1aa568182e43e43df8bb5 and md5 d41d8cd98f00b204e9800998ecf8427e',
      ].join('\n'),
    );
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

describe('trace-lens hotspots', () => {
  const resource = { serviceName: 'shop', attributes: { 'service.name': 'shop' } };
  function spanOf(i: number, durationNs: number, attributes: Span['attributes'], failing?: string): Span {
    return {
      traceId: (i + 1).toString(16).padStart(32, 'a'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'op',
      kind: 'server',
      startNs: 0,
      durationNs,
      status: failing ? { code: 'error', message: 'boom' } : { code: 'unset' },
      attributes,
      events: failing
        ? [
            {
              name: 'exception',
              offsetNs: 0,
              attributes: { 'exception.type': 'ValueError', 'exception.message': 'amount must be positive', 'exception.stacktrace': failing },
            },
          ]
        : [],
      links: [],
      resource,
    };
  }

  it('maps spans to workspace code by file, stack frame, Java symbol and route, with quantiles and what stayed unresolved', () => {
    const python =
      'Traceback (most recent call last):\n  File "/srv/app/billing/service.py", line 8, in charge\n  File "/usr/lib/python3/site-packages/stripe/api.py", line 9, in create\nValueError: x';
    const spans: Span[] = [];
    for (let i = 0; i < 100; i++)
      spans.push(spanOf(i, (i + 1) * 1_000_000, { 'code.file.path': '/app/src/orders.ts', 'code.line.number': 11, 'code.function.name': 'placeOrder' }));
    for (let i = 100; i < 110; i++) spans.push(spanOf(i, 5_000_000, { 'code.function.name': 'com.acme.orders.OrderService.placeOrder' }));
    for (let i = 110; i < 114; i++) spans.push(spanOf(i, 2_000_000, { 'http.route': '/orders/{id}' }, i % 2 ? python : undefined));
    spans.push(spanOf(114, 1_000_000, { 'code.file.path': '/app/cmd/main.go', 'code.line.number': 3 }));
    const traces: Trace[] = spans.map((s) => ({ traceId: s.traceId, startUnixNano: 1_700_000_000_000_000_000n, spans: [s], warnings: [] }));
    const file = join(scratch, 'spans.jsonl');
    writeFileSync(file, toOtlpJsonLines(traces));
    const { code, stdout, stderr } = run('hotspots', file, '--root', join(__dirname, '..', 'sample-workspace'), '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.locations).toEqual([
      {
        file: 'src/orders.ts',
        line: 11,
        function: 'placeOrder',
        how: null,
        count: 100,
        errorCount: 0,
        p50Ns: expect.any(Number),
        p95Ns: expect.any(Number),
        p99Ns: expect.any(Number),
      },
      {
        file: 'src/main/java/com/acme/orders/OrderService.java',
        line: 13,
        function: 'com.acme.orders.OrderService.placeOrder',
        how: null,
        count: 10,
        errorCount: 0,
        p50Ns: expect.any(Number),
        p95Ns: expect.any(Number),
        p99Ns: expect.any(Number),
      },
      {
        file: 'src/orders.ts',
        line: 17,
        function: 'GET /orders/:id handler',
        how: 'route /orders/{id}: Express declaration GET /orders/{} → GET /orders/:id handler',
        count: 4,
        errorCount: 2,
        p50Ns: expect.any(Number),
        p95Ns: expect.any(Number),
        p99Ns: expect.any(Number),
      },
    ]);
    const orders = out.locations[0];
    // Exact p50/p95/p99 of 1..100 ms, at q·99 between ranks: 50.5, 95.05, 99.01 ms; the sketch is within 1%.
    for (const [value, exact] of [
      [orders.p50Ns, 50.5e6],
      [orders.p95Ns, 95.05e6],
      [orders.p99Ns, 99.01e6],
    ])
      expect(Math.abs(value - exact) / exact).toBeLessThanOrEqual(0.01);
    expect(out.failures).toEqual([
      {
        file: 'app/billing/service.py',
        line: 8,
        count: 2,
        exceptionType: 'ValueError',
        message: 'amount must be positive',
        latestTraceId: expect.stringMatching(/^a+7[0-9a-f]$/),
      },
    ]);
    expect(out.unresolved).toEqual([{ clue: '/app/cmd/main.go:3 (code.file.path)', reason: 'no file named main.go in the workspace', count: 1 }]);
  });

  it('needs --root', () => {
    const { code, stderr } = run('hotspots', 'x.json');
    expect(code).toBe(2);
    expect(stderr).toContain('--root');
  });
});

describe('terminal output', () => {
  it('prints a 5,000-deep chain with bounded indentation (depth as a number past 16 levels)', () => {
    const spans = Array.from({ length: 5000 }, (_, i) => ({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: i ? i.toString(16).padStart(16, '0') : undefined,
      name: `s${i}`,
      startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i)),
      endTimeUnixNano: String(1_700_000_000_001_000_000n - BigInt(i)),
    }));
    const file = join(scratch, 'chain.json');
    writeFileSync(file, JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] }));
    const { code, stdout } = run('show', file, '--max-rows', '5000');
    expect(code).toBe(0);
    const last = stdout.split('\n').find((l) => l.endsWith(' s4999'))!;
    expect(last).toContain('‹depth 4999› ');
    expect(Math.max(...stdout.split('\n').map((l) => l.length))).toBeLessThan(300);
    expect(stdout.length).toBeLessThan(5000 * 300);
  });

  const ESC = '\u001b';
  const CSI = '\u009b';
  const evil = `${ESC}]0;pwned${'\u0007'}${ESC}[31mred${CSI}2J\u202eevil\nforged row`;
  const hostile = (): Uint8Array =>
    Buffer.from(
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: evil } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                    spanId: '0000000000000001',
                    name: evil,
                    kind: 2,
                    startTimeUnixNano: '1700000000000000000',
                    endTimeUnixNano: '1700000000001000000',
                    attributes: [{ key: 'code.function.name', value: { stringValue: `pkg.${evil}` } }],
                  },
                  {
                    traceId: 'not-an-id',
                    spanId: '0000000000000002',
                    name: evil,
                    startTimeUnixNano: '1700000000000000000',
                    endTimeUnixNano: '1700000000001000000',
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
  const clean = (bytes: string) => {
    expect(bytes).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(bytes).not.toContain('\nforged row');
  };

  it('escapes control characters from span data in show, its warnings, hotspots and --json', () => {
    const file = join(scratch, 'hostile.json');
    writeFileSync(file, hostile());
    for (const args of [
      ['show', file],
      ['show', file, '--json'],
      ['hotspots', file, '--root', scratch],
      ['hotspots', file, '--root', scratch, '--json'],
    ]) {
      const { code, stdout, stderr } = run(...args);
      expect(code).toBe(0);
      clean(stdout);
      clean(stderr);
      expect(stdout).toContain('\\u001b');
    }
  });

  it("escapes them in search results and in receive's live service names", async () => {
    const backend = await startFakeBackend((r) =>
      r.path === '/api/v2/traces'
        ? {
            body: JSON.stringify([
              [
                {
                  traceId: 'a03ee8fff1dcd9b9',
                  id: 'a03ee8fff1dcd9b9',
                  name: evil,
                  timestamp: 1_700_000_000_000_000,
                  duration: 10,
                  localEndpoint: { serviceName: 'svc' },
                },
              ],
            ]),
          }
        : undefined,
    );
    try {
      const search = await runCli(cli, 'search', '--source', 'zipkin', '--url', backend.url, '--service', 'svc');
      expect(search.code).toBe(0);
      clean(search.stdout);
      expect(search.stdout).toContain('\\u001b]0;pwned');
    } finally {
      await backend.close();
    }
    const child = spawn(process.execPath, [cli, 'receive', '--port', '0', '--for', '3s']);
    let stdout = '';
    const url = await new Promise<string>((resolve) =>
      child.stdout.on('data', (c) => {
        stdout += c;
        const m = /listening for OTLP\/HTTP on (\S+)/.exec(stdout);
        if (m) resolve(m[1]);
      }),
    );
    const reply = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: hostile() });
    expect(reply.status).toBe(200);
    await new Promise((resolve) => child.on('close', resolve));
    clean(stdout);
    expect(stdout).toMatch(/\\u001b\]0;pwned\\u0007.* 1/);
  });
});

describe('trace-lens findings', () => {
  /** One request with an N+1 under loadCart (code at src/orders.ts:6), as the real SDK records it. */
  function nPlusOneFile(): string {
    const r = new SdkRecording();
    recordQueryLoop(r, 'loadCart', {
      repeats: 8,
      loopAttributes: { 'code.file.path': '/app/src/orders.ts', 'code.line.number': 6, 'code.function.name': 'loadCart' },
      query: (i) => ({ 'db.system.name': 'postgresql', 'db.query.text': `SELECT sku FROM cart_items WHERE cart_id = ${i}` }),
    });
    const file = join(scratch, 'n-plus-one.jsonl');
    writeFileSync(file, toOtlpJsonLines(r.traces()));
    return file;
  }

  it('prints the findings grouped, with the code they map to, as one JSON object', () => {
    const { code, stdout, stderr } = run('findings', nPlusOneFile(), '--root', join(__dirname, '..', 'sample-workspace'), '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.traces).toBe(1);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      kind: 'n-plus-one-query',
      severity: 'warning',
      title: 'N+1 query: 8 × SELECT sku FROM cart_items WHERE cart_id = ? (144 ms)',
      traces: 1,
      savingNs: 126_000_000,
      code: { file: 'src/orders.ts', line: 6 },
      call: null,
    });
    expect(out.findings[0].exemplars[0].spanIds).toHaveLength(8);
    // As text, the finding is placed where the Findings view and the agents place it.
    const text = run('findings', nPlusOneFile(), '--root', join(__dirname, '..', 'sample-workspace')).stdout;
    expect(text).toContain('N+1 query: 8 × SELECT sku FROM cart_items');
    expect(text).toMatch(/^ {4}in 1 of 1 trace, e\.g\. [0-9a-f]{32} {2}src\/orders\.ts:6$/m);
  });

  it('exits 1 with --fail-on when a finding of those kinds is present, 0 when not, 2 on an unknown kind', () => {
    const file = nPlusOneFile();
    const failing = run('findings', file, '--fail-on', 'retry-storm,n-plus-one-query');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('! N+1 query: 8 × SELECT sku FROM cart_items WHERE cart_id = ?');
    expect(failing.stdout).toContain('1 finding of a --fail-on kind (retry-storm, n-plus-one-query)');
    expect(run('findings', file, '--fail-on', 'retry-storm').code).toBe(0);
    expect(run('findings', file, '--fail-on', 'all', '--disable', 'n-plus-one-query,bottleneck').code).toBe(0);
    const unknown = run('findings', file, '--fail-on', 'n+1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--fail-on: unknown kind "n+1"');
    expect(run('findings', join(FIXTURES_DIR, 'zipkin/envoy.json')).stdout).toBe('no findings in 1 trace\n');
  });

  it("reads Zipkin's Kafka fixture: the consumer that starts the trace lost the producer's context, and where the failure began", () => {
    const { code, stdout } = run('findings', join(FIXTURES_DIR, 'zipkin/messaging-kafka.json'), '--json');
    expect(code).toBe(0);
    const kinds = JSON.parse(stdout).findings.map((f: { kind: string; title: string }) => [f.kind, f.title]);
    expect(kinds).toEqual([
      ['failure-origin', 'Failure began in serviceb · on-message (some error)'],
      ['broken-propagation', "Broken propagation: servicea · poll consumed a message that carried no trace context: its producer's trace is not linked"],
    ]);
  });
});
