// The Jaeger source and the CLI against a real Jaeger v2 (module v1.76.0, memory storage), fed by the real
// OpenTelemetry SDK through Jaeger's own OTLP receiver. Both API generations: api_v3, and the legacy /api with
// api_v3 hidden behind a proxy (as on Jaeger 1.x before api_v3).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/sources/httpClient';
import { createSource } from '../../src/core/sources/sourceConfig';
import type { SearchQuery, TraceSource } from '../../src/core/sources/traceSource';
import { runAccountsApp, type AccountsTraces } from '../support/accountsApp';
import { buildCli, runCli } from '../support/cliProcess';
import { freePort } from '../support/freePort';
import { jaegerBinary, jaegerUnavailable, startJaeger, type RunningJaeger } from '../support/jaegerServer';

const unavailable = jaegerUnavailable();
if (unavailable) console.log(`SKIPPED real Jaeger tests: ${unavailable}`);

const HOUR = 3600_000;
const search = (source: TraceSource, query: Partial<SearchQuery>) => source.search({ service: 'accounts', lookbackMs: HOUR, limit: 20, ...query });
const ids = async (source: TraceSource, query: Partial<SearchQuery>) => (await search(source, query)).hits.map((h) => h.traceId).sort();

/** Jaeger 1.x before api_v3: the same server, with every /api/v3 route answering the router's 404. */
function withoutApiV3(target: string): Promise<{ url: string; close(): void }> {
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/api/v3/')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('404 page not found\n');
    }
    const upstream = request(`${target}${req.url}`, { headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    upstream.end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })),
  );
}

describe.skipIf(unavailable !== undefined)('Jaeger source against a real Jaeger v2', () => {
  let jaeger: RunningJaeger;
  let traces: AccountsTraces;
  let cli: string;
  let legacy: { url: string; close(): void };

  beforeAll(async () => {
    const [running, built] = await Promise.all([startJaeger(jaegerBinary()), buildCli()]);
    jaeger = running;
    cli = built;
    const exporter = () => new OTLPTraceExporter({ url: `${jaeger.otlpUrl}/v1/traces` });
    traces = await runAccountsApp({ accounts: exporter(), ledger: exporter() });
    legacy = await withoutApiV3(jaeger.url);
    // Jaeger stores asynchronously after the export returns: wait until every trace is searchable.
    const v3 = createSource({ name: 'Jaeger', kind: 'jaeger', url: jaeger.url });
    for (let i = 0; i < 100 && (await ids(v3, { lookbackMs: 4 * HOUR })).length < 4; i++) await new Promise((r) => setTimeout(r, 100));
  }, 1_800_000);

  afterAll(() => {
    legacy?.close();
    jaeger?.stop();
  });

  for (const api of ['api_v3', 'legacy /api'] as const) {
    describe(api, () => {
      const source = () => createSource({ name: 'Jaeger', kind: 'jaeger', url: api === 'api_v3' ? jaeger.url : legacy.url });

      it('shows a trace by id, with both services and the call between them', async () => {
        const jaegerSource = source();
        const trace = await jaegerSource.getTrace(traces.user42);
        expect(trace?.spans.map((s) => `${s.resource.serviceName}:${s.kind}:${s.name}`).sort()).toEqual([
          'accounts:client:GET',
          'accounts:server:GET /accounts/{id}',
          'ledger:server:GET /balance',
        ]);
        expect(trace?.spans.find((s) => s.kind === 'server' && s.resource.serviceName === 'accounts')?.attributes['user.id']).toBe('42');
        expect(jaegerSource.describeApi()).toBe(api === 'api_v3' ? 'Jaeger api_v3' : 'Jaeger legacy /api (no api_v3 at this URL)');
        expect(await jaegerSource.getTrace('4bf92f3577b34da6a3ce929d0e0e4736')).toBeUndefined();
      });

      it('searches by service within the lookback, newest first, no more than the limit', async () => {
        const jaegerSource = source();
        expect(await ids(jaegerSource, {})).toEqual([traces.user42, traces.user7, traces.failed].sort());
        expect(await ids(jaegerSource, { lookbackMs: 4 * HOUR })).toEqual([traces.user42, traces.user7, traces.failed, traces.old].sort());
        // The limit bounds how many; which ones is Jaeger's choice (its memory store does not pick the newest).
        const limited = await search(jaegerSource, { limit: 2 });
        expect(limited.hits).toHaveLength(2);
        const starts = limited.hits.map((h) => BigInt(h.startUnixNano));
        expect(starts[0] >= starts[1]).toBe(true);
        const all = await search(jaegerSource, {});
        expect(all.hits.map((h) => h.traceId)).toEqual([traces.failed, traces.user7, traces.user42]);
        expect(all.hits[0]).toMatchObject({ rootService: 'accounts', rootName: 'POST /accounts', errorCount: 1, durationNs: 300e6 });
      });

      it('searches by operation, min and max duration (of one span of the service, as Jaeger compares)', async () => {
        const jaegerSource = source();
        expect(await ids(jaegerSource, { operation: 'POST /accounts' })).toEqual([traces.failed]);
        expect(await ids(jaegerSource, { minDurationNs: 100e6 })).toEqual([traces.user42, traces.failed].sort());
        // user42's 80 ms client call is an accounts span under 100 ms.
        expect(await ids(jaegerSource, { maxDurationNs: 100e6 })).toEqual([traces.user42, traces.user7].sort());
        expect(await ids(jaegerSource, { maxDurationNs: 60e6 })).toEqual([traces.user7]);
        expect(await ids(jaegerSource, { minDurationNs: 100e6, maxDurationNs: 200e6 })).toEqual([traces.user42]);
      });

      it('applies attribute filters, and says where they were applied', async () => {
        const jaegerSource = source();
        const result = await search(jaegerSource, { attributes: { 'user.id': '42' }, lookbackMs: 4 * HOUR });
        expect(result.hits.map((h) => h.traceId).sort()).toEqual([traces.user42, traces.old].sort());
        if (api === 'api_v3') {
          expect(result.notes).toEqual([expect.stringContaining("this Jaeger's api_v3 ignores attribute filters")]);
          expect(jaegerSource.describeApi()).toContain('attribute filters through the legacy /api/traces');
        } else expect(result.notes).toEqual([]);
        expect(await ids(jaegerSource, { attributes: { 'http.response.status_code': '500' } })).toEqual([traces.failed]);
        expect(await ids(jaegerSource, { attributes: { 'user.id': '42', 'http.response.status_code': '500' } })).toEqual([]);
      });

      it('lists services and operations, and is healthy', async () => {
        const jaegerSource = source();
        expect(await jaegerSource.services()).toEqual(['accounts', 'ledger']);
        expect(await jaegerSource.operations('accounts')).toEqual(['GET', 'GET /accounts/{id}', 'POST /accounts']);
        expect(await jaegerSource.health()).toEqual({ ok: true, detail: `${jaegerSource.describeApi()}, 2 services` });
      });
    });
  }

  it('reads the dependency graph Jaeger computes (its memory store counts every parent-child edge, in-process ones too)', async () => {
    const links = await createSource({ name: 'Jaeger', kind: 'jaeger', url: jaeger.url }).dependencies!(HOUR);
    expect(links.sort((a, b) => a.child.localeCompare(b.child))).toEqual([
      { parent: 'accounts', child: 'accounts', callCount: 1 },
      { parent: 'accounts', child: 'ledger', callCount: 1 },
    ]);
  });

  it('trace-lens map --source jaeger draws that graph, and says it has counts only', async () => {
    const run = await runCli(cli, 'map', '--source', 'jaeger', '--url', jaeger.url, '--format', 'json');
    expect(run.code).toBe(0);
    const map = JSON.parse(run.stdout);
    expect(map.from).toEqual({ backend: 'Jaeger' });
    expect(map.edges.map((e: { from: string; to: string; calls: number }) => `${e.from} -> ${e.to} ×${e.calls}`).sort()).toEqual([
      'service:accounts -> service:accounts ×1',
      'service:accounts -> service:ledger ×1',
    ]);
    expect(map.notes[0]).toMatch(/^Jaeger's own dependency graph over the last hour: call counts only \(no latency/);
  });

  it('says there is no Jaeger API at the OTLP port, instead of "not found"', async () => {
    const atOtlp = createSource({ name: 'Jaeger', kind: 'jaeger', url: jaeger.otlpUrl });
    const error = await atOtlp.getTrace(traces.user42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('no-api');
    expect((error as SourceError).message).toMatch(
      /^no Jaeger query API at http:\/\/127\.0\.0\.1:\d+: .* answered 404 .*is this the OTLP or collector port\? Jaeger's query UI and API listen on 16686/,
    );
    await expect(search(atOtlp, {})).rejects.toThrow(/no Jaeger query API/);
  });

  it('says a stopped server is not reachable', async () => {
    const stopped = createSource({ name: 'Jaeger', kind: 'jaeger', url: `http://127.0.0.1:${await freePort()}` });
    await expect(stopped.getTrace(traces.user42)).rejects.toThrow(/is not reachable: connection refused \(is it running\?\)/);
  });

  it('trace-lens show and search: exit codes, notes and the API named with --verbose', async () => {
    const shown = await runCli(cli, 'show', traces.user42, '--source', 'jaeger', '--url', jaeger.url, '--json', '--verbose');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).traces[0]).toMatchObject({ traceId: traces.user42, spanCount: 3, rootService: 'accounts' });
    expect(shown.stderr).toContain('asked Jaeger through Jaeger api_v3');

    const missing = await runCli(cli, 'show', '4bf92f3577b34da6a3ce929d0e0e4736', '--source', 'jaeger', '--url', jaeger.url);
    expect(missing.code).toBe(3);
    const wrongPort = await runCli(cli, 'show', traces.user42, '--source', 'jaeger', '--url', jaeger.otlpUrl);
    expect(wrongPort.code).toBe(2);
    expect(wrongPort.stderr).toContain('no Jaeger query API at');
    const wrongPortSearch = await runCli(cli, 'search', '--source', 'jaeger', '--url', jaeger.otlpUrl, '--service', 'accounts');
    expect(wrongPortSearch.code).toBe(2);
    const notAnId = await runCli(cli, 'show', 'nothex', '--source', 'jaeger', '--url', jaeger.url);
    expect(notAnId.code).toBe(2);
    expect(notAnId.stderr).toContain('"nothex" is not a trace id');

    const found = await runCli(
      cli,
      'search',
      '--source',
      'jaeger',
      '--url',
      jaeger.url,
      '--service',
      'accounts',
      '--attr',
      'user.id=42',
      '--lookback',
      '4h',
      '--json',
      '--verbose',
    );
    expect(found.code).toBe(0);
    expect(
      JSON.parse(found.stdout)
        .traces.map((t: { traceId: string }) => t.traceId)
        .sort(),
    ).toEqual([traces.user42, traces.old].sort());
    expect(found.stderr).toContain("note: this Jaeger's api_v3 ignores attribute filters");
    expect(found.stderr).toContain('attribute filters through the legacy /api/traces');
  });
});
