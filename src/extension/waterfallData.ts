// What a waterfall panel asks about its trace, wherever the trace is: prepared here (traces the host already holds:
// received, loaded from a backend, small files) or held by the worker thread that decoded its file.
import type { Span, Trace } from '../core/model/trace';
import { describeSpan } from '../core/waterfall/describeSpan';
import { prepareTrace, type PreparedTrace } from '../core/waterfall/prepareTrace';
import type { WaterfallModel } from '../core/waterfall/rows';
import type { ColumnPart, RowsCrossing } from '../core/waterfall/columnParts';
import { searchSlices } from '../core/waterfall/searchRows';
import { rowsOfSpans } from '../core/waterfall/spanRows';
import type { TraceFinding } from '../core/analysis/findings/traceFinding';
import type { SpanDetails } from '../core/waterfall/spanDetails';
import type { SpanDigest } from '../core/stats/spanDigest';
import type { TraceWorker } from './traceWorkers';
import { traceFileBytes, type TraceFileFormat } from '../core/formats/traceFileBytes';

/** Its parts a list, not a generator: each page that loads is sent them all. */
type HeldCrossing = RowsCrossing & { parts: readonly ColumnPart[] };

export interface WaterfallData {
  /** A large trace's first rows (`totalRows` says how many it has) when it comes with its `crossing`. */
  readonly model: WaterfallModel;
  /** A large trace's rows as its worker made them to cross to the page (see RowsCrossing), kept for a page that loads again. */
  readonly crossing?: HeldCrossing;
  details(index: number): Promise<{ details?: SpanDetails; span?: Span }>;
  /** Matching rows in row order, a slice at a time (first matches first); a newer search ends this one. */
  search(query: string, rows: (slice: Int32Array) => void): Promise<void>;
  /** The rows of spans by id: -1 where the trace has no such span. */
  rowsOf(spanIds: readonly string[]): Promise<Int32Array>;
  /** What the code statistics need of its spans, for a trace the host does not hold (else undefined). */
  digest(): Promise<SpanDigest | undefined>;
  /** The findings of a trace the host does not hold (else undefined: the host found them when it got the trace). */
  findings(): Promise<TraceFinding[] | undefined>;
  /** The trace as a file's bytes (traceFileBytes.ts): what a user saves. */
  fileBytes(format: TraceFileFormat): Promise<Uint8Array>;
  /** Called if the trace is lost while shown (its worker stopped). */
  onLost(listener: (reason: string) => void): void;
  dispose(): void;
}

export class HostWaterfall implements WaterfallData {
  private readonly prepared: PreparedTrace;
  private latestSearch = 0;

  constructor(trace: Trace) {
    this.prepared = prepareTrace(trace);
  }

  get model(): WaterfallModel {
    return this.prepared.model;
  }

  async details(index: number): Promise<{ details?: SpanDetails; span?: Span }> {
    return { details: describeSpan(this.prepared, index), span: this.prepared.trace.spans[index] };
  }

  /** Sliced like the worker's, yielding to the host's loop between slices. */
  async search(query: string, rows: (slice: Int32Array) => void): Promise<void> {
    const id = ++this.latestSearch;
    for (const slice of searchSlices(this.prepared, query)) {
      if (id !== this.latestSearch) return;
      if (slice.length) rows(slice);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async rowsOf(spanIds: readonly string[]): Promise<Int32Array> {
    return rowsOfSpans(this.prepared, spanIds);
  }

  async digest(): Promise<undefined> {
    return undefined;
  }

  async findings(): Promise<undefined> {
    return undefined;
  }

  async fileBytes(format: TraceFileFormat): Promise<Uint8Array> {
    return traceFileBytes(this.prepared.trace, format);
  }

  onLost(): void {
    // A trace on the host cannot be lost while its panel holds it.
  }

  dispose(): void {}
}

export class WorkerWaterfall implements WaterfallData {
  private constructor(
    private readonly worker: TraceWorker,
    readonly model: WaterfallModel,
    readonly crossing?: HeldCrossing,
  ) {}

  /** Prepares the trace's rows in its worker; the columns arrive as transferred buffers. Cancelling ends the worker. */
  static async prepare(worker: TraceWorker, traceId: string, signal?: AbortSignal): Promise<WorkerWaterfall> {
    const prepared = await worker.request('prepare', { traceId }, { signal });
    return 'model' in prepared ? new WorkerWaterfall(worker, prepared.model) : new WorkerWaterfall(worker, prepared.crossing.preview, prepared.crossing);
  }

  details(index: number): Promise<{ details?: SpanDetails; span?: Span }> {
    return this.worker.request('details', { span: index });
  }

  async search(query: string, rows: (slice: Int32Array) => void): Promise<void> {
    await this.worker.request('search', { query }, { partial: rows });
  }

  rowsOf(spanIds: readonly string[]): Promise<Int32Array> {
    return this.worker.request('rowsOf', { spanIds: [...spanIds] });
  }

  findings(): Promise<TraceFinding[]> {
    return this.worker.request('findings', null);
  }

  digest(): Promise<SpanDigest> {
    return this.worker.request('digest', null);
  }

  fileBytes(format: TraceFileFormat): Promise<Uint8Array> {
    return this.worker.request('fileBytes', { format });
  }

  onLost(listener: (reason: string) => void): void {
    this.worker.onStop(listener);
  }

  /** The panel closed: the trace goes, and its thread to the pool. */
  dispose(): void {
    this.worker.release();
  }
}
