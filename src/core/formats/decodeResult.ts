import type { Trace, TraceWarning } from '../model/trace';

export type FormatName = 'otlp-json' | 'otlp-jsonl' | 'otlp-protobuf' | 'tempo-json' | 'jaeger-json' | 'jaeger-api-v3' | 'zipkin-json';

export const FORMAT_LABELS: Record<FormatName, string> = {
  'otlp-json': 'OTLP/JSON',
  'otlp-jsonl': 'OTLP/JSON Lines',
  'otlp-protobuf': 'OTLP protobuf',
  'tempo-json': 'Grafana Tempo JSON',
  'jaeger-json': 'Jaeger JSON',
  'jaeger-api-v3': 'Jaeger api_v3 JSON',
  'zipkin-json': 'Zipkin v2 JSON',
};

/** What a decoder read: the traces it could build and what it had to skip or repair on the way. */
export interface Decoded {
  format: FormatName;
  traces: Trace[];
  warnings: TraceWarning[];
  /** Spans in the input that could not be read and are not in `traces`. */
  rejectedSpans: number;
}

/** Decoding either yields traces or one clear message; it never throws. */
export type DecodeOutcome = ({ ok: true } & Decoded) | { ok: false; error: string };
