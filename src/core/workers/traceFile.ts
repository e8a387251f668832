// What a trace worker does with one trace file, as plain functions the unit tests call without a thread: decode it,
// say what it holds, hand small traces back whole, and keep the large ones where they were decoded (a copy of
// 100k span objects costs the receiving thread as long as decoding them did).
import { decodeTraces, firstSignificantByte, gunzipped, STAGED_BYTES } from '../formats/decode';
import { looksLikeOtlpProtobuf } from '../formats/otlpProtobuf';
import { skimOtlpProtobuf } from '../formats/otlpProtobufSkim';
import { skimOtlpJson } from '../formats/otlpJsonSkim';
import { firstRowsOfSkim } from '../waterfall/firstRows';
import { FORMAT_LABELS } from '../formats/decodeResult';
import { traceStory, type TraceStory } from '../analysis/traceStory';
import { traceFacts, type TraceFacts } from '../analysis/traceFacts';
import type { Trace } from '../model/trace';
import { buildSpanTree, type SpanTree } from '../analysis/spanTree';
import { detectFindings, type DetectOptions } from '../analysis/findings/detectFindings';
import { addInstrumentedPeers } from '../analysis/findings/instrumentedPeers';
import type { FindingThresholds } from '../analysis/findings/thresholds';
import { toTraceFindings, type TraceFinding } from '../analysis/findings/traceFinding';
import { prepareTrace, type PreparedTrace } from '../waterfall/prepareTrace';
import { PREVIEW_ABOVE, previewModel } from '../waterfall/previewModel';
import type { WaterfallModel } from '../waterfall/rows';

/** Traces up to this many spans go back to the extension host whole (hovers, CodeLens and search use them there). */
export const COPY_SPAN_LIMIT = 2_000;
/** Across one file, at most this many spans go back; larger files keep the rest in the worker. */
export const COPY_TOTAL_LIMIT = 20_000;

/** A trace kept in the worker, with its tree and facts (made once for its story, read again for its rows). */
export interface HeldTrace {
  trace: Trace;
  tree: SpanTree;
  /** Until its rows are prepared. */
  facts?: TraceFacts;
  /** Its rows, when they were prepared while the file was read (to show its first rows early). */
  prepared?: PreparedTrace;
}

/** One trace of the file, as the host lists it before anything is chosen. */
export interface TraceEntry {
  traceId: string;
  spanCount: number;
  story: TraceStory;
  /** Whether the host receives this trace whole (else it stays in the worker). */
  copied: boolean;
  /** What the detectors found in it, for a copied trace (a held one's are asked for once it shows). */
  findings?: TraceFinding[];
}

export type FileContents =
  | {
      ok: true;
      format: string;
      entries: TraceEntry[];
      warnings: string[];
      rejectedSpans: number;
      copies: Trace[];
      held: Map<string, HeldTrace>;
      /** The peers the file shows serving requests (for the findings of its held traces). */
      instrumentedPeers: Set<string>;
    }
  | { ok: false; error: string };

export interface ReadOptions {
  maxDecompressedBytes?: number;
  thresholds?: FindingThresholds;
  /**
   * Hears the first rows of a file's one large trace as soon as they can be made: `skimmed`, from a skim of a large
   * OTLP protobuf file before it is decoded (firstRows.ts); else as it is read (see DecodeOptions.rowsRead), its
   * rows prepared then for the panel.
   */
  preview?: (first: WaterfallModel, skimmed: boolean) => void;
}

export function readTraceBytes(input: Uint8Array, options: ReadOptions = {}): FileContents {
  // Decompressed here, so a gzipped file is skimmed too.
  const inflated = gunzipped(input, options.maxDecompressedBytes);
  if (!('bytes' in inflated)) return inflated;
  const { bytes } = inflated;
  let early: PreparedTrace | undefined;
  const { preview } = options;
  const skimmed = preview && skimmedFirstRows(bytes);
  if (skimmed) preview(skimmed, true);
  // The trees the structure check built, used again below (unless clock skew moved spans).
  const checked = new Map<Trace, SpanTree>();
  const rowsRead = (traces: readonly Trace[], trees: readonly (SpanTree | undefined)[]) => {
    traces.forEach((trace, k) => trees[k] && checked.set(trace, trees[k]));
    if (!preview || skimmed || traces.length !== 1 || traces[0].spans.length <= PREVIEW_ABOVE) return;
    early = prepareTrace(traces[0], trees[0]);
    preview(previewModel(early.model), false);
  };
  const outcome = decodeTraces(bytes, { maxDecompressedBytes: options.maxDecompressedBytes, rowsRead });
  if (!outcome.ok) return outcome;
  const entries: TraceEntry[] = [];
  const copies: Trace[] = [];
  const held = new Map<string, HeldTrace>();
  let copiedSpans = 0;
  // A call is unanswered only to a peer the file shows serving requests.
  const instrumentedPeers = new Set<string>();
  for (const trace of outcome.traces) addInstrumentedPeers(trace, instrumentedPeers);
  for (const trace of outcome.traces) {
    const copied = trace.spans.length <= COPY_SPAN_LIMIT && copiedSpans + trace.spans.length <= COPY_TOTAL_LIMIT;
    const prepared = early?.trace === trace ? early : undefined;
    const tree = prepared?.tree ?? checked.get(trace) ?? buildSpanTree(trace);
    const facts = traceFacts(trace, tree);
    if (copied) {
      copies.push(trace);
      copiedSpans += trace.spans.length;
    } else held.set(trace.traceId, { trace, tree, prepared, facts: prepared ? undefined : facts });
    const findings = copied ? findingsOf(trace, { tree, thresholds: options.thresholds, instrumentedPeers }) : undefined;
    entries.push({ traceId: trace.traceId, spanCount: trace.spans.length, story: traceStory(trace, tree, facts), copied, findings });
  }
  return {
    ok: true,
    format: FORMAT_LABELS[outcome.format],
    entries,
    warnings: outcome.warnings.slice(0, 50).map((w) => w.message),
    rejectedSpans: outcome.rejectedSpans,
    copies,
    held,
    instrumentedPeers,
  };
}

/**
 * A large OTLP file's first rows from a skim of it (firstRows.ts), before it is decoded: a fifth of the time the
 * decode's own first rows take for protobuf, a third for JSON. Undefined where the skim leaves the file to the
 * decode.
 */
function skimmedFirstRows(bytes: Uint8Array): WaterfallModel | undefined {
  if (bytes.length < STAGED_BYTES.min) return undefined;
  const lead = firstSignificantByte(bytes);
  const skimmer = lead === OPEN_OBJECT ? skimOtlpJson : looksLikeOtlpProtobuf(bytes) ? skimOtlpProtobuf : undefined;
  if (!skimmer) return undefined;
  try {
    const skim = skimmer(bytes);
    if ('unread' in skim || skim.count <= PREVIEW_ABOVE) return undefined;
    const first = firstRowsOfSkim(skim);
    return 'unread' in first ? undefined : first;
  } catch {
    // A shortcut only (its columns may not fit in memory, say): the decode still reads the file.
    return undefined;
  }
}

const OPEN_OBJECT = 0x7b;

export function findingsOf(trace: Trace, options: DetectOptions): TraceFinding[] {
  return toTraceFindings(trace, detectFindings(trace, options).findings);
}

/** Copies in messages of about `spansPerMessage` spans: each message is deserialized on its own turn of the host's loop. */
export function copyBatches(copies: Trace[], spansPerMessage = COPY_SPAN_LIMIT): Trace[][] {
  const batches: Trace[][] = [];
  let batch: Trace[] = [];
  let spans = 0;
  for (const trace of copies) {
    if (batch.length && spans + trace.spans.length > spansPerMessage) {
      batches.push(batch);
      batch = [];
      spans = 0;
    }
    batch.push(trace);
    spans += trace.spans.length;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
