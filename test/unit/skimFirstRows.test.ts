// A large OTLP file's first rows (protobuf, or JSON) made from a skim of its bytes, before it is decoded. They must be the
// decoded trace's first rows exactly (the page would jump when the whole trace came, or show a wrong tree), and
// wherever the decode would say something the skim does not read (a second trace, a bad id), the skim must leave
// the file to it. Where the decode corrects clock skew, the skim corrects it alike.
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeTraces } from '../../src/core/formats/decode';
import { idPlace } from '../../src/core/model/ids';
import { decodeZipkinSpans } from '../../src/core/formats/zipkinJson';
import { skimOtlpProtobuf } from '../../src/core/formats/otlpProtobufSkim';
import { skimOtlpJson } from '../../src/core/formats/otlpJsonSkim';
import { skimOrReason, type SpanSkim } from '../../src/core/formats/spanSkim';
import { skimHeldSpans } from '../../src/core/formats/heldSpanSkim';
import { SpanStore } from '../../src/core/receiver/spanStore';
import type { Trace } from '../../src/core/model/trace';
import { firstRowsOfSkim } from '../../src/core/waterfall/firstRows';
import { prepareTrace } from '../../src/core/waterfall/prepareTrace';
import { PREVIEW_ABOVE, previewModel } from '../../src/core/waterfall/previewModel';
import type { WaterfallModel } from '../../src/core/waterfall/rows';
import { readTraceBytes } from '../../src/core/workers/traceFile';
import { fixture, FIXTURES_DIR } from '../support/fixtures';
import { encodeOtlpJson, encodeOtlpProtobuf } from '../support/otelEncode';
import { randomTrace } from '../support/randomTrace';
import { syntheticTrace } from '../support/syntheticTrace';

/** The decoded trace's first `count` rows, the way a file without a skim gets them. */
function decodedFirstRows(bytes: Uint8Array, count: number): WaterfallModel {
  const outcome = decodeTraces(bytes);
  if (!outcome.ok) throw new Error(outcome.error);
  expect(outcome.traces).toHaveLength(1);
  return previewModel(prepareTrace(outcome.traces[0]).model, count);
}

type Skimmer = (bytes: Uint8Array, maxSpans?: number) => SpanSkim | { unread: string };

function skimmedRows(bytes: Uint8Array, count: number, skimmer: Skimmer = skimOtlpProtobuf): WaterfallModel | { unread: string } {
  const skim = skimmer(bytes);
  return 'unread' in skim ? skim : firstRowsOfSkim(skim, count);
}

/** Each format as the OpenTelemetry JS SDK's own serializers write it, and its skim. */
const FORMATS = [
  { name: 'OTLP protobuf', encode: encodeOtlpProtobuf, skimmer: skimOtlpProtobuf as Skimmer },
  { name: 'OTLP/JSON', encode: encodeOtlpJson, skimmer: skimOtlpJson as Skimmer },
];

describe.each(FORMATS)('first rows from a skim of an $name file', ({ encode, skimmer }) => {
  const skimmedFirstRows = (bytes: Uint8Array, count: number) => skimmedRows(bytes, count, skimmer);

  it('are the decoded trace’s first rows, over traces of random shape', () => {
    let skewed = 0;
    for (let round = 0; round < 40; round++) {
      const trace = randomTrace(round, 50 + round * 13);
      const bytes = encode([trace]);
      // A cut inside the tree, and every row.
      for (const count of [37, trace.spans.length]) {
        const first = skimmedFirstRows(bytes, count);
        expect(first, `round ${round}, ${count} rows`).toEqual(decodedFirstRows(bytes, count));
        if (count > 37 && (first as WaterfallModel).warnings.length) skewed++;
      }
    }
    // The skewed and the partial traces did move spans or warn of orphans.
    expect(skewed).toBeGreaterThanOrEqual(15);
  });

  it('show a span whose parent is not in the file as a root, with the decode’s warning', () => {
    const trace = randomTrace(7, 60);
    trace.spans[9].parentSpanId = 'f'.repeat(16);
    const bytes = encode([trace]);
    const first = skimmedFirstRows(bytes, trace.spans.length) as WaterfallModel;
    expect(first).toEqual(decodedFirstRows(bytes, trace.spans.length));
    expect(first.warnings).toEqual([
      `parent ${'f'.repeat(16)} of span ${trace.spans[9].spanId} ("${trace.spans[9].name}") is not in the trace; shown as a root`,
    ]);
    const roots = (model: WaterfallModel) => model.rows.depth.filter((d) => d === 0).length;
    expect(roots(first)).toBe(roots(skimmedFirstRows(encode([randomTrace(7, 60)]), 60) as WaterfallModel) + 1);
  });

  it('correct clock skew as the decode does: the server moved into its client, the trace’s start, the warning', () => {
    const trace = randomTrace(7, 60);
    trace.spans[0].kind = 'client';
    const child = trace.spans.find((s) => s.parentSpanId === trace.spans[0].spanId)!;
    child.kind = 'server';
    // Before the trace began: the whole trace starts later once it is moved.
    child.startNs = trace.spans[0].startNs - 1_000_000;
    child.durationNs = trace.spans[0].durationNs / 2;
    const bytes = encode([trace]);
    const first = skimmedFirstRows(bytes, trace.spans.length) as WaterfallModel;
    expect(first).toEqual(decodedFirstRows(bytes, trace.spans.length));
    expect(first.warnings).toEqual([
      expect.stringMatching(
        new RegExp(`^clock skew: server span ${child.spanId} \\(\\w+\\) lay outside its client span ${trace.spans[0].spanId} .* moved later by`),
      ),
    ]);
    expect(first.startEpochMs).toBe(Number((trace.startUnixNano + 0n) / 1_000_000n));
  });

  it('are the decoded trace’s first rows for a production-shaped trace, with its failures and their origin', () => {
    const bytes = encode([syntheticTrace(3_000)]);
    const first = skimmedFirstRows(bytes, 500) as WaterfallModel;
    expect(first).toEqual(decodedFirstRows(bytes, 500));
    expect(first.errorCount).toBe(Math.ceil(3_000 / 97));
    expect(first.failureOriginRow).toBeGreaterThan(0);
    expect(first.services).toEqual(['cart', 'checkout', 'email', 'frontend', 'inventory', 'payments', 'recommendation', 'shipping']);
  });

  describe('leaves the file to the decode where it would warn or change the trace', () => {
    const clean = () => randomTrace(7, 60);
    const cases: [string, (trace: Trace) => Trace[], RegExp][] = [
      ['a second trace', (t) => [t, randomTrace(8, 5)], /more than one trace/],
      ['two spans with one id', (t) => ((t.spans[9].spanId = t.spans[4].spanId), [t]), /share an id/],
      ['a status said by a tag', (t) => ((t.spans[9].status = { code: 'unset' }), (t.spans[9].attributes = { error: true }), [t]), /status said by tags/],
      ['a span that ends before it starts', (t) => ((t.spans[9].durationNs = -5_000), [t]), /ends before it starts/],
    ];
    for (const [what, change, reason] of cases) {
      it(what, () => expect(skimmedFirstRows(encode(change(clean())), 10)).toEqual({ unread: expect.stringMatching(reason) }));
    }

    it('parents that make a cycle', () => {
      const trace = clean();
      const [a, b] = [trace.spans[20], trace.spans[21]];
      a.parentSpanId = b.spanId;
      b.parentSpanId = a.spanId;
      expect(skimmedFirstRows(encode([trace]), 10)).toEqual({ unread: expect.stringMatching(/cycle/) });
    });

    it('more spans than the skim takes (its columns sit outside the worker’s heap limit)', () => {
      const bytes = encode([clean()]);
      expect(skimmer(bytes, 59)).toEqual({ unread: 'more than 59 spans' });
      expect(skimmer(bytes, 60)).toMatchObject({ count: 60 });
    });

    it('a file cut short', () => {
      const bytes = encode([clean()]);
      expect(skimmedFirstRows(bytes.subarray(0, bytes.length - 7), 10)).toEqual({ unread: expect.stringMatching(/^malformed/) });
    });
  });

  it('come from the skim when a large file is read, gzipped or not (the decode then prepares no rows while reading)', () => {
    const bytes = encode([syntheticTrace(PREVIEW_ABOVE + 2_000)]);
    for (const file of [bytes, gzipSync(bytes)]) {
      const early: [WaterfallModel, boolean][] = [];
      const read = readTraceBytes(file, { preview: (first, skimmed) => early.push([first, skimmed]) });
      if (!read.ok) throw new Error(read.error);
      const [held] = read.held.values();
      expect(held.prepared).toBeUndefined();
      expect(early).toEqual([[previewModel(prepareTrace(held.trace, held.tree).model), true]]);
    }
    // A gzip bomb is still refused, before any row is made.
    const bomb = gzipSync(Buffer.alloc(8 * 2 ** 20));
    expect(readTraceBytes(bomb, { maxDecompressedBytes: 2 ** 20, preview: () => expect.fail('no rows of a bomb') })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/expands beyond/),
    });
  });
});

describe.each(FORMATS)('first rows from a skim of the upstream fixtures, each trace written as $name', ({ encode, skimmer }) => {
  const skimmedFirstRows = (bytes: Uint8Array, count: number) => skimmedRows(bytes, count, skimmer);
  // Every fixture the decoder reads, as each of its traces came (before the structure checks: the skew is kept).
  const files = readdirSync(FIXTURES_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
  const raw = (file: string): Trace[] => {
    const json = JSON.parse(Buffer.from(fixture(file)).toString('utf8')) as unknown;
    if (file.startsWith('zipkin/') && Array.isArray(json)) return decodeZipkinSpans(json).traces;
    const outcome = decodeTraces(fixture(file));
    return outcome.ok ? outcome.traces : [];
  };

  it('are the decoded trace’s first rows wherever the skim reads the trace, skew and orphans included', () => {
    const skimmed: string[] = [];
    const unread = new Map<string, string>();
    for (const file of files) {
      for (const trace of raw(file)) {
        const bytes = encode([trace]);
        const first = skimmedFirstRows(bytes, 40);
        if ('unread' in first) unread.set(`${file} ${trace.traceId}`, first.unread);
        else {
          expect(first, file).toEqual(decodedFirstRows(bytes, 40));
          skimmed.push(`${file}${first.warnings.length ? ` (${first.warnings.length} warnings)` : ''}`);
        }
      }
    }
    // Every one is read: 22 traces, 8 of them partial or skewed.
    expect([...unread]).toEqual([]);
    expect(skimmed).toHaveLength(22);
    expect(skimmed.filter((s) => s.includes('warnings'))).toHaveLength(8);
    // The skewed Zipkin trace among them, its server moved as the decode moves it.
    expect(skimmed).toContain('zipkin/skew.json (1 warnings)');
  });
});

describe('first rows from a skim of an OTLP protobuf file: its own cases', () => {
  const skimmedFirstRows = (bytes: Uint8Array, count: number) => skimmedRows(bytes, count, skimOtlpProtobuf);

  it('ids made to fall on one place of its id table', () => {
    const trace = randomTrace(7, 200);
    // idPlace places an id by the top bits of mix(low ^ mix(high)), and idPlace(0, h, 32) is mix(h): each of
    // these ids has one low ^ mix(high), so one place.
    const mix = (h: number) => idPlace(0, h, 32);
    trace.spans.forEach((span, i) => {
      const high = i + 1;
      const low = (0x12345678 ^ mix(high)) >>> 0;
      const bytes = Buffer.alloc(8);
      bytes.writeUInt32LE(low, 0);
      bytes.writeUInt32LE(high, 4);
      const old = span.spanId;
      span.spanId = bytes.toString('hex');
      for (const other of trace.spans) if (other.parentSpanId === old) other.parentSpanId = span.spanId;
    });
    expect(skimmedFirstRows(encodeOtlpProtobuf([trace]), 10)).toEqual({ unread: expect.stringMatching(/crowd one place/) });
  });

  it('are the decoded trace’s first rows for spans far smaller than its first guess of their size (its columns grow)', () => {
    const trace = randomTrace(11, 9_000);
    for (const span of trace.spans) span.attributes = {};
    const bytes = encodeOtlpProtobuf([trace]);
    // Its columns start with room for one span per 256 bytes, 1,024 at least, and double: these spans fill them twice.
    expect(Math.max(1024, bytes.length / 256) * 2).toBeLessThan(trace.spans.length);
    expect(skimmedFirstRows(bytes, trace.spans.length)).toEqual(decodedFirstRows(bytes, trace.spans.length));
  });

  it('keep a span whose attributes are malformed, as the decoded trace does (with a warning)', () => {
    const trace = syntheticTrace(PREVIEW_ABOVE + 2_000);
    trace.spans[1].attributes = { first: 'kept', second: 'lost at the cut' };
    const bytes = encodeOtlpProtobuf([trace]);
    // The second attribute's value says it is longer than its message: the fault is inside that attribute.
    bytes[Buffer.from(bytes).indexOf('lost at the cut') - 1] = 0x7f;
    const early: boolean[] = [];
    const file = readTraceBytes(bytes, { preview: (_first, skimmed) => early.push(skimmed) });
    if (!file.ok) throw new Error(file.error);
    const [held] = file.held.values();
    expect(early).toEqual([true]);
    expect(held.trace.spans).toHaveLength(trace.spans.length);
    expect(held.trace.warnings.map((w) => w.code)).toEqual(['truncated']);
  });
});

describe('first rows from a skim of an OTLP/JSON file: its own cases', () => {
  const skimmedFirstRows = (bytes: Uint8Array, count: number) => skimmedRows(bytes, count, skimOtlpJson);
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  const bytesOf = (json: string) => new Uint8Array(Buffer.from(json, 'utf8'));
  type Doc = { resourceSpans: { resource?: unknown; scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
  const doc = (trace: Trace) => JSON.parse(text(encodeOtlpJson([trace]))) as Doc;
  const spansOf = (d: Doc) => d.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  const sameAsDecoded = (json: string) => {
    const bytes = bytesOf(json);
    const first = skimmedFirstRows(bytes, 500);
    expect(first).toEqual(decodedFirstRows(bytes, 500));
    return first as WaterfallModel;
  };

  it('reads JSON Lines, one document per line, a trace spread over them (the Collector’s file exporter)', () => {
    const trace = randomTrace(4, 300);
    // A batch per line, as an exporter flushes: each line its own document with the resources its spans had.
    const lines = [0, 100, 200].map((from) => JSON.stringify(doc({ ...trace, spans: trace.spans.slice(from, from + 100) })));
    const first = sameAsDecoded(`${lines.join('\n')}\n\n`);
    expect(first.totalRows).toBe(300);
    expect(first.warnings).toEqual(decodedFirstRows(bytesOf(lines.join('\r\n')), 10).warnings);
    expect(skimmedFirstRows(bytesOf(lines.join('\r\n')), 10)).toEqual(decodedFirstRows(bytesOf(lines.join('\r\n')), 10));
  });

  it('reads what other writers write as the decode reads it: ids in capitals or base64, names for enums, times as numbers, escapes, keys in any order or said twice', () => {
    const trace = randomTrace(10, 200);
    const d = doc(trace);
    spansOf(d).forEach((span, i) => {
      if (i % 5 === 0) span.spanId = (span.spanId as string).toUpperCase();
      // Tempo's dialect: base64 ids, enum names.
      if (i % 5 === 1) {
        span.spanId = Buffer.from(span.spanId as string, 'hex').toString('base64');
        span.kind = ['SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'][(span.kind as number) - 1];
        if (span.status)
          (span.status as { code?: unknown }).code = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'][
            ((span.status as { code?: number }).code ?? 0) as number
          ];
      }
      // Microsecond precision as a number (exact below 2^53).
      if (i % 5 === 2) span.endTimeUnixNano = Number(BigInt(span.endTimeUnixNano as string) / 1000n) * 1000;
      if (i % 5 === 3) span.name = `caf\u00e9 "quoted" \\ ${span.name as string}`;
    });
    const escaped = (hex: string) => `\\u00${hex.charCodeAt(0).toString(16)}${hex.slice(1)}`;
    const reordered = JSON.stringify(d)
      // A span's keys in another order, its trace id with an escape, and a kind said twice (the last one counts).
      .replace(
        /\{"traceId":"([0-9a-f]{32})","spanId":("[^"]+")/g,
        (_m, traceId: string, spanId: string) => `{"spanId":${spanId},"traceId":"${escaped(traceId)}"`,
      )
      .replace(/"kind":/g, '"kind":9,"kind":');
    expect(reordered).toContain('"kind":9,"kind":');
    const first = sameAsDecoded(reordered);
    expect(first.totalRows).toBe(200);
  });

  describe('leaves the file to the decode where it would read it otherwise', () => {
    const json = () => JSON.stringify(doc(randomTrace(7, 60)));
    const cases: [string, (json: string) => string, RegExp][] = [
      ['a byte-order mark', (j) => `\ufeff${j}`, /byte-order mark/],
      ['a key that is escaped (it may spell a field)', (j) => j.replace('"spanId"', '"span\\u0049d"'), /escaped key/],
      ['an attribute key that is escaped (it may spell a tag)', (j) => j.replace('"key":"http.route"', '"k\\u0065y":"http.route"'), /escaped key/],
      ['scope spans said twice in one resource', (j) => j.replace('"scopeSpans":', '"instrumentationLibrarySpans":[],"scopeSpans":'), /scope spans said twice/],
      ['a second document on one line', (j) => `${j} ${j}`, /one line|not one per line/],
      ['a document over several lines followed by another', (j) => `${j.replace('"resourceSpans":', '"resourceSpans":\n')}\n${j}`, /not one per line/],
      ['another format (Jaeger’s)', () => JSON.stringify({ data: [{ traceID: 'a', spans: [] }] }), /not an OTLP\/JSON document|without "resourceSpans"/],
      ['a start time the decode skips the span for', (j) => j.replace(/"startTimeUnixNano":"\d+"/, '"startTimeUnixNano":"soon"'), /start time/],
      ['a span id the decode skips the span for', (j) => j.replace(/"spanId":"[0-9a-f]+"/, '"spanId":"nope"'), /span id/],
    ];
    for (const [what, change, reason] of cases) {
      it(what, () => expect(skimmedFirstRows(bytesOf(change(json())), 10)).toEqual({ unread: expect.stringMatching(reason) }));
    }
  });
});

describe('first rows from a skim of a trace the receiver holds', () => {
  /** The trace stored as the receiver stores decoded batches, in parts (later parts may start earlier). */
  const held = (trace: Trace, parts = 3) => {
    const store = new SpanStore({ maxSpans: 1e6, maxBytes: 2 ** 40 });
    const size = Math.ceil(trace.spans.length / parts);
    for (let from = trace.spans.length - size; from > -size; from -= size)
      store.add([{ ...trace, spans: trace.spans.slice(Math.max(0, from), from + size), warnings: [] }]);
    return store;
  };
  /** What a view of it showed before: the checked copy's whole waterfall, cut to its first rows. */
  const viewFirstRows = (store: SpanStore, traceId: string, count: number) => previewModel(prepareTrace(store.getTrace(traceId)!).model, count);
  const skimmedFirstRows = (store: SpanStore, traceId: string, count: number) => {
    const skim = skimOrReason(() => skimHeldSpans(store.stored(traceId)!));
    return 'unread' in skim ? skim : firstRowsOfSkim(skim, count);
  };

  it('are the checked copy’s first rows, over traces of random shape, skewed and partial ones included', () => {
    let warned = 0;
    for (let round = 0; round < 40; round++) {
      const trace = randomTrace(round, 50 + round * 13);
      const store = held(trace);
      for (const count of [37, trace.spans.length]) {
        const first = skimmedFirstRows(store, trace.traceId, count);
        expect(first, `round ${round}, ${count} rows`).toEqual(viewFirstRows(store, trace.traceId, count));
        if (count > 37 && (first as WaterfallModel).warnings.length) warned++;
      }
    }
    expect(warned).toBeGreaterThanOrEqual(15);
  });

  it('are the checked copy’s first rows whatever form its ids take (linked by number, or else by text)', () => {
    const forms: ((id: string) => string)[] = [(id) => id.toUpperCase(), (id) => id.slice(4), (id) => `${id}:0`];
    for (let round = 0; round < 12; round++) {
      const trace = randomTrace(round, 80 + round * 7);
      // One span's ids in another form, or every span's.
      const form = forms[round % forms.length];
      for (const span of round % 2 ? trace.spans : trace.spans.slice(5, 6)) {
        span.spanId = form(span.spanId);
        if (span.parentSpanId !== undefined) span.parentSpanId = form(span.parentSpanId);
      }
      const store = held(trace);
      expect(skimmedFirstRows(store, trace.traceId, 40), `round ${round}`).toEqual(viewFirstRows(store, trace.traceId, 40));
    }
  });

  it('are the checked copy’s first rows for a production-shaped trace, failures and their origin included', () => {
    const store = held(syntheticTrace(3_000));
    const first = skimmedFirstRows(store, syntheticTrace(1).traceId, 500) as WaterfallModel;
    expect(first).toEqual(viewFirstRows(store, first.traceId, 500));
    expect(first.errorCount).toBe(Math.ceil(3_000 / 97));
    expect(first.failureOriginRow).toBeGreaterThan(0);
  });

  it('leave to the copy a trace with spans that share an id, or with warnings of its own', () => {
    const shared = randomTrace(7, 60);
    shared.spans[9].spanId = shared.spans[4].spanId;
    expect(skimmedFirstRows(held(shared, 1), shared.traceId, 10)).toEqual({ unread: 'two spans share an id' });
    const warned = randomTrace(8, 60);
    const store = held(warned, 1);
    store.add([{ ...randomTrace(8, 1), spans: [], warnings: [{ code: 'truncated', message: 'cut' }] }]);
    expect(skimmedFirstRows(store, warned.traceId, 10)).toEqual({ unread: 'warnings of its own' });
  });
});
