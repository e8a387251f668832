// The receiver's OTLP/JSON request reader against the decoder it stands in for: whatever it reads must come out
// exactly as decodeOtlpResourceSpans makes it of JSON.parse's reading, and whatever JSON.parse refuses it must
// leave to the decoder (which answers 400), never read.
import { describe, expect, it } from 'vitest';
import type { Decoded } from '../../src/core/formats/decodeResult';
import { decodeOtlpResourceSpans } from '../../src/core/formats/otlpJson';
import { readOtlpJsonRequest } from '../../src/core/formats/otlpJsonRequest';
import { decodeOtlpProtobuf } from '../../src/core/formats/otlpProtobuf';
import { newDecodeTables } from '../../src/core/formats/decodeTables';
import { decodeOk } from '../support/decodeOk';
import { fixture } from '../support/fixtures';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../support/otelEncode';
import { syntheticBatch, syntheticTrace } from '../support/syntheticTrace';

/** The decoder's reading, or undefined where JSON.parse refuses the bytes. */
function decoderReading(body: Uint8Array): Decoded | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  const resourceSpans = (parsed as { resourceSpans?: unknown } | null)?.resourceSpans ?? [];
  return decodeOtlpResourceSpans([resourceSpans], 'otlp-json');
}

/**
 * What decode.ts makes of JSON Lines whose every line is an OTLP/JSON request with resourceSpans alone, or of one
 * such document; undefined for anything else (which the reader must leave to it).
 */
function linesReading(body: Uint8Array): Decoded | undefined {
  const text = Buffer.from(body).toString('utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  try {
    const docs = lines.length > 1 ? lines.map((line) => JSON.parse(line) as unknown) : [JSON.parse(text) as unknown];
    if (
      !docs.every(
        (doc) =>
          doc !== null &&
          typeof doc === 'object' &&
          Object.keys(doc).join() === 'resourceSpans' &&
          Array.isArray((doc as { resourceSpans: unknown }).resourceSpans),
      )
    )
      return undefined;
    return decodeOtlpResourceSpans(
      docs.map((doc) => (doc as { resourceSpans: unknown }).resourceSpans),
      lines.length > 1 ? 'otlp-jsonl' : 'otlp-json',
    );
  } catch {
    return undefined;
  }
}

function read(body: Uint8Array | string): Decoded | { unread: string } {
  return readOtlpJsonRequest(typeof body === 'string' ? Buffer.from(body) : body, newDecodeTables(8));
}

/** Read, and the same as the decoder's reading. */
function expectRead(body: Uint8Array | string): Decoded {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const result = read(bytes);
  if ('unread' in result) throw new Error(`left to the decoder: ${result.unread}`);
  expect(result).toStrictEqual(decoderReading(bytes));
  return result;
}

function expectUnread(body: string, reason: RegExp): void {
  const result = read(body);
  expect('unread' in result ? result.unread : 'read').toMatch(reason);
}

const TRACE = '5b8efff798038103d269b633813fc60c';

function span(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE,
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: 'eee19b7ec3c1b173',
    name: 'GET /users/{id}',
    kind: 2,
    startTimeUnixNano: '1544712660000000000',
    endTimeUnixNano: '1544712661000000000',
    attributes: [{ key: 'http.route', value: { stringValue: '/users/{id}' } }],
    status: {},
    ...fields,
  };
}

function request(spans: unknown[], resource: unknown = { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }): string {
  return JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'lib', version: '1.2' }, spans }] }] });
}

describe('OTLP/JSON requests read from their bytes', () => {
  it("reads the OpenTelemetry JS SDK's own requests as the decoder does", () => {
    const bodies = [
      encodeOtlpJson(syntheticBatch(7, 16, 32)),
      encodeOtlpJson([syntheticTrace(300)]),
      ...['jaeger/otlp/otel_traces_01.json', 'zipkin/yelp.json', 'jaeger-ui/genaiTestTrace.json'].map((file) => encodeOtlpJson(decodeOk(fixture(file)).traces)),
    ];
    for (const body of bodies) expect(expectRead(body).traces.length).toBeGreaterThan(0);
  });

  it('reads the upstream OTLP/JSON fixtures it can, as the decoder does', () => {
    const files = ['opentelemetry/trace.json', 'jaeger/otlp/example_trace.json', 'jaeger/otlp/otel_traces_01.json', 'jaeger/otlp/link_attributes_trace.json'];
    for (const file of files) {
      const body = fixture(file);
      const result = read(body);
      if (!('unread' in result)) expect(result).toStrictEqual(decoderReading(body));
    }
    // The Collector's and SDKs' own files are the usual request.
    expect(files.filter((file) => !('unread' in read(fixture(file)))).length).toBeGreaterThanOrEqual(3);
  });

  it('reads what the spec allows in other spellings: whitespace, escapes, other scripts, ids in capitals or base64, enum names, numbers for times', () => {
    const spans = [
      span({ name: 'caf\u00e9 \u2713 "quoted" \\ back', spanId: 'EEE19B7EC3C1B174' }),
      span({ spanId: '7uGbfsPBsXQ=', parentSpanId: '', kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR', message: 'boom' } }),
      span({ spanId: '0000000000000003', startTimeUnixNano: 1544712660000000000, endTimeUnixNano: '1544712660500000000', traceId: TRACE.toUpperCase() }),
    ];
    const pretty = JSON.stringify(JSON.parse(request(spans)), null, 2);
    expect(expectRead(pretty).traces[0].spans.map((s) => s.name)).toContain('café ✓ "quoted" \\ back');
    const escapedKey = request([span()]).replace('"http.route"', '"http.\\u0072oute"').replace('"name":"GET', '"na\\u006de":"GET');
    expect(escapedKey).toContain('\\u0072');
    expectUnread(escapedKey, /escaped key/);
    expect(expectRead(request([span()]).replace('"http.route"', '"http.\\u0072oute"')).traces[0].spans[0].attributes['http.route']).toBe('/users/{id}');
  });

  it('reads attribute values of every kind as otlpAnyValue does', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'x' } },
      { key: 'i', value: { intValue: '9007199254740993' } },
      { key: 'i2', value: { intValue: 42 } },
      { key: 'i3', value: { intValue: 'x' } },
      { key: 'b', value: { boolValue: 'true' } },
      { key: 'd', value: { doubleValue: '1.5' } },
      { key: 'd2', value: { doubleValue: -2.5e-3 } },
      {
        key: 'a',
        value: { arrayValue: { values: [{ stringValue: 'p' }, { intValue: '1' }, { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } }] } },
      },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { doubleValue: 3 } }] } } },
      { key: 'bytes', value: { bytesValue: 'AQID' } },
      { key: 'sn', value: { stringValue: null } },
      { key: 'empty', value: {} },
      { key: 'none' },
      { key: 'notobject', value: 'bare' },
      { key: 7, value: { stringValue: 'no string key' } },
      'not a key-value',
      { key: '__proto__', value: { stringValue: 'own key' } },
      { key: 'otel.status_code', value: { stringValue: 'ERROR' } },
      { key: 's', value: { stringValue: 'the last of a key said twice' } },
    ];
    const decoded = expectRead(request([span({ attributes })]));
    const read = decoded.traces[0].spans[0];
    expect(read.attributes.i).toBe('9007199254740993');
    expect(read.attributes.s).toBe('the last of a key said twice');
    expect(read.status.code).toBe('error');
  });

  it('reads events, links, old field names, a missing resource and scope, and empty lists as the decoder does', () => {
    const events = [{ timeUnixNano: '1544712660300000000', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'x' } }] }];
    const links = [{ traceId: TRACE, spanId: 'aaaaaaaaaaaaaaaa', attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'follows_from' } }] }];
    expectRead(
      request([span({ events, links, droppedAttributesCount: 1, flags: 257, traceState: 'a=b' }), span({ spanId: '0000000000000009', events: [], links: [] })]),
    );
    const old = JSON.stringify({
      resourceSpans: [{ instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old' }, spans: [span()] }], schemaUrl: 'x' }],
    });
    expect(expectRead(old).traces[0].spans[0].resource.serviceName).toBe('unknown_service');
    expectRead(JSON.stringify({ resourceSpans: [] }));
    expectRead(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [] }] }, { resource: {}, scopeSpans: [] }] }));
  });

  it('shares one resource among the ResourceSpans that repeat it', () => {
    const body = JSON.stringify({
      resourceSpans: [1, 2, 3].map((n) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: n === 3 ? 'other' : 'api' } }] },
        scopeSpans: [{ spans: [span({ spanId: `000000000000000${n}` })] }],
      })),
    });
    const spans = expectRead(body).traces[0].spans;
    expect(new Set(spans.map((s) => s.resource)).size).toBe(2);
  });

  it("shares a resource and a scope with the receiver's earlier requests that held them, in JSON and protobuf alike", () => {
    const tables = newDecodeTables(8);
    const resourceOf = (decoded: Decoded | { unread: string }) => ('unread' in decoded ? undefined : decoded.traces[0].spans[0].resource);
    const body = Buffer.from(request([span()]));
    const first = resourceOf(readOtlpJsonRequest(body, tables));
    expect(first?.serviceName).toBe('api');
    expect(resourceOf(readOtlpJsonRequest(Buffer.from(request([span({ spanId: '0000000000000042' })])), tables))).toBe(first);
    expect(resourceOf(readOtlpJsonRequest(body, newDecodeTables(8)))).not.toBe(first);
    const protobuf = encodeOtlpProtobuf(syntheticBatch(3, 2, 4));
    const [a, b] = [decodeOtlpProtobuf(protobuf, tables), decodeOtlpProtobuf(protobuf, tables)].map((d) => d.traces[0].spans[0]);
    expect(b.resource).toBe(a.resource);
    expect(a.scope).toBeDefined();
    expect(b.scope).toBe(a.scope);
  });

  it('keeps sharing resources past its bound, by starting over (a sender inventing resources cannot fill it for good)', () => {
    const tables = newDecodeTables(8);
    const withService = (name: string) => Buffer.from(request([span()], { attributes: [{ key: 'service.name', value: { stringValue: name } }] }));
    for (let i = 0; i < 600; i++) readOtlpJsonRequest(withService(`svc-${i}`), tables);
    const resources = [0, 1]
      .map(() => readOtlpJsonRequest(withService('late'), tables))
      .map((d) => ('unread' in d ? undefined : d.traces[0].spans[0].resource));
    expect(resources[0]?.serviceName).toBe('late');
    expect(resources[1]).toBe(resources[0]);
  });

  it('leaves to the decoder what it warns of, rejects, or reads by an order the bytes do not follow', () => {
    expectUnread(request([span({ extra: 1 })]), /field the decoder warns of/);
    expectUnread(request([span({ spanId: '0000000000000000' })]), /rejects or warns/);
    expectUnread(request([span({ startTimeUnixNano: 'soon' })]), /rejects or warns/);
    expectUnread(request([span({ endTimeUnixNano: '1544712650000000000' })]), /ends before it starts/);
    expectUnread(request([span({ startTimeUnixNano: '9999999999999999999' })]), /rejects or warns/);
    expectUnread(request([span({ attributes: [{ key: 'k', value: { stringValue: 'a', intValue: 1 } }] })]), /several kinds/);
    expectUnread(request([span()]).replace('"resourceSpans":', '"resourceSpans":[],"resourceSpans":'), /field beside/);
    expectUnread(JSON.stringify({ resourceSpans: [{ scopeSpans: [], resource: {} }] }), /resource after its spans/);
    expectUnread(JSON.stringify({ resourceSpans: [{ scopeSpans: [], instrumentationLibrarySpans: [] }] }), /scope spans twice/);
    expectUnread(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [], scope: {} }] }] }), /scope after its spans/);
    expectUnread(JSON.stringify({ batches: [] }), /field beside "resourceSpans"/);
    expectUnread(JSON.stringify({ resourceSpans: [] }).replace('{', '{"trace":{},"status":"PARTIAL",'), /field beside "resourceSpans"/);
    expectUnread('{}', /not a JSON object with resource spans/);
  });

  it("reads a file of JSON Lines (the Collector's file exporter) as the decoder reads its lines, and refuses them in a request", () => {
    const lines = [
      request([span()]),
      request([span({ spanId: '0000000000000007', parentSpanId: 'eee19b7ec3c1b174' })]),
      request([span({ traceId: 'ab'.repeat(16) })]),
    ];
    const body = Buffer.from(`${lines.join('\n')}\n`);
    const result = readOtlpJsonRequest(body, newDecodeTables(8), true);
    if ('unread' in result) throw new Error(result.unread);
    expect(result).toStrictEqual(linesReading(body));
    expect(result.format).toBe('otlp-jsonl');
    expect(result.traces.map((t) => t.spans.length)).toEqual([2, 1]);
    expect('unread' in read(body)).toBe(true);
    for (const odd of [`${lines[0]} ${lines[1]}`, `${lines[0]}\n${JSON.stringify(JSON.parse(lines[1]), null, 1)}`, `${lines[0]}\n{"batches":[]}`]) {
      expect('unread' in readOtlpJsonRequest(Buffer.from(odd), newDecodeTables(8), true), odd).toBe(true);
    }
  });

  it('agrees with the decoder on every single-byte change of a file of JSON Lines', () => {
    const base = Buffer.from([request([span()]), request([span({ spanId: '0000000000000007', status: { code: 2 } })])].join('\n'));
    let readCount = 0;
    for (let at = 0; at < base.length; at++) {
      for (const r of ['\n', '"', '}', ' ', '0'].map((c) => Buffer.from(c))) {
        const body = Buffer.concat([base.subarray(0, at), r, base.subarray(at + 1)]);
        const expected = linesReading(body);
        const result = readOtlpJsonRequest(body, newDecodeTables(8), true);
        if ('unread' in result) continue;
        readCount++;
        expect(result, body.toString()).toStrictEqual(expected);
      }
    }
    expect(readCount).toBeGreaterThan(base.length / 4);
  });

  it("reads backends' answers that wrap the list (Tempo's batches and trace, Jaeger api_v3's result) as the decoder does, and only in files", () => {
    const answers: [string, string, (doc: Record<string, { resourceSpans?: unknown }>) => unknown][] = [
      ['tempo/example_trace.v1.json', 'tempo-json', (doc) => doc.batches],
      ['tempo/example_trace.v2.json', 'tempo-json', (doc) => doc.trace.resourceSpans],
      ['tempo/link_attributes_trace.v2.json', 'tempo-json', (doc) => doc.trace.resourceSpans],
      ['jaeger/api_v3/GetTrace.json', 'jaeger-api-v3', (doc) => doc.result.resourceSpans],
    ];
    let readCount = 0;
    for (const [file, format, list] of answers) {
      const body = fixture(file);
      expect('unread' in read(body), file).toBe(true);
      const result = readOtlpJsonRequest(body, newDecodeTables(8), true);
      if ('unread' in result) continue;
      readCount++;
      const doc = JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, { resourceSpans?: unknown }>;
      expect(result, file).toStrictEqual(decodeOtlpResourceSpans([list(doc)], format as 'tempo-json'));
    }
    expect(readCount).toBeGreaterThanOrEqual(3);
    const partial = JSON.stringify({ trace: { resourceSpans: [] }, status: 'PARTIAL', message: 'over max_bytes_per_trace' });
    expect('unread' in readOtlpJsonRequest(Buffer.from(partial), newDecodeTables(8), true)).toBe(true);
  });

  it('never reads what JSON.parse refuses', () => {
    const good = request([span()]);
    const broken = [
      good.replace('GET /users', 'GET\n/users'),
      good.replace('"http.route"', '"http.\u0001route"'),
      good.replace('"name"', '"na\tme"'),
      good.replace('"lib"', '"l\\qib"'),
      good.replace('"kind":2', '"kind":02'),
      `\ufeff${good}`,
      `${good} {}`,
      `${good}x`,
      good.replace('"kind":2', '"kind":2,'),
      good.replace('"status":{}', '"status":{,}'),
      good.replace(',"kind"', ' "kind"'),
      good.replace('[{"key":"http.route"', '[{"key":"http.route",}'),
      good.replace('"stringValue":"/users/{id}"', '"stringValue":tru'),
      good.replace('"status":{}', '"status":{},"events":[1 2]'),
      good.replace('"scope":{"name":"lib"', '"scope":{"name":"lib",}'),
    ];
    for (const body of broken) {
      expect(decoderReading(Buffer.from(body)), body).toBeUndefined();
      expect('unread' in read(body), body).toBe(true);
    }
  });

  it('agrees with the decoder on every single-byte change and every cut of a request, all read with one set of tables', () => {
    // Two ResourceSpans of one resource: a change to the second's meets the first's bytes, already kept. The
    // spans hold the same attributes, found by their bytes (KeyValueTable): each variant is read with the tables
    // every variant before it left, as a receiver reads its requests.
    const attributes = [
      { key: 'n', value: { intValue: 3 } },
      { key: 'b', value: { boolValue: true } },
    ];
    const failing = span({ events: [{ timeUnixNano: '1544712660300000000', name: 'e', attributes: [] }], status: { code: 2, message: 'm' }, attributes });
    const counted = span({ spanId: '00000000000000a1', attributes });
    const [first, second] = [failing, counted].map((s) => (JSON.parse(request([s])) as { resourceSpans: unknown[] }).resourceSpans[0]);
    const base = Buffer.from(JSON.stringify({ resourceSpans: [first, second] }));
    const replacements = [...'"\\\n{}[],:0a-.eE ', '\u0001', '\u00e9'].map((c) => Buffer.from(c));
    let readCount = 0;
    let refused = 0;
    const variants: Buffer[] = [];
    for (let at = 0; at < base.length; at++) {
      variants.push(base.subarray(0, at));
      for (const r of replacements) variants.push(Buffer.concat([base.subarray(0, at), r, base.subarray(at + 1)]));
    }
    const tables = newDecodeTables(8);
    for (const body of variants) {
      const expected = decoderReading(body);
      const result = readOtlpJsonRequest(body, tables);
      if (expected === undefined) {
        refused++;
        if (!('unread' in result)) throw new Error(`read what JSON.parse refuses: ${body.toString()}`);
      } else if (!('unread' in result)) {
        readCount++;
        expect(result, body.toString()).toStrictEqual(expected);
      }
    }
    // Both sides must be met for the comparison to mean anything.
    expect(readCount).toBeGreaterThan(variants.length / 20);
    expect(refused).toBeGreaterThan(variants.length / 4);
  });
});
