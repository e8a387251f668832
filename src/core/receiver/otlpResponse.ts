// The bodies an OTLP/HTTP server answers with, in the request's encoding (OTLP spec, "OTLP/HTTP Response"):
// ExportTraceServiceResponse on success, google.rpc.Status on failure.

export type WireEncoding = 'protobuf' | 'json';

export const CONTENT_TYPES: Record<WireEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** google.rpc.Code values for the failures a receiver reports. */
export const RPC_INVALID_ARGUMENT = 3;
export const RPC_RESOURCE_EXHAUSTED = 8;
export const RPC_DEADLINE_EXCEEDED = 4;

function varint(value: number, out: number[]): void {
  while (value > 0x7f) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

function lengthDelimited(field: number, payload: Uint8Array, out: number[]): void {
  out.push((field << 3) | 2);
  varint(payload.length, out);
  for (const byte of payload) out.push(byte);
}

export function exportResponse(encoding: WireEncoding, rejectedSpans: number, errorMessage: string): Buffer {
  if (encoding === 'json') {
    const body = rejectedSpans > 0 ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  if (rejectedSpans === 0) return Buffer.alloc(0);
  const partial: number[] = [0x08];
  varint(rejectedSpans, partial);
  lengthDelimited(2, Buffer.from(errorMessage), partial);
  const out: number[] = [];
  lengthDelimited(1, Uint8Array.from(partial), out);
  return Buffer.from(out);
}

export function statusBody(encoding: WireEncoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const out: number[] = [0x08];
  varint(code, out);
  lengthDelimited(2, Buffer.from(message), out);
  return Buffer.from(out);
}
