// Hostile input, bounded in time and memory: what an attack run found (issue 15), at small sizes that finish in
// seconds. Costs are compared as ratios within one run (a quadratic path is hundreds of times slower than the
// linear one at these sizes; the machine's speed cancels out). The full-size runs are in `npm run bench`.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeTraces } from '../../src/core/formats/decode';
import { toOtlpJson } from '../../src/core/formats/otlpJsonWriter';
import { normaliseTraceId } from '../../src/core/model/ids';
import { CUT_VALUE, isError } from '../../src/core/model/trace';
import { SpanStore } from '../../src/core/receiver/spanStore';
import { OTHER_SERVICES, TraceReceiver } from '../../src/core/receiver/traceReceiver';
import { send } from '../support/httpClient';
import { exportWithResource, manySpans, TRACE } from '../support/hostileInput';
import { toReadableSpans } from '../support/otelEncode';
import { syntheticTrace } from '../support/syntheticTrace';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

describe('many spans sharing one span id cost about what as many distinct spans cost', () => {
  const N = 16_000;

  it('decoding (the file reader, the receiver, show)', () => {
    const distinct = manySpans(N, false);
    const same = manySpans(N, true);
    decodeTraces(distinct); // warm up
    const distinctMs = timed(() => decodeTraces(distinct));
    let traces: ReturnType<typeof decodeTraces> | undefined;
    const sameMs = timed(() => (traces = decodeTraces(same)));
    expect(traces?.ok && traces.traces[0].spans.length).toBe(N);
    expect(traces?.ok && new Set(traces.traces[0].spans.map((s) => s.spanId)).size).toBe(N);
    expect(sameMs / distinctMs).toBeLessThan(8);
  });

  it('storing them over many batches, and reading the trace back', () => {
    const batches = (sameId: boolean) =>
      Array.from({ length: 16 }, (_, b) => {
        const decoded = decodeTraces(manySpans(N / 16, sameId));
        if (!decoded.ok) throw new Error(decoded.error);
        // Each batch its own starts: shift them so no two batches repeat a span.
        for (const span of decoded.traces[0].spans) span.startNs += b * 1_000_000_000;
        for (const span of decoded.traces[0].spans) if (!sameId) span.spanId = (b * N + Number.parseInt(span.spanId, 16)).toString(16).padStart(16, '0');
        return decoded.traces;
      });
    const run = (sameId: boolean) => {
      const input = batches(sameId);
      const store = new SpanStore({ maxSpans: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER });
      const ms = timed(() => {
        for (const traces of input) store.add(traces);
        store.getTrace(TRACE);
      });
      store.dispose();
      return { ms, spans: store.size.spans };
    };
    run(false);
    const distinct = run(false);
    const same = run(true);
    expect(same.spans).toBe(N);
    expect(same.ms / distinct.ms).toBeLessThan(8);
  });

  it('a round trip through the OTLP writer keeps them', () => {
    const decoded = decodeTraces(manySpans(100, true));
    expect(decoded.ok && toOtlpJson(decoded.traces[0]).resourceSpans.length).toBe(1);
  });
});

describe('compressed input is bounded by what it expands to relative to its size', () => {
  it('refuses a file that expands a thousandfold before taking the memory (the CLI and Open Trace File read this way)', () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
    const outcome = decodeTraces(bomb);
    expect(outcome).toEqual({
      ok: false,
      error: expect.stringMatching(/^gzip input expands beyond 67,108,864 bytes \(more than 100 times its [\d,]+ bytes, or over the limit\); refused$/),
    });
  });

  it('still reads a normally compressed trace', () => {
    const outcome = decodeTraces(gzipSync(manySpans(2000, false)));
    expect(outcome.ok && outcome.traces[0].spans.length).toBe(2000);
  });
});

describe('memory the store and the receiver hold is what their limits count', () => {
  it("counts resource attributes against the store's byte limit, so exports with huge resources are evicted", () => {
    const store = new SpanStore({ maxSpans: 1_000_000, maxBytes: 16 * 1024 * 1024 });
    for (let i = 0; i < 40; i++) {
      const decoded = decodeTraces(Buffer.from(exportWithResource(i, 'svc', 'x'.repeat(1024 * 1024))));
      if (!decoded.ok) throw new Error(decoded.error);
      store.add(decoded.traces);
    }
    expect(store.size.bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(store.size.evictedTraces).toBeGreaterThan(20);
    store.dispose();
  });

  it("counts each service's spans where one trace's spans alternate between services", async () => {
    const receiver = new TraceReceiver(new SpanStore(), { protocol: 'otlp', host: '127.0.0.1', port: 0 });
    const port = await receiver.start();
    const resourceSpans = ['a', 'a', 'b', 'a', 'c', 'c'].map((service, i) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        { spans: [{ traceId: TRACE, spanId: `00000000000000${i + 10}`, name: 'x', startTimeUnixNano: '1000000000', endTimeUnixNano: '2000000000' }] },
      ],
    }));
    try {
      const reply = await send(`http://127.0.0.1:${port}/v1/traces`, {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ resourceSpans }),
      });
      expect(reply.status).toBe(200);
      expect(Object.fromEntries(receiver.counts.services)).toEqual({ a: 3, b: 1, c: 2 });
    } finally {
      await receiver.stop();
    }
  });

  it('keeps per-service counters bounded however many service names a sender invents', async () => {
    const receiver = new TraceReceiver(new SpanStore(), { protocol: 'otlp', host: '127.0.0.1', port: 0 });
    const port = await receiver.start();
    try {
      for (let i = 0; i < 400; i++) {
        const reply = await send(`http://127.0.0.1:${port}/v1/traces`, {
          headers: { 'Content-Type': 'application/json' },
          body: exportWithResource(i, `svc-${i}-${'n'.repeat(1000)}`, ''),
        });
        expect(reply.status).toBe(200);
      }
      expect(receiver.counts.services.size).toBe(257);
      expect(receiver.counts.services.get(OTHER_SERVICES)).toBe(400 - 256);
      expect(Math.max(...[...receiver.counts.services.keys()].map((k) => k.length))).toBeLessThanOrEqual(201);
    } finally {
      await receiver.stop();
    }
  });
});

/** An OTLP/JSON export of one span with the given attributes (OTLP KeyValue list) and times. */
function otlpSpan(attributes: unknown[], start = '1700000000000000000', end = '1700000000001000000'): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeSpans: [
            { spans: [{ traceId: TRACE, spanId: '0000000000000001', name: 'op', kind: 2, startTimeUnixNano: start, endTimeUnixNano: end, attributes }] },
          ],
        },
      ],
    }),
  );
}

/** An export whose one attribute is nested `depth` levels deep as OTLP/JSON arrays (built as text: too deep to stringify). */
function nestedJson(depth: number): Uint8Array {
  const value = `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"bottom"}${']}}'.repeat(depth)}`;
  const text = Buffer.from(otlpSpan([{ key: 'deep', value: 'PLACEHOLDER' }]))
    .toString()
    .replace('"PLACEHOLDER"', value);
  return Buffer.from(text);
}

/** A protobuf field of wire type 2 (length-delimited). */
function field(tag: number, body: Buffer): Buffer {
  const length: number[] = [];
  for (let n = body.length; ; n >>>= 7) {
    if (n <= 127) {
      length.push(n);
      break;
    }
    length.push((n & 127) | 128);
  }
  return Buffer.concat([Buffer.from([(tag << 3) | 2]), Buffer.from(length), body]);
}

/** An export request of one span carrying `keyValue` (a KeyValue's bytes); `scope`: its scope's bytes. */
function protobufRequest(keyValue: Buffer, scope?: Buffer): Buffer {
  const fixed64 = (tag: number, n: bigint) => {
    const b = Buffer.alloc(9);
    b[0] = (tag << 3) | 1;
    b.writeBigUInt64LE(n, 1);
    return b;
  };
  const span = Buffer.concat([
    field(1, Buffer.from(TRACE, 'hex')),
    field(2, Buffer.from('0000000000000001', 'hex')),
    field(5, Buffer.from('op')),
    fixed64(7, 1_700_000_000_000_000_000n),
    fixed64(8, 1_700_000_000_001_000_000n),
    field(9, keyValue),
  ]);
  return field(1, field(2, Buffer.concat([...(scope ? [field(1, scope)] : []), field(2, span)])));
}

/** The same nesting in protobuf: AnyValue { array_value (5) { values (1) { … } } }. */
function nestedProtobuf(depth: number): Buffer {
  let value = field(1, Buffer.from('bottom'));
  for (let i = 0; i < depth; i++) value = field(5, field(1, value));
  return protobufRequest(Buffer.concat([field(1, Buffer.from('deep')), field(2, value)]));
}

describe('values nested thousands deep are cut, never overflow the stack', () => {
  for (const [format, body] of [
    ['OTLP/JSON', () => nestedJson(10_000)],
    ['OTLP protobuf', () => nestedProtobuf(5_000)],
  ] as const) {
    it(`${format}: the span is read, the deep value cut where it gets too deep, and the trace exports again`, () => {
      const decoded = decodeTraces(body());
      if (!decoded.ok) throw new Error(decoded.error);
      const span = decoded.traces[0].spans[0];
      let value = span.attributes.deep;
      let depth = 0;
      while (Array.isArray(value)) {
        value = value[0];
        depth++;
      }
      expect(value).toBe(CUT_VALUE);
      expect(depth).toBeLessThanOrEqual(33);
      expect(JSON.stringify(toOtlpJson(decoded.traces[0])).length).toBeGreaterThan(0);
    });
  }

  it('the receiver answers such an export 200 (not a plain-text 500)', async () => {
    const receiver = new TraceReceiver(new SpanStore(), { protocol: 'otlp', host: '127.0.0.1', port: 0 });
    const port = await receiver.start();
    try {
      const protobuf = await send(`http://127.0.0.1:${port}/v1/traces`, { headers: { 'Content-Type': 'application/x-protobuf' }, body: nestedProtobuf(5_000) });
      expect(protobuf.status).toBe(200);
      const json = await send(`http://127.0.0.1:${port}/v1/traces`, { headers: { 'Content-Type': 'application/json' }, body: nestedJson(10_000) });
      expect(json.status).toBe(200);
    } finally {
      await receiver.stop();
    }
  });
});

describe('hostile keys and values are kept as data, and impossible times and ids are refused', () => {
  it("an attribute named __proto__ is an attribute, not the object's prototype (no inherited error=true)", () => {
    const decoded = decodeTraces(
      otlpSpan([
        { key: '__proto__', value: { kvlistValue: { values: [{ key: 'error', value: { boolValue: true } }] } } },
        { key: 'http.route', value: { stringValue: '/a' } },
      ]),
    );
    if (!decoded.ok) throw new Error(decoded.error);
    const span = decoded.traces[0].spans[0];
    expect(isError(span)).toBe(false);
    expect(Object.keys(span.attributes).sort()).toEqual(['__proto__', 'http.route']);
    expect(span.attributes.error).toBeUndefined();
    // Nothing is inherited: a key the span lacks reads as absent, whatever Object.prototype holds under it.
    expect([span.attributes.toString, span.attributes.constructor, span.attributes.hasOwnProperty]).toEqual([undefined, undefined, undefined]);
    expect('valueOf' in span.resource.attributes).toBe(false);
  });

  it('OTLP protobuf: an attribute named __proto__ is an attribute too', () => {
    const span = toReadableSpans([syntheticTrace(2)])[1];
    const attributes = { 'http.route': '/a' };
    // Defined, not assigned: an own key named __proto__, as a hostile SDK would send it (a key-value list).
    Object.defineProperty(attributes, '__proto__', { value: { error: true }, enumerable: true });
    const bytes = ProtobufTraceSerializer.serializeRequest([{ ...span, attributes }])!;
    const decoded = decodeTraces(bytes);
    if (!decoded.ok) throw new Error(decoded.error);
    const decodedSpan = decoded.traces[0].spans[0];
    expect(isError(decodedSpan)).toBe(false);
    expect(Object.keys(decodedSpan.attributes).sort()).toEqual(['__proto__', 'http.route']);
    expect(decodedSpan.attributes.error).toBeUndefined();
  });

  it('OTLP protobuf: a scope attribute named __proto__ is an attribute too', () => {
    // KeyValue { key "__proto__", value { kvlist_value { values [ { key "error", value { bool_value true } } ] } } }
    const errorTrue = Buffer.concat([field(1, Buffer.from('error')), Buffer.from([(2 << 3) | 2, 2, (2 << 3) | 0, 1])]);
    const hostile = Buffer.concat([field(1, Buffer.from('__proto__')), field(2, field(6, field(1, errorTrue)))]);
    const scope = Buffer.concat([field(1, Buffer.from('lib')), field(3, hostile)]);
    const decoded = decodeTraces(protobufRequest(Buffer.concat([field(1, Buffer.from('k')), field(2, field(1, Buffer.from('v')))]), scope));
    if (!decoded.ok) throw new Error(decoded.error);
    const attributes = decoded.traces[0].spans[0].scope!.attributes!;
    expect(Object.keys(attributes)).toEqual(['__proto__']);
    expect(attributes.error).toBeUndefined();
  });

  it('Zipkin: a __proto__ tag is kept, an object tag reads as its JSON, a fractional timestamp is no time', () => {
    const zipkin = (spans: unknown[]) => decodeTraces(Buffer.from(JSON.stringify(spans)));
    const tagged = zipkin([
      {
        traceId: 'a03ee8fff1dcd9b9',
        id: '0000000000000001',
        name: 'op',
        timestamp: 1_700_000_000_000_000,
        duration: 10,
        tags: JSON.parse('{"__proto__":"x","obj":{"a":1}}'),
      },
    ]);
    if (!tagged.ok) throw new Error(tagged.error);
    expect({ ...tagged.traces[0].spans[0].attributes }).toMatchObject({ ['__proto__']: 'x', obj: '{"a":1}' });
    const early = zipkin([
      { traceId: 'a03ee8fff1dcd9b9', id: '0000000000000001', name: 'root', timestamp: 1_700_000_000_000_000, duration: 10 },
      { traceId: 'a03ee8fff1dcd9b9', id: '0000000000000002', parentId: '0000000000000001', name: 'child', timestamp: 1e-7, duration: 10 },
    ]);
    if (!early.ok) throw new Error(early.error);
    // Not a 1970 start (a 54-year trace): a span with no time is drawn at the trace start, with a warning.
    const child = early.traces[0].spans.find((s) => s.name === 'child')!;
    expect(child.startNs).toBe(0);
    expect(early.traces[0].startUnixNano).toBe(1_700_000_000_000_000_000n);
    expect(early.traces[0].warnings.map((w) => w.message)).toContain('span 0000000000000002 has no timestamp; drawn at the trace start');
  });

  it('OTLP: a start after 2^63 ns is no time, and the partial success says why', async () => {
    const decoded = decodeTraces(otlpSpan([], '99999999999999999999', '99999999999999999999'));
    expect(decoded.ok && decoded.rejectedSpans).toBe(1);
    const receiver = new TraceReceiver(new SpanStore(), { protocol: 'otlp', host: '127.0.0.1', port: 0 });
    const port = await receiver.start();
    try {
      const reply = await send(`http://127.0.0.1:${port}/v1/traces`, {
        headers: { 'Content-Type': 'application/json' },
        body: otlpSpan([], '99999999999999999999', '99999999999999999999'),
      });
      expect(JSON.parse(reply.body.toString()).partialSuccess).toEqual({
        rejectedSpans: '1',
        errorMessage: expect.stringMatching(/^1 span rejected: skipped span 0000000000000001: startTimeUnixNano "99999999999999999999" is not a time$/),
      });
    } finally {
      await receiver.stop();
    }
  });

  it('"zz" is no base64 trace id; a whole 16-byte one is', () => {
    expect(normaliseTraceId('zz')).toBeUndefined();
    expect(normaliseTraceId('AAAAAAAAAAAAAAAAAAAAEQ==')).toBe('00000000000000000000000000000011');
  });
});
