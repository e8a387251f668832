// Traces recorded by the real OpenTelemetry SDK with explicit times, for the detectors' tests: each service gets
// its own tracer provider (its own resource), spans are ended at the times given, and the whole export is
// serialized by the SDK's OTLP protobuf serializer and read back by our decoder, as a file or receiver would.
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Link, type Span as OtelSpan } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { decodeTraces } from '../../src/core/formats/decode';
import type { Trace } from '../../src/core/model/trace';

const EPOCH_MS = 1_764_000_000_000;

export interface SpanSpec {
  service?: string;
  kind?: SpanKind;
  parent?: OtelSpan;
  /** Milliseconds from the recording's start. */
  start: number;
  end: number;
  attributes?: Attributes;
  error?: string;
  exception?: string;
  links?: Link[];
}

export class SdkRecording {
  private readonly memory = new InMemorySpanExporter();
  private readonly providers = new Map<string, BasicTracerProvider>();

  /**
   * `resource`: more resource attributes of every service (a `service.version`, say); `epochMs`: when the
   * recording's time 0 is (a fixed day unless a test needs its spans recent, as a search of the last hour does).
   */
  constructor(
    private readonly resource: Attributes = {},
    private readonly epochMs = EPOCH_MS,
  ) {}

  private tracer(service: string) {
    let provider = this.providers.get(service);
    if (!provider) {
      provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ ...this.resource, 'service.name': service }),
        spanProcessors: [new SimpleSpanProcessor(this.memory)],
      });
      this.providers.set(service, provider);
    }
    return provider.getTracer('findings-test');
  }

  span(name: string, spec: SpanSpec): OtelSpan {
    const parentContext = spec.parent ? trace.setSpan(context.active(), spec.parent) : context.active();
    const span = this.tracer(spec.service ?? 'shop').startSpan(
      name,
      { kind: spec.kind ?? SpanKind.INTERNAL, attributes: spec.attributes, links: spec.links, startTime: this.epochMs + spec.start, root: !spec.parent },
      parentContext,
    );
    if (spec.exception) span.recordException({ name: spec.exception, message: spec.error ?? spec.exception }, this.epochMs + spec.end);
    if (spec.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
    span.end(this.epochMs + spec.end);
    return span;
  }

  /** The OTLP/protobuf export request of every span recorded, as the SDK's exporter sends it. */
  exportRequest(): Uint8Array {
    return ProtobufTraceSerializer.serializeRequest(this.memory.getFinishedSpans())!;
  }

  /** Every trace recorded, as our decoder reads the SDK's OTLP protobuf export of them. */
  traces(): Trace[] {
    const decoded = decodeTraces(this.exportRequest());
    if (!decoded.ok) throw new Error(decoded.error);
    return decoded.traces;
  }

  trace(): Trace {
    const traces = this.traces();
    if (traces.length !== 1) throw new Error(`expected one trace, recorded ${traces.length}`);
    return traces[0];
  }
}

/**
 * A loop span (named `loop`, its attributes given) with `repeats` query children, one every 20 ms, each 18 ms
 * long: an N+1 as an SDK records it.
 */
export function recordQueryLoop(
  r: SdkRecording,
  loop: string,
  options: { repeats: number; service?: string; kind?: SpanKind; loopAttributes?: Attributes; query: (i: number) => Attributes },
): OtelSpan {
  const { repeats, service, kind, loopAttributes, query } = options;
  const parent = r.span(loop, { service, kind, start: 0, end: 20 + repeats * 20, attributes: loopAttributes });
  for (let i = 0; i < repeats; i++) r.span('SELECT', { service, parent, kind: SpanKind.CLIENT, start: 1 + i * 20, end: 19 + i * 20, attributes: query(i) });
  return parent;
}

export { SpanKind };
