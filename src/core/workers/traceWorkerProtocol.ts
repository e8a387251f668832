// The typed contract between the extension host and a trace worker: one method per request, its parameters, the
// partial answers it streams (if any) and its final answer. Typed arrays cross as transferred buffers.
import type { MessagePort } from 'node:worker_threads';
import type { FindingThresholds } from '../analysis/findings/thresholds';
import type { TraceFinding } from '../analysis/findings/traceFinding';
import type { Span, Trace } from '../model/trace';
import type { WaterfallModel } from '../waterfall/rows';
import type { ColumnPart, RowsCrossing } from '../waterfall/columnParts';
import type { SpanDetails } from '../waterfall/spanDetails';
import type { SpanDigest } from '../stats/spanDigest';
import type { TraceEntry } from './traceFile';
import type { TraceFileFormat } from '../formats/traceFileBytes';

export type OpenAnswer = { ok: true; format: string; entries: TraceEntry[]; warnings: string[]; rejectedSpans: number } | { ok: false; error: string };

export interface TraceWorkerMethods {
  /**
   * Reads a file (by path, its bytes, or bytes another thread posted into `port`): small traces stream back whole
   * as partial answers, large ones stay. With
   * `preview`, a file's one large trace sends its first rows as soon as they are made. `crash` is a test hook: the
   * thread dies mid-open, as it would of a decoder's bug.
   */
  open: {
    params: {
      file?: string;
      bytes?: Uint8Array;
      port?: MessagePort;
      maxDecompressedBytes?: number;
      thresholds?: FindingThresholds;
      preview?: boolean;
      crash?: boolean;
    };
    /** `skimmed`: the first rows were made from a skim of the file, before it was decoded (firstRows.ts). */
    partial: { copies: Trace[] } | { preview: WaterfallModel; skimmed: boolean };
    result: OpenAnswer;
  };
  /**
   * The waterfall's rows of a held trace; every trace of the file but this one is let go. A large trace's come
   * as they will cross to the page (its first rows, its columns in parts), made here.
   */
  prepare: { params: { traceId: string }; partial: never; result: { model: WaterfallModel } | { crossing: RowsCrossing & { parts: ColumnPart[] } } };
  /** One span's details, and the span itself (the host maps it to code). */
  details: { params: { span: number }; partial: never; result: { details?: SpanDetails; span?: Span } };
  /** Matching rows, a slice at a time; a newer search ends an older one. */
  search: { params: { query: string }; partial: Int32Array; result: null };
  /** The rows of spans by id (-1 where the trace has no such span). */
  rowsOf: { params: { spanIds: string[] }; partial: never; result: Int32Array };
  /** What the code statistics need of the prepared trace's spans (asked after it shows). */
  digest: { params: null; partial: never; result: SpanDigest };
  /** The prepared trace's findings (asked after it shows: the rows come first). */
  findings: { params: null; partial: never; result: TraceFinding[] };
  /** The prepared trace as a file's bytes (traceFileBytes.ts). */
  fileBytes: { params: { format: TraceFileFormat }; partial: never; result: Uint8Array };
  /** Lets go of the file: the thread is kept for the next one (compiled, it decodes in half the time of a new one). */
  forget: { params: null; partial: never; result: null };
}
