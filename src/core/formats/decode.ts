// One entry point for trace bytes of any supported format: `decodeTraces` picks the decoder from the content
// (never the file name), then checks each trace's structure and adjusts clock skew.
// It never throws: input that is no trace at all yields one message naming the formats tried.
import { gunzipSync } from 'node:zlib';
import { adjustClockSkew } from '../analysis/clockSkew';
import { buildSpanTree, type SpanTree } from '../analysis/spanTree';
import type { Trace, TraceWarning } from '../model/trace';
import { FORMAT_LABELS, type DecodeOutcome, type Decoded, type FormatName } from './decodeResult';
import { isJaegerTrace, jaegerTraceObjects, decodeJaegerTraces } from './jaegerJson';
import { decodeOtlpProtobuf, decodeOtlpProtobufInStages, looksLikeOtlpProtobuf } from './otlpProtobuf';
import { decodeOtlpResourceSpans } from './otlpJson';
import { readOtlpJsonRequest } from './otlpJsonRequest';
import { newDecodeTables } from './decodeTables';
import { OWN_TABLE_BITS } from './stringTable';
import { decodeZipkinSpans, isZipkinSpan, zipkinSpans } from './zipkinJson';
import { asObject, type Json } from './jsonShape';

export interface DecodeOptions {
  /** Largest decompressed size accepted from gzip input; stops decompression bombs. */
  maxDecompressedBytes?: number;
  /**
   * Hears of the traces as soon as their rows can be made (structure checked, clock skew corrected; with each
   * one's tree, unless that moved spans): an OTLP protobuf input of STAGED_BYTES before its attributes are read,
   * so its first rows show while the rest is; any other input once it is read.
   */
  rowsRead?: (traces: readonly Trace[], trees: readonly (SpanTree | undefined)[]) => void;
}

/**
 * The input sizes read in two stages when `rowsRead` is given. Smaller inputs hold fewer spans than a preview is
 * made for. Past the largest, collecting garbage is most of the read, and filling attributes into spans already
 * old costs the collector more than the early rows gain: a 330 MB file (1M spans) showed its first rows no sooner
 * in VS Code (8.3-8.9 s against 7.5-10.3 s) and all of them 3.5 s later.
 */
export const STAGED_BYTES = { min: 2 * 2 ** 20, max: 100 * 2 ** 20 };

const DEFAULT_MAX_DECOMPRESSED = 1024 * 1024 * 1024;
const MAX_GZIP_RATIO = 100;
const BOMB_FLOOR_BYTES = 64 * 1024 * 1024;
const TRIED = `tried ${Object.values(FORMAT_LABELS).join(', ')}`;

/** What one JSON document holds, before decoding: the decoder to use and the items it takes. */
type Classified = { format: FormatName; items: unknown[] } | { error: string };

function classify(doc: unknown): Classified {
  const obj = asObject(doc);
  if (obj) {
    if (Array.isArray(obj.resourceSpans)) return { format: 'otlp-json', items: [obj.resourceSpans] };
    if (Array.isArray(obj.batches)) return { format: 'tempo-json', items: [obj.batches] };
    const tempoV2 = asObject(obj.trace);
    if (tempoV2) return { format: 'tempo-json', items: [tempoV2.resourceSpans ?? []] };
    const v3 = asObject(obj.result);
    if (v3 && 'resourceSpans' in v3) return { format: 'jaeger-api-v3', items: [v3.resourceSpans] };
    if ('data' in obj || isJaegerTrace(obj)) return { format: 'jaeger-json', items: jaegerTraceObjects(obj) };
    const backendError = asObject(obj.error)?.message ?? (Array.isArray(obj.errors) ? asObject(obj.errors[0])?.msg : undefined);
    if (typeof backendError === 'string') return { error: `the input is an error answer, not a trace: "${backendError}"` };
    return { error: `JSON object with keys ${describeKeys(obj)} is not a trace (${TRIED})` };
  }
  if (Array.isArray(doc)) {
    if (doc.length === 0) return { error: 'the input is an empty list: no spans' };
    const first = Array.isArray(doc[0]) ? doc[0][0] : doc[0];
    if (isZipkinSpan(first)) return { format: 'zipkin-json', items: zipkinSpans(doc) };
    if (isJaegerTrace(first)) return { format: 'jaeger-json', items: jaegerTraceObjects(doc) };
    if (Array.isArray(doc[0]) && doc[0].length === 0) return { format: 'zipkin-json', items: zipkinSpans(doc) };
    return { error: `JSON list of ${typeof first} items is not a trace (${TRIED})` };
  }
  return { error: `a JSON ${doc === null ? 'null' : typeof doc} is not a trace (${TRIED})` };
}

function describeKeys(obj: Json): string {
  const keys = Object.keys(obj)
    .slice(0, 5)
    .map((k) => JSON.stringify(k.slice(0, 40)));
  return keys.length ? keys.join(', ') : '(none)';
}

function decodeGroup(format: FormatName, items: unknown[]): Decoded {
  switch (format) {
    case 'jaeger-json':
      return decodeJaegerTraces(items as Json[]);
    case 'zipkin-json':
      return decodeZipkinSpans(items);
    default:
      return decodeOtlpResourceSpans(items, format);
  }
}

function firstLineEnd(text: string): number {
  const nl = text.indexOf('\n');
  return nl < 0 ? text.length : nl;
}

/** JSON Lines: a first line that is a whole JSON value followed by more content. */
function isJsonLines(text: string): boolean {
  const end = firstLineEnd(text);
  if (end === text.length || text.slice(end).trim() === '') return false;
  try {
    JSON.parse(text.slice(0, end));
    return true;
  } catch {
    return false;
  }
}

function decodeJsonLines(text: string): DecodeOutcome {
  const groups = new Map<FormatName, unknown[]>();
  const warnings: TraceWarning[] = [];
  let lineNumber = 0;
  let firstError: string | undefined;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line.trim() === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (error) {
      warnings.push({ code: 'truncated', message: `line ${lineNumber} is not valid JSON (${(error as Error).message}); skipped` });
      continue;
    }
    const classified = classify(doc);
    if ('error' in classified) {
      firstError ??= `line ${lineNumber}: ${classified.error}`;
      warnings.push({ code: 'invalid-value', message: `line ${lineNumber}: ${classified.error}; skipped` });
      continue;
    }
    const list = groups.get(classified.format) ?? [];
    for (const item of classified.items) list.push(item);
    groups.set(classified.format, list);
  }
  if (groups.size === 0) return { ok: false, error: firstError ?? `no line holds a trace (${TRIED})` };
  const parts = [...groups].map(([format, items]) => decodeGroup(format, items));
  const format: FormatName = parts.length === 1 && parts[0].format.startsWith('otlp') ? 'otlp-jsonl' : parts[0].format;
  const rejectedSpans = parts.reduce((sum, p) => sum + p.rejectedSpans, 0);
  return { ok: true, format, traces: parts.flatMap((p) => p.traces), warnings: [...warnings, ...parts.flatMap((p) => p.warnings)], rejectedSpans };
}

function parseJson(text: string): { doc: unknown } | { error: string } {
  try {
    return { doc: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const hint = /end of (JSON )?input|Unterminated/i.test(message) ? ' (the file looks truncated)' : '';
    return { error: `not valid JSON: ${message}${hint}` };
  }
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function decodeJsonBytes(bytes: Uint8Array): DecodeOutcome {
  // An OTLP/JSON file as the SDK's serializer writes it (one export request) or the Collector's file exporter (one
  // a line) is read from its bytes, as the receiver reads requests: no parsed document as large as the input again,
  // half the time. Anything else is parsed.
  const read = readOtlpJsonRequest(bytes, newDecodeTables(OWN_TABLE_BITS), true);
  if (!('unread' in read)) return { ok: true, ...read };
  const parsed = parseJsonBytes(bytes);
  return 'lines' in parsed ? decodeJsonLines(parsed.lines) : decodeJsonDocument(parsed);
}

/**
 * The text lives only in here: once parsed it is garbage, not held while the spans are built (for a large file
 * it is as big as the input again).
 */
function parseJsonBytes(bytes: Uint8Array): { doc: unknown } | { error: string } | { lines: string } {
  const text = utf8(bytes);
  return isJsonLines(text) ? { lines: text } : parseJson(text);
}

function decodeJsonDocument(parsed: { doc: unknown } | { error: string }): DecodeOutcome {
  if ('error' in parsed) return { ok: false, error: parsed.error };
  const classified = classify(parsed.doc);
  if ('error' in classified) return { ok: false, error: classified.error };
  const decoded = decodeGroup(classified.format, classified.items);
  const partial = tempoPartialWarning(parsed.doc);
  if (partial) for (const trace of decoded.traces) trace.warnings.unshift(partial);
  return { ok: true, ...decoded };
}

/** Tempo's v2 answer says when it left spans out (over max_bytes_per_trace, or pruned); the trace is not whole. */
function tempoPartialWarning(doc: unknown): TraceWarning | undefined {
  const obj = asObject(doc);
  if (!obj || !asObject(obj.trace) || obj.status !== 'PARTIAL') return undefined;
  const said = typeof obj.message === 'string' && obj.message ? `: ${obj.message.slice(0, 300)}` : '';
  return { code: 'truncated', message: `Tempo returned only part of this trace${said}` };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function firstSignificantByte(bytes: Uint8Array): number {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 byte-order mark
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return i < bytes.length ? bytes[i] : -1;
}

/** The input itself, or gzip input decompressed within the limits; else why not. */
export function gunzipped(bytes: Uint8Array, maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED): { bytes: Uint8Array } | { ok: false; error: string } {
  if (!isGzip(bytes)) return { bytes };
  // Trace data compresses 3-20 fold; a bomb a thousandfold. Past 64 MiB, more than 100-fold is refused
  // before the memory is taken, whatever the absolute limit allows.
  const limit = Math.min(maxDecompressedBytes, Math.max(BOMB_FLOOR_BYTES, bytes.length * MAX_GZIP_RATIO));
  try {
    return { bytes: gunzipSync(bytes, { maxOutputLength: limit }) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE')
      return {
        ok: false,
        error: `gzip input expands beyond ${limit.toLocaleString('en-US')} bytes (more than ${MAX_GZIP_RATIO} times its ${bytes.length.toLocaleString('en-US')} bytes, or over the limit); refused`,
      };
    return { ok: false, error: `not valid gzip: ${(error as Error).message}` };
  }
}

/** `read.staged`: set when the input was read in two stages (its structure is checked then). */
function decodeRaw(input: Uint8Array, options: DecodeOptions, read: { staged: boolean }): DecodeOutcome {
  const inflated = gunzipped(input, options.maxDecompressedBytes);
  if (!('bytes' in inflated)) return inflated;
  const { bytes } = inflated;
  const lead = firstSignificantByte(bytes);
  if (lead === 0x7b || lead === 0x5b) return decodeJsonBytes(bytes);
  if (lead === -1) return { ok: false, error: 'the input is empty' };
  if (!looksLikeOtlpProtobuf(bytes)) return { ok: false, error: `not a trace: neither JSON nor OTLP protobuf (${TRIED})` };
  read.staged = !!options.rowsRead && bytes.length >= STAGED_BYTES.min && bytes.length <= STAGED_BYTES.max;
  const decoded = read.staged ? decodeInStages(bytes, options.rowsRead!) : decodeOtlpProtobuf(bytes);
  if (decoded.traces.length === 0 && decoded.warnings.some((w) => w.code === 'truncated')) {
    return { ok: false, error: `not a trace: not valid OTLP protobuf (${decoded.warnings[decoded.warnings.length - 1].message}); ${TRIED}` };
  }
  return { ok: true, ...decoded };
}

function decodeInStages(bytes: Uint8Array, rowsRead: NonNullable<DecodeOptions['rowsRead']>): Decoded {
  const { decoded, fill } = decodeOtlpProtobufInStages(bytes);
  checkAndHear(decoded.traces, rowsRead);
  fill();
  return decoded;
}

/** Checks each trace's structure, then lets `rowsRead` hear of them with their trees. */
function checkAndHear(traces: Trace[], rowsRead: DecodeOptions['rowsRead']): void {
  const trees = traces.map((trace) => checkStructure(trace));
  rowsRead?.(traces, trees);
}

export function decodeTraces(bytes: Uint8Array, options: DecodeOptions = {}): DecodeOutcome {
  let outcome: DecodeOutcome;
  const read = { staged: false };
  try {
    outcome = decodeRaw(bytes, options, read);
  } catch (error) {
    // Decoders are written not to throw; this is the last line of defence (e.g. out of memory on a huge string).
    return { ok: false, error: `could not decode the input: ${(error as Error).message}` };
  }
  if (!outcome.ok) return outcome;
  if (!read.staged) checkAndHear(outcome.traces, options.rowsRead);
  return outcome;
}

/**
 * Adds the tree's warnings (missing parents, cycles) to the trace and corrects clock skew between services;
 * returns the tree when that moved no span.
 */
export function checkStructure(trace: Trace): SpanTree | undefined {
  const tree = buildSpanTree(trace);
  const moved = adjustClockSkew(trace, tree);
  trace.warnings.push(...tree.warnings, ...moved);
  // Spans moved in time may come in another order: the tree is good only if none did.
  return moved.length ? undefined : tree;
}
