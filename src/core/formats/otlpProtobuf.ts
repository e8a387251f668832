// OTLP protobuf: `TracesData` and `ExportTraceServiceRequest` share the layout (field 1: repeated ResourceSpans).
// Field numbers from opentelemetry-proto v1 trace.proto, common.proto and resource.proto.
import { idFromBytes, SPAN_ID_HEX_LENGTH, TRACE_ID_HEX_LENGTH } from '../model/ids';
import { spanKindFrom, statusCodeFrom, statusWithTagFallbacks } from '../model/status';
import { diffNs, FIXED64_RADIX, type SplitTime } from '../model/spanTime';
import type { AttributeValue, Attributes, Resource, Scope, Span, SpanEvent, SpanLink, Status } from '../model/trace';
import { TraceAssembler } from '../model/traceAssembler';
import type { Decoded } from './decodeResult';
import { linkKindFrom, resourceFrom } from './otlpJson';
import { bytesToBase64 } from './base64';
import { ProtobufError, ProtobufReader, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobufReader';

class OtlpProtobufDecoder {
  truncatedAt: number | undefined;

  constructor(private readonly bytes: Uint8Array, private readonly assembler: TraceAssembler) {}

  /** Reads a nested message; if its declared length runs past the input, reads what is there and notes it. */
  private nested(reader: ProtobufReader): ProtobufReader {
    const length = reader.varint();
    const start = reader.pos;
    let end = start + length;
    if (end > reader.end) {
      this.truncatedAt ??= reader.end;
      end = reader.end;
    }
    reader.pos = end;
    return new ProtobufReader(this.bytes, start, end);
  }

  decode(): void {
    const reader = new ProtobufReader(this.bytes);
    try {
      while (!reader.done) {
        const { field, wire } = reader.tag();
        if (field === 1 && wire === WIRE_LENGTH) this.resourceSpans(this.nested(reader));
        else reader.skip(wire);
      }
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
      this.truncatedAt ??= reader.pos;
    }
  }

  private resourceSpans(reader: ProtobufReader): void {
    let resource: Resource = resourceFrom({});
    const scopeReaders: ProtobufReader[] = [];
    try {
      while (!reader.done) {
        const { field, wire } = reader.tag();
        if (field === 1 && wire === WIRE_LENGTH) resource = resourceFrom(this.resourceAttributes(this.nested(reader)));
        // The resource may come after the spans on the wire; decode spans once it is known.
        else if (field === 2 && wire === WIRE_LENGTH) scopeReaders.push(this.nested(reader));
        else reader.skip(wire);
      }
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
      this.truncatedAt ??= reader.pos;
    }
    for (const scopeReader of scopeReaders) this.scopeSpans(scopeReader, resource);
  }

  private resourceAttributes(reader: ProtobufReader): Attributes {
    const attributes: Attributes = {};
    while (!reader.done) {
      const { field, wire } = reader.tag();
      if (field === 1 && wire === WIRE_LENGTH) this.keyValue(this.nested(reader), attributes);
      else reader.skip(wire);
    }
    return attributes;
  }

  private scopeSpans(reader: ProtobufReader, resource: Resource): void {
    let scope: Scope | undefined;
    const spanReaders: ProtobufReader[] = [];
    try {
      while (!reader.done) {
        const { field, wire } = reader.tag();
        if (field === 1 && wire === WIRE_LENGTH) scope = this.scope(this.nested(reader));
        else if (field === 2 && wire === WIRE_LENGTH) spanReaders.push(this.nested(reader));
        else reader.skip(wire);
      }
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
      this.truncatedAt ??= reader.pos;
    }
    for (const spanReader of spanReaders) {
      try {
        this.span(spanReader, resource, scope);
      } catch (error) {
        if (!(error instanceof ProtobufError)) throw error;
        this.truncatedAt ??= spanReader.pos;
      }
    }
  }

  private scope(reader: ProtobufReader): Scope {
    const scope: Scope = { name: '' };
    while (!reader.done) {
      const { field, wire } = reader.tag();
      if (field === 1 && wire === WIRE_LENGTH) scope.name = reader.string();
      else if (field === 2 && wire === WIRE_LENGTH) scope.version = reader.string();
      else if (field === 3 && wire === WIRE_LENGTH) this.keyValue(this.nested(reader), (scope.attributes ??= {}));
      else reader.skip(wire);
    }
    return scope;
  }

  private span(reader: ProtobufReader, resource: Resource, scope: Scope | undefined): void {
    let traceId: string | undefined;
    let spanId: string | undefined;
    let parentSpanId: string | undefined;
    let name = '';
    let kindNumber = 0;
    let start: SplitTime | undefined;
    let end: SplitTime | undefined;
    const attributes: Attributes = {};
    const eventReaders: ProtobufReader[] = [];
    const links: SpanLink[] = [];
    let status: Status = { code: 'unset' };
    while (!reader.done) {
      const { field, wire } = reader.tag();
      switch (wire === WIRE_LENGTH || wire === WIRE_VARINT || wire === WIRE_FIXED64 ? field : 0) {
        case 1: traceId = this.id(reader, TRACE_ID_HEX_LENGTH); break;
        case 2: spanId = this.id(reader, SPAN_ID_HEX_LENGTH); break;
        case 4: parentSpanId = this.id(reader, SPAN_ID_HEX_LENGTH); break;
        case 5: name = reader.string(); break;
        case 6: kindNumber = reader.varint(); break;
        case 7: start = reader.fixed64(); break;
        case 8: end = reader.fixed64(); break;
        case 9: this.keyValue(this.nested(reader), attributes); break;
        case 11: eventReaders.push(this.nested(reader)); break;
        case 13: this.link(this.nested(reader), links); break;
        case 15: status = this.status(this.nested(reader)); break;
        default: reader.skip(wire);
      }
    }
    if (!traceId || !spanId) {
      this.assembler.warn({ code: 'invalid-id', message: `skipped span "${name}": invalid trace or span id` });
      return;
    }
    // Absent fixed64 fields are 0 in proto3.
    start ??= { major: 0, minor: 0 };
    let durationNs = diffNs(end ?? { major: 0, minor: 0 }, start, FIXED64_RADIX);
    if (durationNs < 0) {
      this.assembler.warn({ code: 'invalid-time', spanId, message: `span ${spanId} ends before it starts; shown with zero duration` }, traceId);
      durationNs = 0;
    }
    const events: SpanEvent[] = [];
    for (const eventReader of eventReaders) events.push(this.event(eventReader, start));
    const span: Span = {
      traceId,
      spanId,
      parentSpanId,
      name,
      kind: spanKindFrom(kindNumber) ?? 'unspecified',
      startNs: 0,
      durationNs,
      status: statusWithTagFallbacks(status, attributes),
      attributes,
      events,
      links,
      resource,
      scope,
    };
    this.assembler.add(span, start);
  }

  private id(reader: ProtobufReader, hexLength: number): string | undefined {
    const [start, end] = reader.span();
    return idFromBytes(this.bytes, start, end, hexLength);
  }

  private status(reader: ProtobufReader): Status {
    let code = 0;
    let message = '';
    while (!reader.done) {
      const { field, wire } = reader.tag();
      if (field === 2 && wire === WIRE_LENGTH) message = reader.string();
      else if (field === 3 && wire === WIRE_VARINT) code = reader.varint();
      else reader.skip(wire);
    }
    const status: Status = { code: statusCodeFrom(code) ?? 'unset' };
    if (message) status.message = message;
    return status;
  }

  private event(reader: ProtobufReader, spanStart: SplitTime): SpanEvent {
    const event: SpanEvent = { name: '', offsetNs: 0, attributes: {} };
    while (!reader.done) {
      const { field, wire } = reader.tag();
      if (field === 1 && wire === WIRE_FIXED64) event.offsetNs = diffNs(reader.fixed64(), spanStart, FIXED64_RADIX);
      else if (field === 2 && wire === WIRE_LENGTH) event.name = reader.string();
      else if (field === 3 && wire === WIRE_LENGTH) this.keyValue(this.nested(reader), event.attributes);
      else reader.skip(wire);
    }
    return event;
  }

  private link(reader: ProtobufReader, links: SpanLink[]): void {
    let traceId: string | undefined;
    let spanId: string | undefined;
    const attributes: Attributes = {};
    while (!reader.done) {
      const { field, wire } = reader.tag();
      if (field === 1 && wire === WIRE_LENGTH) traceId = this.id(reader, TRACE_ID_HEX_LENGTH);
      else if (field === 2 && wire === WIRE_LENGTH) spanId = this.id(reader, SPAN_ID_HEX_LENGTH);
      else if (field === 4 && wire === WIRE_LENGTH) this.keyValue(this.nested(reader), attributes);
      else reader.skip(wire);
    }
    if (!traceId || !spanId) return;
    links.push({ traceId, spanId, kind: linkKindFrom(attributes), attributes });
  }

  private keyValue(reader: ProtobufReader, into: Attributes): void {
    let key: string | undefined;
    let value: AttributeValue = null;
    while (!reader.done) {
      const { field, wire } = reader.tag();
      if (field === 1 && wire === WIRE_LENGTH) key = reader.string();
      else if (field === 2 && wire === WIRE_LENGTH) value = this.anyValue(this.nested(reader));
      else reader.skip(wire);
    }
    if (key !== undefined) into[key] = value;
  }

  private anyValue(reader: ProtobufReader): AttributeValue {
    let value: AttributeValue = null;
    while (!reader.done) {
      const { field, wire } = reader.tag();
      if (field === 1 && wire === WIRE_LENGTH) value = reader.string();
      else if (field === 2 && wire === WIRE_VARINT) value = reader.varint() !== 0;
      else if (field === 3 && wire === WIRE_VARINT) value = reader.int64();
      else if (field === 4 && wire === WIRE_FIXED64) value = reader.double();
      else if (field === 5 && wire === WIRE_LENGTH) value = this.arrayValue(this.nested(reader));
      else if (field === 6 && wire === WIRE_LENGTH) value = this.resourceAttributes(this.nested(reader));
      else if (field === 7 && wire === WIRE_LENGTH) {
        const [start, end] = reader.span();
        value = bytesToBase64(this.bytes.subarray(start, end));
      } else reader.skip(wire);
    }
    return value;
  }

  private arrayValue(reader: ProtobufReader): AttributeValue[] {
    const values: AttributeValue[] = [];
    while (!reader.done) {
      const { field, wire } = reader.tag();
      if (field === 1 && wire === WIRE_LENGTH) values.push(this.anyValue(this.nested(reader)));
      else reader.skip(wire);
    }
    return values;
  }
}

/** Whether the bytes can start an OTLP protobuf message: field 1, length-delimited (or an empty message). */
export function looksLikeOtlpProtobuf(bytes: Uint8Array): boolean {
  return bytes.length === 0 || bytes[0] === 0x0a;
}

export function decodeOtlpProtobuf(bytes: Uint8Array): Decoded {
  const assembler = new TraceAssembler(FIXED64_RADIX);
  const decoder = new OtlpProtobufDecoder(bytes, assembler);
  decoder.decode();
  if (decoder.truncatedAt !== undefined) {
    assembler.warn({ code: 'truncated', message: `protobuf input is malformed or truncated at byte ${decoder.truncatedAt}; kept the ${assembler.spanCount} spans read before it` });
  }
  return { format: 'otlp-protobuf', traces: assembler.finish(), warnings: assembler.warnings };
}
