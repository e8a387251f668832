import { describe, expect, it } from 'vitest';
import { decodeTraces } from '../../src/core/formats/decode';
import { MAX_JSON_SPANS, traceFileBytes, traceFileFormatOf } from '../../src/core/formats/traceFileBytes';
import type { Span } from '../../src/core/model/trace';
import { syntheticTrace } from '../support/syntheticTrace';

describe('a trace saved as a file', () => {
  it('is protobuf for a .pb or .binpb name and OTLP/JSON otherwise', () => {
    expect(['trace.pb', 'TRACE.BINPB', 'a.b.pb'].map(traceFileFormatOf)).toEqual(['otlp-protobuf', 'otlp-protobuf', 'otlp-protobuf']);
    expect(['trace.json', 'trace.jsonl', 'trace', 'pb.json'].map(traceFileFormatOf)).toEqual(['otlp-json', 'otlp-json', 'otlp-json', 'otlp-json']);
  });

  it('opens again as the trace it was, in either format', () => {
    const trace = syntheticTrace(300, 'ab'.repeat(16));
    trace.spans[3].status = { code: 'error', message: 'declined' };
    trace.spans[4].attributes = { 'http.route': '/charge/{id}', attempts: 3 };
    for (const format of ['otlp-json', 'otlp-protobuf'] as const) {
      const read = decodeTraces(traceFileBytes(trace, format));
      if (!read.ok) throw new Error(read.error);
      expect(read.format).toBe(format);
      expect(read.warnings).toEqual([]);
      expect(read.traces.map((t) => [t.traceId, t.startUnixNano])).toEqual([[trace.traceId, trace.startUnixNano]]);
      const told = ({ spanId, parentSpanId, name, kind, startNs, durationNs, status, attributes, resource }: Span) =>
        JSON.stringify([spanId, parentSpanId, name, kind, startNs, durationNs, status, attributes, resource.serviceName]);
      // Spans come back grouped by service, as the request holds them.
      expect(read.traces[0].spans.map(told).sort()).toEqual(trace.spans.map(told).sort());
    }
  });

  it('refuses OTLP/JSON past its span limit, saying to save protobuf, before reading a span', () => {
    const trace = syntheticTrace(3, 'ab'.repeat(16));
    const huge = { ...trace, spans: { length: MAX_JSON_SPANS + 1 } as Span[] };
    expect(() => traceFileBytes(huge, 'otlp-json')).toThrow('200,001 spans are more than OTLP/JSON is written for here (200,000): give the file a .pb name');
  });
});
