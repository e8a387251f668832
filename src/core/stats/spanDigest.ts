// What the code statistics need of a trace's spans, and nothing else: each span's clues (deduplicated across the
// spans that share them), timing, failure and id, in typed columns. It is what crosses from the receiver's
// worker thread to the extension host: a fraction of the spans' size, cheap to copy, and resolved to code once
// per distinct clue list rather than once per span.
import { codeClues, thrownClue, type CodeClue } from '../code/codeClues';
import { isError, type Trace } from '../model/trace';

export interface ClueSet {
  clues: CodeClue[];
  /** Where the exception was thrown (failing spans only). */
  thrown?: CodeClue;
}

export interface TraceDigest {
  traceId: string;
  startUnixNano: bigint;
  clueSets: ClueSet[];
  /** Per span: its index into clueSets. */
  clueSet: Int32Array;
  /** Nanoseconds from startUnixNano. */
  startNs: Float64Array;
  durationNs: Float64Array;
  /** 1 for a failing span. */
  error: Uint8Array;
  spanIds: string[];
  /** Failing spans: the exception's message (else the status message) and type. */
  failures: ({ message?: string; type?: string } | undefined)[];
}

/** Equal for equal clues; cheaper than JSON.stringify for all but stacks (which only failing spans carry). */
function clueKey(clue: CodeClue | undefined): string {
  if (!clue) return '';
  switch (clue.kind) {
    case 'route':
      return `r\u0000${clue.method ?? ''}\u0000${clue.route}`;
    case 'symbol':
      return `s\u0000${clue.name}`;
    case 'file':
      return `f\u0000${clue.path}\u0000${clue.line ?? ''}\u0000${clue.column ?? ''}\u0000${clue.function ?? ''}\u0000${clue.from}`;
    default:
      return JSON.stringify(clue);
  }
}

function failureOf(span: Trace['spans'][number]): { message?: string; type?: string } {
  const exception = span.events.find((e) => e.name === 'exception')?.attributes;
  const message = typeof exception?.['exception.message'] === 'string' ? exception['exception.message'] : span.status.message;
  const type = typeof exception?.['exception.type'] === 'string' ? exception['exception.type'] : undefined;
  return { message, type };
}

export function digestTrace(trace: Trace): TraceDigest {
  const n = trace.spans.length;
  const digest: TraceDigest = {
    traceId: trace.traceId,
    startUnixNano: trace.startUnixNano,
    clueSets: [],
    clueSet: new Int32Array(n),
    startNs: new Float64Array(n),
    durationNs: new Float64Array(n),
    error: new Uint8Array(n),
    spanIds: new Array<string>(n),
    failures: new Array<{ message?: string; type?: string } | undefined>(n),
  };
  const setIndex = new Map<string, number>();
  trace.spans.forEach((span, i) => {
    const failed = isError(span);
    const clues = codeClues(span);
    const thrown = failed ? thrownClue(span) : undefined;
    let key = clueKey(thrown);
    for (const clue of clues) key += `\u0001${clueKey(clue)}`;
    let index = setIndex.get(key);
    if (index === undefined) setIndex.set(key, (index = digest.clueSets.push({ clues, thrown }) - 1));
    digest.clueSet[i] = index;
    digest.startNs[i] = span.startNs;
    digest.durationNs[i] = span.durationNs;
    digest.error[i] = failed ? 1 : 0;
    digest.spanIds[i] = span.spanId;
    digest.failures[i] = failed ? failureOf(span) : undefined;
  });
  return digest;
}

/** The buffers of a digest's columns, to transfer rather than copy. */
export function digestBuffers(digest: TraceDigest): ArrayBuffer[] {
  return [digest.clueSet, digest.startNs, digest.durationNs, digest.error].map((column) => column.buffer as ArrayBuffer);
}
