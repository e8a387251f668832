// One trace written as a file: an OTLP export request, which Trace Lens and the CLI open again and the Collector's
// otlpjsonfile receiver reads (JSON); protobuf for a name ending .pb or .binpb (half the bytes), else JSON.
import type { Trace } from '../model/trace';
import { toOtlpJsonLines } from './otlpJsonWriter';
import { toOtlpProtobuf } from './otlpProtobufWriter';

export type TraceFileFormat = 'otlp-json' | 'otlp-protobuf';

export function traceFileFormatOf(fileName: string): TraceFileFormat {
  return /\.(binpb|pb)$/i.test(fileName) ? 'otlp-protobuf' : 'otlp-json';
}

export function traceFileBytes(trace: Trace, format: TraceFileFormat): Uint8Array {
  if (format === 'otlp-protobuf') return toOtlpProtobuf(trace);
  return new TextEncoder().encode(toOtlpJsonLines([trace]));
}
