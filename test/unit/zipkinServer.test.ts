// The Zipkin source and the CLI against a real Zipkin server: spans POSTed to its collector (fixtures, and the real
// OpenTelemetry SDK through its Zipkin exporter) come back through trace-by-id, search, services and span names.
import { join } from 'node:path';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/sources/httpClient';
import { createSource } from '../../src/core/sources/sourceConfig';
import type { SearchQuery, TraceSource } from '../../src/core/sources/traceSource';
import { runAccountsApp, type AccountsTraces } from '../support/accountsApp';
import { buildCli, runCli } from '../support/cliProcess';
import { fixture } from '../support/fixtures';
import { startZipkin, zipkinUnavailable, type RunningZipkin } from '../support/zipkinServer';

const HOUR = 3600_000;

const unavailable = zipkinUnavailable();
if (unavailable) console.log(`SKIPPED real Zipkin server tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('Zipkin source against a real Zipkin server', () => {
  let zipkin: RunningZipkin;
  let source: TraceSource;
  let cli: string;
  let app: AccountsTraces;
  const everything = () => Date.now(); // the fixtures are from years ago: look back to 1970
  const ids = async (query: Partial<SearchQuery>) =>
    (await source.search({ service: 'accounts', lookbackMs: HOUR, limit: 20, ...query })).hits.map((h) => h.traceId).sort();

  beforeAll(async () => {
    const [running, built] = await Promise.all([startZipkin(), buildCli()]);
    zipkin = running;
    cli = built;
    for (const file of ['zipkin/yelp.json', 'zipkin/messaging-kafka.json']) {
      const res = await fetch(`${zipkin.url}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fixture(file) });
      expect(res.status).toBe(202);
    }
    const exporter = (serviceName: string) => new ZipkinExporter({ url: `${zipkin.url}/api/v2/spans`, serviceName });
    app = await runAccountsApp({ accounts: exporter('accounts'), ledger: exporter('ledger') });
    source = createSource({ name: 'Zipkin', kind: 'zipkin', url: zipkin.url });
  }, 180_000);

  afterAll(() => zipkin?.stop());

  it('reads a stored trace back by id', async () => {
    const trace = await source.getTrace('a03ee8fff1dcd9b9');
    expect(trace?.spans).toHaveLength(16);
    expect(new Set(trace!.spans.map((s) => s.resource.serviceName))).toContain('mobile_api');
  });

  it('lists services and span names, and searches', async () => {
    const services = await source.services();
    expect(services).toEqual(expect.arrayContaining(['mobile_api', 'servicea', 'serviceb']));
    expect(await source.operations('mobile_api')).toContain('post /location/update/v4');
    const { hits } = await source.search({ service: 'mobile_api', lookbackMs: everything(), limit: 10 });
    expect(hits.map((h) => h.traceId)).toEqual(['0000000000000000a03ee8fff1dcd9b9']);
    expect((await source.search({ service: 'mobile_api', minDurationNs: 3600e9, lookbackMs: everything(), limit: 10 })).hits).toEqual([]);
    expect(await source.health()).toMatchObject({ ok: true });
  });

  it('searches spans of the real SDK by lookback, operation, min and max duration (also max alone), attributes and limit', async () => {
    expect(await ids({})).toEqual([app.user42, app.user7, app.failed].sort());
    expect(await ids({ lookbackMs: 4 * HOUR })).toEqual([app.user42, app.user7, app.failed, app.old].sort());
    expect(await ids({ operation: 'post /accounts' })).toEqual([app.failed]);
    expect(await ids({ minDurationNs: 100e6 })).toEqual([app.user42, app.failed].sort());
    expect(await ids({ maxDurationNs: 100e6 })).toEqual([app.user42, app.user7].sort());
    expect(await ids({ maxDurationNs: 60e6 })).toEqual([app.user7]);
    expect(await ids({ minDurationNs: 100e6, maxDurationNs: 200e6 })).toEqual([app.user42]);
    expect(await ids({ attributes: { 'user.id': '42' } })).toEqual([app.user42]);
    expect((await source.search({ service: 'accounts', lookbackMs: HOUR, limit: 2 })).hits).toHaveLength(2);
  });

  it('reads an OpenTelemetry error span that has no description (otel.status_code only) as failed', async () => {
    const trace = await source.getTrace(app.failed);
    const failed = trace!.spans.find((s) => s.name === 'post /accounts')!;
    expect(failed.attributes).toMatchObject({ 'otel.status_code': 'ERROR' });
    expect(failed.attributes.error).toBeUndefined();
    expect(failed.status).toEqual({ code: 'error' });
    const hit = (await source.search({ service: 'accounts', operation: 'post /accounts', lookbackMs: HOUR, limit: 5 })).hits[0];
    expect(hit.errorCount).toBe(1);
  });

  it('reads the dependency graph Zipkin computes', async () => {
    expect(await source.dependencies!(HOUR)).toEqual([{ parent: 'accounts', child: 'ledger', callCount: 1 }]);
  });

  it('says there is no Zipkin API at a URL whose routes are missing, apart from a real miss', async () => {
    const elsewhere = createSource({ name: 'Zipkin', kind: 'zipkin', url: `${zipkin.url}/not-zipkin` });
    const error = await elsewhere.getTrace('4bf92f3577b34da6a3ce929d0e0e4736').catch((e: unknown) => e);
    expect((error as SourceError).kind).toBe('no-api');
    expect((error as SourceError).message).toMatch(/^no Zipkin query API at .*\/not-zipkin: .* answered 404/);
    await expect(elsewhere.search({ service: 'accounts', lookbackMs: HOUR, limit: 5 })).rejects.toThrow(/no Zipkin query API/);
  });

  it('trace-lens map --source zipkin draws its dependency graph as Mermaid', async () => {
    const run = await runCli(cli, 'map', '--source', 'zipkin', '--url', zipkin.url, '--format', 'mermaid');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toEqual(expect.arrayContaining(['  n0["accounts"]', '  n1["ledger"]', '  n0 -->|"1 call"| n1']));
  });

  it('answers an unknown id with "not found"', async () => {
    expect(await source.getTrace('4bf92f3577b34da6a3ce929d0e0e4736')).toBeUndefined();
  });

  it('trace-lens show --source zipkin prints the same JSON as for a file; exits 3 for an unknown id, 2 for bad input or no API', async () => {
    const run = (...args: string[]) => runCli(cli, ...args);
    const fromServer = await run('show', 'a03ee8fff1dcd9b9', '--source', 'zipkin', '--url', zipkin.url, '--json');
    expect(fromServer.code).toBe(0);
    const fromFile = await run('show', join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'zipkin', 'yelp.json'), '--json');
    expect(JSON.parse(fromServer.stdout).traces[0]).toEqual(JSON.parse(fromFile.stdout).traces[0]);
    const missing = await run('show', '4bf92f3577b34da6a3ce929d0e0e4736', '--source', 'zipkin', '--url', zipkin.url);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('trace 4bf9… not found in Zipkin');
    const notAnId = await run('show', 'nothex', '--source', 'zipkin', '--url', zipkin.url);
    expect(notAnId.code).toBe(2);
    expect(notAnId.stderr).toContain('"nothex" is not a trace id');
    const noApi = await run('show', '4bf92f3577b34da6a3ce929d0e0e4736', '--source', 'zipkin', '--url', `${zipkin.url}/not-zipkin`);
    expect(noApi.code).toBe(2);
    const search = await run('search', '--source', 'zipkin', '--url', zipkin.url, '--service', 'serviceb', '--lookback', '100000h', '--json');
    expect(search.code).toBe(0);
    expect(JSON.parse(search.stdout).traces.map((t: { traceId: string }) => t.traceId)).toEqual(['00000000000000000562809467078eab']);
    const maxOnly = await run('search', '--source', 'zipkin', '--url', zipkin.url, '--service', 'accounts', '--max-duration', '60ms', '--json');
    expect(JSON.parse(maxOnly.stdout).traces.map((t: { traceId: string }) => t.traceId)).toEqual([app.user7]);
  });
});
