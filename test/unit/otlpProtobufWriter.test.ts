// The OTLP protobuf writer: a trace written by it reads back as the same trace written as OTLP/JSON reads back
// (the form it replaces where the receiver hands a large trace to a trace worker).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTraces } from '../../src/core/formats/decode';
import { toOtlpJsonLines } from '../../src/core/formats/otlpJsonWriter';
import { toOtlpProtobuf } from '../../src/core/formats/otlpProtobufWriter';
import type { Trace } from '../../src/core/model/trace';
import { fixture, FIXTURES_DIR } from '../support/fixtures';
import { syntheticTrace } from '../support/syntheticTrace';

function readBack(bytes: Uint8Array): Trace[] {
  const outcome = decodeTraces(bytes);
  if (!outcome.ok) throw new Error(outcome.error);
  expect(outcome.warnings).toEqual([]);
  return outcome.traces;
}

function expectSameAsJson(trace: Trace): void {
  const protobuf = toOtlpProtobuf(trace);
  expect(readBack(protobuf)).toEqual(readBack(new TextEncoder().encode(toOtlpJsonLines([trace]))));
}

/** A trace whose values reach every corner of AnyValue and of the span message. */
function awkwardTrace(): Trace {
  const trace = syntheticTrace(40, 'ab'.repeat(16));
  const [root, child, other] = trace.spans;
  root.attributes = {
    negative: -5,
    'past 2^53': 2 ** 53 + 2,
    double: 0.25,
    yes: true,
    no: false,
    empty: '',
    nothing: null,
    'ünïcödé ключ': 'значение ✓ — 漢字',
    long: 'x'.repeat(300),
    // Past the room a span's length is given (two bytes): the span's message moves along when its length is known.
    huge: 'y'.repeat(20_000),
    'long ünïcode': 'é'.repeat(200),
    list: [1, 'two', [3.5, null], { four: 4 }],
    map: { inner: { deeper: ['a'] }, n: -1 },
  };
  child.status = { code: 'error', message: 'it failed: "quoted" ✗' };
  child.events = [{ name: 'exception', offsetNs: 1_500, attributes: { 'exception.message': 'boom' } }];
  other.status = { code: 'ok' };
  other.links = [
    { traceId: 'cd'.repeat(16), spanId: 'ef'.repeat(8), kind: 'link', attributes: { why: 'batch' } },
    { traceId: 'cd'.repeat(16), spanId: '01'.repeat(8), kind: 'follows_from', attributes: {} },
  ];
  other.scope = { name: 'my.library', version: '1.2.3', attributes: { 'scope.attr': 7 } };
  return trace;
}

describe('OTLP protobuf writer', () => {
  it('writes every kind of value, status, event, link and scope as the JSON writer does', () => {
    const trace = awkwardTrace();
    expectSameAsJson(trace);
    const [back] = readBack(toOtlpProtobuf(trace));
    expect(back.spans[0].attributes).toEqual({ ...trace.spans[0].attributes, 'past 2^53': '9007199254740994' });
    expect(back.spans.find((s) => s.spanId === trace.spans[2].spanId)!.links.map((l) => l.kind)).toEqual(['link', 'follows_from']);
  });

  it('reads back as the JSON writer’s output does for every upstream fixture trace', () => {
    const files = readdirSync(FIXTURES_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    let traces = 0;
    for (const file of files) {
      const outcome = decodeTraces(fixture(file));
      if (!outcome.ok) continue;
      for (const trace of outcome.traces) {
        expectSameAsJson(trace);
        traces++;
      }
    }
    expect(traces).toBe(22);
  });

  it('writes a large trace in a canonical form the decoder reads in two stages', () => {
    const trace = syntheticTrace(25_000);
    const bytes = toOtlpProtobuf(trace);
    expect(bytes.length).toBeGreaterThan(2 * 2 ** 20);
    expectSameAsJson(trace);
  });

  it('refuses an id that is not hex rather than write a wrong one', () => {
    const trace = syntheticTrace(3);
    trace.spans[1].spanId = 'not-hex!';
    expect(() => toOtlpProtobuf(trace)).toThrow(/not a hex id: not-hex!/);
  });
});
