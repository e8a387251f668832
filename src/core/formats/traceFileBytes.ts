// One trace written as a file: an OTLP export request, which Trace Lens and the CLI open again and the Collector's
// otlpjsonfile receiver reads (JSON); protobuf for a name ending .pb or .binpb (half the bytes), else JSON.
import type { Trace } from '../model/trace';
import { toOtlpJsonLines } from './otlpJsonWriter';
import { toOtlpProtobuf } from './otlpProtobufWriter';
import { groupDigits } from '../analysis/groupDigits';

export type TraceFileFormat = 'otlp-json' | 'otlp-protobuf';

export function traceFileFormatOf(fileName: string): TraceFileFormat {
  return /\.(binpb|pb)$/i.test(fileName) ? 'otlp-protobuf' : 'otlp-json';
}

/**
 * The most spans written as OTLP/JSON: its objects and text take about 2.6 KB of heap a span on the way (100k spans:
 * 260 MB, 63 MB of text), and at a million the text passes the longest string V8 makes. Protobuf has no such bound.
 */
export const MAX_JSON_SPANS = 200_000;

/** Throws, saying why, for a trace past MAX_JSON_SPANS as JSON. */
export function traceFileBytes(trace: Trace, format: TraceFileFormat): Uint8Array {
  if (format === 'otlp-protobuf') return toOtlpProtobuf(trace);
  const spans = trace.spans.length;
  if (spans > MAX_JSON_SPANS) {
    throw new Error(
      `${groupDigits(spans)} spans are more than OTLP/JSON is written for here (${groupDigits(MAX_JSON_SPANS)}): give the file a .pb name to save it as protobuf`,
    );
  }
  return new TextEncoder().encode(toOtlpJsonLines([trace]));
}
