// The backend clients against real HTTP servers on loopback that speak each API's routes, statuses and bodies
// (from the upstream fixtures), including every way a backend can fail.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTraces } from '../../src/core/formats/decode';
import { SpanStore } from '../../src/core/receiver/spanStore';
import { SourceError, type HttpLimits } from '../../src/core/sources/httpClient';
import { createSource, describeSources, parseSourceConfigs, type Credentials, type SourceConfig } from '../../src/core/sources/sourceConfig';
import { StoreSource } from '../../src/core/sources/storeSource';
import { traceQl } from '../../src/core/sources/tempoSource';
import { lookupTrace } from '../../src/core/sources/traceLookup';
import { pickTrace, type LookupOptions, type SearchQuery } from '../../src/core/sources/traceSource';
import { startFakeBackend, type FakeBackend, type Route } from '../support/fakeBackend';
import { fakeTempo, type StoredTempoTrace } from '../support/fakeTempo';
import { FIXTURES_DIR } from '../support/fixtures';

const LIMITS: HttpLimits = { connectTimeoutMs: 1000, totalTimeoutMs: 400, maxResponseBytes: 1024 * 1024, retries: 2 };
const text = (path: string) => readFileSync(join(FIXTURES_DIR, path), 'utf8');
const QUERY: SearchQuery = {
  service: 'shop-backend',
  operation: 'GET /orders/{id}',
  minDurationNs: 100e6,
  lookbackMs: 3600_000,
  limit: 20,
  attributes: { 'http.response.status_code': '500' },
};

const servers: FakeBackend[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function backend(route: Route): Promise<FakeBackend> {
  const server = await startFakeBackend(route);
  servers.push(server);
  return server;
}

function source(kind: SourceConfig['kind'], url: string, extra: Partial<SourceConfig> = {}, credentials?: Credentials, limits = LIMITS) {
  return createSource({ name: `test ${kind}`, kind, url, headers: {}, ...extra }, credentials, limits);
}

// Jaeger's routes, answers and misses are tested against a real Jaeger in jaegerServer.test.ts; here only what a
// real one will not do in a test: multi-tenancy headers and its 401.
describe('Jaeger source', () => {
  it('gets a trace from api_v3 with the tenant and token headers', async () => {
    const server = await backend((r) =>
      r.path === '/api/v3/traces/00000000000000000000000000000001' ? { body: text('jaeger/api_v3/GetTrace.json') } : undefined,
    );
    const jaeger = source('jaeger', server.url, { tenant: 'team-a' }, { kind: 'bearer', token: 's3cret-token' });
    const trace = await jaeger.getTrace('00000000000000000000000000000001');
    expect(trace?.spans.map((s) => s.name)).toEqual(['foobar']);
    expect(server.requests[0].headers).toMatchObject({ 'x-tenant': 'team-a', authorization: 'Bearer s3cret-token' });
  });

  it('names the missing tenant on a 401', async () => {
    const server = await backend(() => ({ status: 401, body: 'missing tenant header', type: 'text/plain' }));
    await expect(source('jaeger', server.url).getTrace('1')).rejects.toThrow(
      /answered 401: missing tenant header; Jaeger runs with multi-tenancy: set `tenant` for this source/,
    );
  });
});

describe('Tempo source', () => {
  it('gets a trace from /api/v2/traces with the tenant header and the time-range hint', async () => {
    const server = await backend((r) =>
      r.path === '/api/v2/traces/00000000000000000000000000000011' ? { body: text('tempo/example_trace.v2.json') } : undefined,
    );
    const tempo = source('tempo', server.url, { tenant: 'acme' });
    const trace = await tempo.getTrace('00000000000000000000000000000011', { lookbackMs: 7 * 86400_000 });
    expect(trace?.spans).toHaveLength(5);
    const { query, headers } = server.requests[0];
    expect(headers['x-scope-orgid']).toBe('acme');
    expect(Number(query.get('end')) - Number(query.get('start'))).toBeGreaterThanOrEqual(7 * 86400);
  });

  const stored = (over: Partial<StoredTempoTrace> = {}): StoredTempoTrace => ({
    id: '00000000000000000000000000000011',
    v1: text('tempo/example_trace.v1.json'),
    v2: text('tempo/example_trace.v2.json'),
    services: ['example-service-2'],
    ageSeconds: 60,
    ...over,
  });

  it("reads Tempo's miss (200 with an empty trace) as not found, asking once more without a range", async () => {
    const server = await backend(fakeTempo([stored()], '{}'));
    const tempo = source('tempo', server.url);
    expect(await tempo.getTrace('00000000000000000000000000000099', { lookbackMs: 7 * 86400_000 })).toBeUndefined();
    expect(server.requests.map((r) => `${r.path} ${r.query.has('start') ? 'ranged' : 'whole retention'}`)).toEqual([
      '/api/v2/traces/00000000000000000000000000000099 ranged',
      '/api/v2/traces/00000000000000000000000000000099 whole retention',
    ]);
  });

  it('finds a trace older than the lookup range (Tempo keeps 14 days) through the unranged retry', async () => {
    const server = await backend(fakeTempo([stored({ ageSeconds: 10 * 86400 })], '{}'));
    const trace = await source('tempo', server.url).getTrace('00000000000000000000000000000011', { lookbackMs: 7 * 86400_000 });
    expect(trace?.spans).toHaveLength(5);
    expect(server.requests).toHaveLength(2);
  });

  it('falls back to /api/traces when the v2 route does not exist (Tempo before it), where a miss is a bare 404', async () => {
    const tempoV1 = fakeTempo([stored()], '{}');
    const server = await backend((r) => (r.path.startsWith('/api/v2/') ? undefined : tempoV1(r)));
    const tempo = source('tempo', server.url);
    expect((await tempo.getTrace('00000000000000000000000000000011'))?.spans).toHaveLength(5);
    expect(tempo.describeApi()).toContain('/api/traces (v1');
    expect(await tempo.getTrace('00000000000000000000000000000099')).toBeUndefined();
  });

  it('says there is no Tempo query API at a URL where both routes get the router\'s 404, instead of "not found"', async () => {
    const server = await backend(() => undefined);
    const error = await source('tempo', server.url)
      .getTrace('00000000000000000000000000000011')
      .catch((e: unknown) => e);
    expect((error as SourceError).kind).toBe('no-api');
    expect((error as Error).message).toBe(
      `no Tempo query API at ${server.url}: ${server.url}/api/v2/traces/00000000000000000000000000000011 answered 404 "404 page not found" (Tempo's query API listens on 3200 (or under its http_api_prefix); is this a distributor or another server?)`,
    );
  });

  it('warns when Tempo returns only part of a trace (PARTIAL)', async () => {
    const server = await backend(fakeTempo([stored({ partial: true })], '{}'));
    const trace = await source('tempo', server.url).getTrace('00000000000000000000000000000011');
    expect(trace?.warnings[0]).toEqual({
      code: 'truncated',
      message: 'Tempo returned only part of this trace: Trace exceeds maximum size of 5000000 bytes, a partial trace is returned',
    });
  });

  it("asks for services, operations and tag names over the last 7 days, not only Tempo's live 15 minutes", async () => {
    const server = await backend(fakeTempo([stored({ ageSeconds: 2 * 3600, services: ['quiet-service'] })], '{}'));
    const tempo = source('tempo', server.url);
    expect(await tempo.services()).toEqual(['quiet-service']);
    expect(await tempo.attributeNames!()).toEqual(['resource.service.name']);
    for (const request of server.requests) expect(Number(request.query.get('end')) - Number(request.query.get('start'))).toBe(168 * 3600);
  });

  it("says plainly that a search range over Tempo's limit is too long", async () => {
    const server = await backend(fakeTempo([], '{}'));
    await expect(source('tempo', server.url).search({ ...QUERY, lookbackMs: 8 * 86400_000 })).rejects.toThrow(
      `Tempo at ${server.url} searches at most 168h at once (its query_frontend.search.max_duration): choose a shorter time range`,
    );
    expect((await source('tempo', server.url).search({ ...QUERY, lookbackMs: 7 * 86400_000 })).hits).toEqual([]);
  });

  it('searches with TraceQL and reads the hits', async () => {
    const server = await backend((r) => (r.path === '/api/search' ? { body: text('tempo/search-traceql.json') } : undefined));
    const { hits } = await source('tempo', server.url).search(QUERY);
    expect(hits[0]).toMatchObject({
      traceId: '2f3e0cee77ae5dc9c17ade3689eb2e54',
      rootService: 'shop-backend',
      rootName: 'GET /orders/{id}',
      startUnixNano: '1700000000000000000',
      durationNs: 1250e6,
    });
    expect(server.requests[0].query.get('q')).toBe(
      '{ resource.service.name = "shop-backend" && name = "GET /orders/{id}" && duration >= 100ms && (.http.response.status_code = 500 || .http.response.status_code = "500") }',
    );
    expect(server.requests[0].query.get('limit')).toBe('20');
  });

  it('quotes TraceQL strings and names so neither can break out of the filter', () => {
    expect(traceQl({ service: 'a" || true || "', lookbackMs: 1, limit: 1, attributes: { 'weird key': 'x"y' } })).toBe(
      '{ resource.service.name = "a\\" || true || \\"" && ."weird key" = "x\\"y" }',
    );
    expect(traceQl({ service: 's', lookbackMs: 1, limit: 1, attributes: { 'span.http.route': '/cart', 'resource.k8s.pod.name': 'p-1' } })).toBe(
      '{ resource.service.name = "s" && span.http.route = "/cart" && resource.k8s.pod.name = "p-1" }',
    );
    expect(traceQl({ service: 's', lookbackMs: 1, limit: 1, attributes: { 'span.http route': 'x', 'user.vip': 'true' } })).toBe(
      '{ resource.service.name = "s" && span."http route" = "x" && (.user.vip = true || .user.vip = "true") }',
    );
  });

  it('lists services and operations from tag values', async () => {
    const server = await backend((r) => {
      if (r.path === '/api/v2/search/tag/resource.service.name/values')
        return { body: '{"tagValues":[{"type":"string","value":"cart"},{"type":"string","value":"api"}]}' };
      if (r.path === '/api/v2/search/tag/name/values') return { body: '{"tagValues":[{"type":"string","value":"GET /cart"}]}' };
      if (r.path === '/api/echo') return { body: 'echo', type: 'text/plain' };
      if (r.path === '/api/v2/search/tags')
        return {
          body: '{"scopes":[{"name":"span","tags":["http.route","db.system"]},{"name":"resource","tags":["service.name"]},{"name":"intrinsic","tags":["duration","name"]}],"metrics":{}}',
        };
      return undefined;
    });
    const tempo = source('tempo', server.url);
    expect(await tempo.services()).toEqual(['api', 'cart']);
    expect(await tempo.operations('cart')).toEqual(['GET /cart']);
    expect(server.requests[1].query.get('q')).toBe('{ resource.service.name = "cart" }');
    expect(await tempo.health()).toEqual({ ok: true, detail: 'Tempo /api/v2/traces, TraceQL search: ready, 2 services in the last 7 days' });
    expect(await tempo.attributeNames!()).toEqual(['resource.service.name', 'span.db.system', 'span.http.route']);
  });

  it('says what to do about a 401 without a tenant', async () => {
    const server = await backend(() => ({ status: 401, body: 'no org id', type: 'text/plain' }));
    const tempo = source('tempo', server.url);
    await expect(tempo.getTrace('11')).rejects.toThrow(`Tempo at ${server.url} answered 401: no tenant, set \`tenant\` for this source`);
    expect(await tempo.health()).toMatchObject({ ok: false, detail: expect.stringContaining('no tenant') });
  });
});

describe('Zipkin source', () => {
  it('gets a trace, lists services and span names, and searches', async () => {
    const server = await backend((r) => {
      if (r.path === '/api/v2/trace/a03ee8fff1dcd9b9') return { body: text('zipkin/yelp.json') };
      if (r.path === '/api/v2/trace/00000000000000aa') return { status: 404, body: '00000000000000aa not found', type: 'text/plain' };
      if (r.path === '/api/v2/services') return { body: '["yelp_main","locationsvc"]' };
      if (r.path === '/api/v2/spans') return { body: '["get","post /location/update/v4"]' };
      if (r.path === '/api/v2/traces') return { body: `[${text('zipkin/yelp.json')}]` };
      if (r.path === '/api/v2/autocompleteKeys') return { body: '["http.method","environment"]' };
      return undefined;
    });
    const zipkin = source('zipkin', server.url);
    expect((await zipkin.getTrace('a03ee8fff1dcd9b9'))?.spans).toHaveLength(16);
    expect(await zipkin.getTrace('00000000000000aa')).toBeUndefined();
    expect(await zipkin.services()).toEqual(['locationsvc', 'yelp_main']);
    expect(await zipkin.operations('yelp_main')).toEqual(['get', 'post /location/update/v4']);
    expect(await zipkin.attributeNames!()).toEqual(['environment', 'http.method']);
    const { hits } = await zipkin.search(QUERY);
    expect(hits).toEqual([expect.objectContaining({ traceId: '0000000000000000a03ee8fff1dcd9b9', spanCount: 16 })]);
    const q = server.requests.at(-1)!.query;
    expect(q.get('serviceName')).toBe('shop-backend');
    expect(q.get('minDuration')).toBe('100000');
    expect(q.get('lookback')).toBe('3600000');
    expect(q.get('annotationQuery')).toBe('http.response.status_code=500');
  });
});

describe('HTTP failures', () => {
  it('names a backend that answers slower than the timeout', async () => {
    const server = await backend(() => ({ misbehave: 'slow' }));
    await expect(source('jaeger', server.url).getTrace('1')).rejects.toThrow(`Jaeger at ${server.url} did not answer within 0.4 s`);
  });

  it('names a body that is cut off', async () => {
    const server = await backend(() => ({ misbehave: 'cut-off' }));
    await expect(source('jaeger', server.url).getTrace('1')).rejects.toThrow(`the answer from Jaeger at ${server.url} was cut off before it was complete`);
  });

  it('names an HTML page where JSON was expected', async () => {
    const server = await backend(() => ({ body: '<!doctype html><title>Sign in</title>', type: 'text/html' }));
    await expect(source('zipkin', server.url).services()).rejects.toThrow(
      /answered .*\/api\/v2\/services with an HTML page, not JSON \(is the URL the API's base URL, or is a login proxy in the way\?\)/,
    );
  });

  it('refuses an oversized body, also when it arrives gzipped', async () => {
    const big = JSON.stringify(Array.from({ length: 200_000 }, (_, i) => `service-${i}`));
    const server = await backend((r) => (r.path === '/api/v2/services' ? { body: big, gzip: r.query.get('x') === null } : undefined));
    await expect(source('zipkin', server.url).services()).rejects.toThrow(`Zipkin at ${server.url} answered with more than 1 MiB; refused`);
  });

  it('decompresses gzip answers', async () => {
    const server = await backend(() => ({ body: '["a","b"]', gzip: true }));
    expect(await source('zipkin', server.url).services()).toEqual(['a', 'b']);
  });

  it('reports a 500 with the first line of the body', async () => {
    const server = await backend(() => ({ status: 500, body: 'storage unavailable\nstack…', type: 'text/plain' }));
    await expect(source('zipkin', server.url).services()).rejects.toThrow(`Zipkin at ${server.url} answered 500: storage unavailable`);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 503 and 429 honouring Retry-After, then succeeds', async () => {
    let calls = 0;
    const server = await backend(() => (++calls < 3 ? { status: calls === 1 ? 503 : 429, body: 'busy', headers: { 'retry-after': '0' } } : { body: '["a"]' }));
    expect(await source('zipkin', server.url).services()).toEqual(['a']);
    expect(calls).toBe(3);
  });

  it('names a backend that is not running', async () => {
    const server = await backend(() => undefined);
    const url = server.url;
    await server.close();
    await expect(source('jaeger', url).services()).rejects.toThrow(`Jaeger at ${url} is not reachable: connection refused (is it running?)`);
  });

  it("cancels on the caller's signal", async () => {
    const server = await backend(() => ({ misbehave: 'slow' }));
    const controller = new AbortController();
    const pending = source('zipkin', server.url, {}, undefined, { ...LIMITS, totalTimeoutMs: 10_000 }).services(controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('never shows a credential, even when the backend echoes it', async () => {
    const server = await backend((r) => ({ status: 403, body: `forbidden for ${r.headers.authorization} / ${r.headers['x-api-key']}`, type: 'text/plain' }));
    const error = await source(
      'tempo',
      `http://user:pw-in-url@${server.url.slice(7)}`,
      { headers: { 'x-api-key': 'key-123456' } },
      { kind: 'basic', username: 'me', password: 'hunter22' },
    )
      .search(QUERY)
      .catch((e: Error) => e);
    expect(String(error)).toMatch(/answered 403: forbidden for Basic ••• \/ •••/);
    expect(String(error)).not.toMatch(/hunter22|key-123456|pw-in-url|bWU6aHVudGVyMjI/);
  });

  it('redacts a token echoed past the cut, JSON-escaped or URL-encoded', async () => {
    const token = 'tok"en/with space+31chars-long!!';
    const padding = 'x'.repeat(150);
    const server = await backend(() => ({
      status: 500,
      type: 'text/plain',
      body: `${padding} ${token} ${JSON.stringify(token)} ${encodeURIComponent(token)}`,
    }));
    const error = String(
      await source('zipkin', server.url, {}, { kind: 'bearer', token })
        .services()
        .catch((e: Error) => e),
    );
    expect(error).toContain(`${padding} •••`);
    for (const leak of ['tok', 'en/with', encodeURIComponent(token).slice(0, 10), 'space+31']) expect(error).not.toContain(leak);
  });

  it("sends a URL's user:password as Basic credentials (stored ones win) and never shows or logs the password", async () => {
    const server = await backend((r) => ({ body: JSON.stringify([r.headers.authorization ?? 'none']) }));
    const withUrlCredentials = `http://me:s3cr%2Ft@${server.url.slice(7)}`;
    expect(await source('zipkin', withUrlCredentials).services()).toEqual([`Basic ${Buffer.from('me:s3cr/t').toString('base64')}`]);
    expect(await source('zipkin', withUrlCredentials, {}, { kind: 'bearer', token: 'stored-token' }).services()).toEqual(['Bearer stored-token']);
    expect(server.requests.every((r) => !r.path.includes('s3cr'))).toBe(true);
    expect(describeSources([{ name: 'Z', kind: 'zipkin', url: withUrlCredentials, headers: {} }])).toBe(`sources: Z (zipkin at ${server.url})`);
  });
});

describe('source settings and lookup', () => {
  it('keeps valid entries and names each bad one', () => {
    const { sources, problems } = parseSourceConfigs([
      { kind: 'jaeger', url: 'http://localhost:16686' },
      { kind: 'elastic', url: 'http://x' },
      { kind: 'tempo', url: 'not a url' },
      { name: 'prod', kind: 'tempo', url: 'https://tempo.example', tenant: 't1', headers: { 'x-a': 'b', n: 1 } },
    ]);
    expect(sources).toEqual([
      { name: 'Jaeger localhost:16686', kind: 'jaeger', url: 'http://localhost:16686', tenant: undefined, headers: {} },
      { name: 'prod', kind: 'tempo', url: 'https://tempo.example', tenant: 't1', headers: { 'x-a': 'b' } },
    ]);
    expect(problems).toEqual([
      'traceLens.sources[1]: kind must be one of jaeger, tempo, zipkin',
      'traceLens.sources[2]: url "not a url" is not a URL (e.g. http://localhost:16686)',
    ]);
  });

  it('hands each backend’s raw answer to the caller’s getter, and what the others found to its discard', async () => {
    const yelp = text('zipkin/yelp.json');
    const both = await Promise.all([1, 2].map(() => backend(() => ({ body: yelp }))));
    const sources = both.map((b, i) => createSource({ name: `Zipkin ${i + 1}`, kind: 'zipkin', url: b.url }, undefined, LIMITS));
    const discarded: string[] = [];
    const result = await lookupTrace(
      'a03ee8fff1dcd9b9',
      sources,
      {},
      async (source, id, options) => {
        const answer = await source.fetchTrace!(id, options);
        // The first in order answers last: the second has found it too by then, and must be let go.
        if (source.name === 'Zipkin 1') await new Promise((resolve) => setTimeout(resolve, 200));
        return answer && `${source.name}: ${Buffer.from(answer.body).toString('utf8').length} bytes from ${answer.url}`;
      },
      (unused) => discarded.push(unused),
    );
    expect(result).toMatchObject({
      found: true,
      source: { name: 'Zipkin 1' },
      trace: `Zipkin 1: ${yelp.length} bytes from ${both[0].url}/api/v2/trace/a03ee8fff1dcd9b9`,
    });
    await expect.poll(() => discarded).toEqual([`Zipkin 2: ${yelp.length} bytes from ${both[1].url}/api/v2/trace/a03ee8fff1dcd9b9`]);
  });

  it('picks the asked trace among an answer’s, or its only one', () => {
    const traces = [{ traceId: '0000000000000000a03ee8fff1dcd9b9' }, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }];
    expect(pickTrace(traces, 'A03EE8FFF1DCD9B9')).toBe(traces[0]);
    expect(pickTrace(traces, 'ffffffffffffffff')).toBeUndefined();
    expect(pickTrace(traces.slice(1), 'ffffffffffffffff4bf92f3577b34da6')).toBe(traces[1]);
  });

  it('asks the receiver first and the backends only when it misses, in order; says where it searched when nobody has it', async () => {
    const zipkin = await backend((r) =>
      r.path === '/api/v2/trace/a03ee8fff1dcd9b9'
        ? { body: text('zipkin/yelp.json') }
        : { status: 404, body: `${r.path.split('/').pop()} not found`, type: 'text/plain' },
    );
    const jaeger = await backend(() => ({ status: 404, body: '{"error":{"httpCode":404,"message":"trace not found"}}', type: 'text/plain; charset=utf-8' }));
    const sources = [
      new StoreSource(new SpanStore()),
      createSource({ name: 'Jaeger', kind: 'jaeger', url: jaeger.url }, undefined, LIMITS),
      createSource({ name: 'Zipkin', kind: 'zipkin', url: zipkin.url }, undefined, LIMITS),
    ];
    const found = await lookupTrace('A03EE8FFF1DCD9B9', sources);
    expect(found).toMatchObject({ found: true, source: { name: 'Zipkin' } });
    const missing = await lookupTrace('4bf92f3577b34da6a3ce929d0e0e4736', sources);
    expect(missing).toMatchObject({
      found: false,
      reason: 'not-found',
      message: 'trace 4bf9… not found in Local receiver, Jaeger (searched the last 7 days), Zipkin',
    });
    expect(await lookupTrace('not-hex', sources)).toMatchObject({
      found: false,
      reason: 'invalid-id',
      message: '"not-hex" is not a trace id (expected up to 32 hex digits)',
    });
    // Held locally: no backend is asked.
    const store = new SpanStore();
    const decoded = decodeTraces(Buffer.from(text('zipkin/yelp.json')));
    if (!decoded.ok) throw new Error(decoded.error);
    store.add(decoded.traces);
    let backendCalls = 0;
    const counted = sources.slice(1).map((source) =>
      Object.assign(Object.create(source) as typeof source, {
        getTrace: (id: string, options?: LookupOptions) => {
          backendCalls++;
          return source.getTrace(id, options);
        },
      }),
    );
    expect(await lookupTrace('a03ee8fff1dcd9b9', [new StoreSource(store), ...counted])).toMatchObject({ found: true, source: { name: 'Local receiver' } });
    expect(backendCalls).toBe(0);
    expect(await lookupTrace('4bf92f3577b34da6a3ce929d0e0e4736', [new StoreSource(store), ...counted])).toMatchObject({ found: false });
    expect(backendCalls).toBe(2);
  });
});
