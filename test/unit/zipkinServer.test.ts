// The Zipkin source and the CLI against a real Zipkin server: spans POSTed to its collector come back through
// trace-by-id, search, services and span names.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../src/core/sources/sourceConfig';
import type { TraceSource } from '../../src/core/sources/traceSource';
import { fixture } from '../support/fixtures';
import { startZipkin, zipkinUnavailable, type RunningZipkin } from '../support/zipkinServer';

const unavailable = zipkinUnavailable();
if (unavailable) console.log(`SKIPPED real Zipkin server tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('Zipkin source against a real Zipkin server', () => {
  let zipkin: RunningZipkin;
  let source: TraceSource;
  let cli: string;
  const everything = () => Date.now(); // the fixtures are from years ago: look back to 1970

  beforeAll(async () => {
    cli = join(mkdtempSync(join(tmpdir(), 'trace-lens-cli-')), 'cli.js');
    const [running] = await Promise.all([
      startZipkin(),
      build({ entryPoints: [join(__dirname, '..', '..', 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cli, logLevel: 'silent' }),
    ]);
    zipkin = running;
    for (const file of ['zipkin/yelp.json', 'zipkin/messaging-kafka.json']) {
      const res = await fetch(`${zipkin.url}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fixture(file) });
      expect(res.status).toBe(202);
    }
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
    const hits = await source.search({ service: 'mobile_api', lookbackMs: everything(), limit: 10 });
    expect(hits.map((h) => h.traceId)).toEqual(['0000000000000000a03ee8fff1dcd9b9']);
    expect(await source.search({ service: 'mobile_api', minDurationNs: 3600e9, lookbackMs: everything(), limit: 10 })).toEqual([]);
    expect(await source.health()).toMatchObject({ ok: true });
  });

  it('answers an unknown id with "not found"', async () => {
    expect(await source.getTrace('4bf92f3577b34da6a3ce929d0e0e4736')).toBeUndefined();
  });

  it('trace-lens show --source zipkin prints the same JSON as for a file, and exits 3 for an unknown id', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    const fromServer = run('show', 'a03ee8fff1dcd9b9', '--source', 'zipkin', '--url', zipkin.url, '--json');
    expect(fromServer.status).toBe(0);
    const fromFile = run('show', join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'zipkin', 'yelp.json'), '--json');
    expect(JSON.parse(fromServer.stdout).traces[0]).toEqual(JSON.parse(fromFile.stdout).traces[0]);
    const missing = run('show', '4bf92f3577b34da6a3ce929d0e0e4736', '--source', 'zipkin', '--url', zipkin.url);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('trace 4bf9… not found in Zipkin');
    const search = run('search', '--source', 'zipkin', '--url', zipkin.url, '--service', 'serviceb', '--lookback', '100000h', '--json');
    expect(search.status).toBe(0);
    expect(JSON.parse(search.stdout).traces.length).toBeGreaterThan(0);
  });
});
