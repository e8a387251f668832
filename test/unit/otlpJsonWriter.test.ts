// Export is only useful if what is written reads back the same: every fixture format goes through
// OTLP/JSON Lines and comes back with the same spans, times exact to the nanosecond.
import { describe, expect, it } from 'vitest';
import { toOtlpJsonLines } from '../../src/core/formats/otlpJsonWriter';
import type { Trace } from '../../src/core/model/trace';
import { decodeOk } from '../support/decodeOk';
import { fixture } from '../support/fixtures';

function comparable(traces: Trace[]) {
  return traces
    .flatMap((trace) =>
      trace.spans.map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId,
        name: s.name,
        kind: s.kind,
        start: (trace.startUnixNano + BigInt(s.startNs)).toString(),
        durationNs: s.durationNs,
        status: s.status,
        attributes: s.attributes,
        service: s.resource.serviceName,
        events: s.events.map((e) => ({ ...e, offsetNs: Math.round(e.offsetNs) })),
        links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, kind: l.kind })),
      })),
    )
    .sort((a, b) => `${a.traceId}${a.spanId}${a.start}`.localeCompare(`${b.traceId}${b.spanId}${b.start}`));
}

describe('OTLP/JSON Lines export', () => {
  for (const file of [
    'opentelemetry/trace.json',
    'zipkin/yelp.json',
    'zipkin/messaging-kafka.json',
    'jaeger/legacy-json/ui_01.json',
    'jaeger/api_v3/GetTrace.json',
    'tempo/example_trace.v1.json',
    'tempo/link_attributes_trace.v2.json',
    'jaeger-ui/genaiTestTrace.json',
  ]) {
    it(`round-trips ${file}`, () => {
      const original = decodeOk(fixture(file));
      const text = toOtlpJsonLines(original.traces);
      expect(text.trim().split('\n')).toHaveLength(original.traces.length);
      const reread = decodeOk(Buffer.from(text));
      expect(reread.format).toBe(original.traces.length > 1 ? 'otlp-jsonl' : 'otlp-json');
      expect(comparable(reread.traces)).toEqual(comparable(original.traces));
    });
  }
});
