// Decodes the body of one export request. Unlike a trace file, a batch is a slice of many traces, so the
// structure checks (tree, clock skew) wait until a trace is looked at; here only the wire format is read.
import type { Decoded } from '../formats/decodeResult';
import { asObject } from '../formats/jsonShape';
import { decodeOtlpResourceSpans } from '../formats/otlpJson';
import { readOtlpJsonRequest } from '../formats/otlpJsonRequest';
import { decodeOtlpProtobuf } from '../formats/otlpProtobuf';
import { decodeZipkinSpans } from '../formats/zipkinJson';
import type { DecodeTables } from '../formats/decodeTables';
import type { WireEncoding } from './otlpResponse';

export type BatchOutcome = { ok: true; decoded: Decoded } | { ok: false; error: string };

function parseJson(body: Buffer): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { error: `the body is not valid JSON: ${(error as Error).message}` };
  }
}

/** `tables`: the receiver's, shared by all its requests (see decodeOtlpProtobuf). */
export function decodeOtlpRequest(body: Buffer, encoding: WireEncoding, tables: DecodeTables): BatchOutcome {
  if (encoding === 'protobuf') {
    const decoded = decodeOtlpProtobuf(body, tables);
    const malformed = [...decoded.warnings, ...decoded.traces.flatMap((t) => t.warnings)].find((w) => w.code === 'truncated');
    // A request is all or nothing on the wire: a damaged message is refused whole so the exporter sees it.
    if (malformed) return { ok: false, error: `the body is not a valid ExportTraceServiceRequest: ${malformed.message}` };
    return { ok: true, decoded };
  }
  // Read from its bytes when it is the usual request, else by JSON.parse (which also says what is malformed).
  const read = readOtlpJsonRequest(body, tables);
  if (!('unread' in read)) return { ok: true, decoded: read };
  const parsed = parseJson(body);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  const request = asObject(parsed.value);
  if (!request) return { ok: false, error: 'the body is not an ExportTraceServiceRequest: expected a JSON object with "resourceSpans"' };
  const resourceSpans = request.resourceSpans ?? [];
  if (!Array.isArray(resourceSpans)) return { ok: false, error: '"resourceSpans" is not a list' };
  return { ok: true, decoded: decodeOtlpResourceSpans([resourceSpans], 'otlp-json') };
}

export function decodeZipkinRequest(body: Buffer): BatchOutcome {
  const parsed = parseJson(body);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  if (!Array.isArray(parsed.value)) return { ok: false, error: 'the body is not a Zipkin v2 span list: expected a JSON array' };
  return { ok: true, decoded: decodeZipkinSpans(parsed.value) };
}
