// What the code statistics need of spans, and nothing else: each span's clues (deduplicated across the spans that
// share them), timing, failure and trace in columns, and the ids of the spans an exemplar may name. It is what
// crosses from the receiver's worker thread to the extension host, one message per stored batch: a fraction of the
// spans' size, cheap to copy, and resolved to code once per distinct clue list rather than once per span.
import type { CodeClue } from '../code/codeClues';
import { isError, type Span, type Trace } from '../model/trace';
import { ClueMemo } from './clueMemo';
import { ClueSetIndex } from './clueSetIndex';

export interface ClueSet {
  clues: CodeClue[];
  /** Where the exception was thrown (failing spans only). */
  thrown?: CodeClue;
}

export interface SpanDigest {
  /** The traces the spans belong to, each with the time base of its spans' starts. */
  traces: { traceId: string; startUnixNano: bigint }[];
  /** Per span: its index into traces. */
  trace: Int32Array;
  clueSets: ClueSet[];
  /**
   * Per clue set: the id its builder gives an equal set in every digest it makes, so that whoever takes in a
   * stream of digests knows a set it met before without reading it (see CodeStats.share).
   */
  setIds: number[];
  /** Names the builder (at random): set ids mean something only among the digests of one builder. */
  builder: number;
  /** Per span: its index into clueSets. */
  clueSet: Int32Array;
  /** Nanoseconds from its trace's startUnixNano. */
  startNs: Float64Array;
  durationNs: Float64Array;
  /** 1 for a failing span. */
  error: Uint8Array;
  /**
   * By span index, the ids of the spans that can become an exemplar (see CodeStats): every failing span, and the
   * first of the slowest spans of each clue set. Every span's id made a digest's largest part: 16 MB of text per
   * million spans for the extension host to take in, where a few thousand are ever shown.
   */
  spanIds: Map<number, string>;
  /** Failing spans (by index): the exception's message (else the status message) and type. */
  failures: Map<number, { message?: string; type?: string }>;
}

/** Undefined for a span that cannot become an exemplar (see `spanIds`). */
export function spanIdAt(digest: SpanDigest, i: number): string | undefined {
  return digest.spanIds.get(i);
}

function failureOf(span: Span): { message?: string; type?: string } {
  const exception = span.events.find((e) => e.name === 'exception')?.attributes;
  const message = typeof exception?.['exception.message'] === 'string' ? exception['exception.message'] : span.status.message;
  const type = typeof exception?.['exception.type'] === 'string' ? exception['exception.type'] : undefined;
  return { message, type };
}

/**
 * Collects the spans of traces as they are stored (their numbers are read at once: a store may later move a
 * trace's time base) and hands them over as one digest.
 */
export class DigestBuilder {
  private traces: SpanDigest['traces'] = [];
  private clueSets: ClueSet[] = [];
  private readonly setIndex = new ClueSetIndex();
  private readonly memo = new ClueMemo();
  private setIds: number[] = [];
  private readonly id = Math.random();
  private readonly number = (set: ClueSet, id: number) => (this.setIds.push(id), this.clueSets.push(set) - 1);
  private trace: number[] = [];
  private clueSet: number[] = [];
  private startNs: number[] = [];
  private durationNs: number[] = [];
  private error: number[] = [];
  private spanIds: SpanDigest['spanIds'] = new Map();
  /** Per clue set (by its number in this digest): its first slowest span so far, and that span's id. */
  private slowest: number[] = [];
  private slowestId: string[] = [];
  private failures: SpanDigest['failures'] = new Map();

  add(trace: Trace): this {
    const traceIndex = this.traces.push({ traceId: trace.traceId, startUnixNano: trace.startUnixNano }) - 1;
    for (const span of trace.spans) {
      const failed = isError(span);
      const set = failed ? this.memo.failingSetOf(span) : this.memo.setOf(span);
      const number = this.setIndex.numberOf(set, this.number);
      const i = this.trace.push(traceIndex) - 1;
      this.clueSet.push(number);
      this.startNs.push(span.startNs);
      this.durationNs.push(span.durationNs);
      this.error.push(failed ? 1 : 0);
      if (failed) {
        this.failures.set(i, failureOf(span));
        this.spanIds.set(i, span.spanId);
      }
      const slowest = this.slowest[number];
      if (slowest === undefined || span.durationNs > this.durationNs[slowest]) {
        this.slowest[number] = i;
        this.slowestId[number] = span.spanId;
      }
    }
    return this;
  }

  get empty(): boolean {
    return this.traces.length === 0;
  }

  /** The digest of everything added since the last take. */
  take(): SpanDigest {
    this.slowest.forEach((i, number) => this.spanIds.set(i, this.slowestId[number]));
    const digest: SpanDigest = {
      traces: this.traces,
      // Made by the constructors, which copy an array directly: `from` walks it with an iterator, an object a value.
      trace: new Int32Array(this.trace),
      clueSets: this.clueSets,
      setIds: this.setIds,
      builder: this.id,
      clueSet: new Int32Array(this.clueSet),
      startNs: new Float64Array(this.startNs),
      durationNs: new Float64Array(this.durationNs),
      error: new Uint8Array(this.error),
      spanIds: this.spanIds,
      failures: this.failures,
    };
    this.traces = [];
    this.clueSets = [];
    this.setIds = [];
    this.setIndex.restart();
    this.trace = [];
    this.clueSet = [];
    this.startNs = [];
    this.durationNs = [];
    this.error = [];
    this.spanIds = new Map();
    this.slowest = [];
    this.slowestId = [];
    this.failures = new Map();
    return digest;
  }
}

export function digestTrace(trace: Trace): SpanDigest {
  return new DigestBuilder().add(trace).take();
}
