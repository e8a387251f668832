// Findings for traces that arrive a batch at a time (the receiver): a trace is analysed once no span of it has
// arrived for a moment (a call whose server spans are still on their way is not a broken propagation), and again
// if more spans come, each analysis replacing the one before. A time budget per turn keeps a flood of traces
// from holding the thread: what is left waits for the next turn. A large trace is analysed a step at a time, the
// thread free for other work between steps: a 100k-span trace's analysis held the receiver's thread for about a
// second, and a user opening that trace as it settled waited that second for its first rows.
import type { Trace } from '../../model/trace';
import { buildSpanTree, type SpanTree } from '../spanTree';
import { detectionSteps } from './detectFindings';
import { addInstrumentedPeers } from './instrumentedPeers';
import { DEFAULT_THRESHOLDS, type FindingThresholds } from './thresholds';
import { toTraceFindings, type TraceFinding } from './traceFinding';

/**
 * Longer than the OpenTelemetry SDKs' default export delay (the batch span processor's 5 s): a service's spans of
 * a trace usually come within it, so a trace is rarely judged without the spans of one of its services.
 */
export const SETTLE_MS = 6_000;
export const BUDGET_MS = 100;
/** How long the analysis holds the thread before it lets other work in (within a turn's budget). */
export const SLICE_MS = 10;

interface InProgress {
  traceId: string;
  steps: Generator<void, void>;
}

export class SettlingAnalysis {
  /** Traces with spans not analysed yet, and when their last span arrived. */
  private readonly pending = new Map<string, number>();
  private readonly peers = new Set<string>();
  thresholds: FindingThresholds = DEFAULT_THRESHOLDS;
  /** The trace being analysed, between two of its steps. */
  private current: InProgress | undefined;
  private turnStarted = 0;
  /** A slice of this turn is scheduled: the turn goes on in it. */
  private continuing = false;

  constructor(
    /** The trace, and its span tree when one was built on the way (a trace read for analysis is checked first). */
    private readonly read: (traceId: string) => { trace: Trace; tree?: SpanTree } | undefined,
    /** Hears of each settled trace with its findings, and its tree for the analyses of settled traces that follow. */
    private readonly publish: (trace: Trace, findings: TraceFinding[], tree: SpanTree) => void,
    private readonly now: () => number = () => performance.now(),
    /** Runs the rest of a turn after the thread's waiting work. */
    private readonly later: (next: () => void) => void = (next) => setImmediate(next),
  ) {}

  touched(traceId: string): void {
    // Its analysis so far read spans that changed since: it starts again once the trace settles again.
    if (this.current?.traceId === traceId) this.current = undefined;
    // Re-inserted: the map keeps the least recently touched first, the order they settle in.
    this.pending.delete(traceId);
    this.pending.set(traceId, this.now());
  }

  /** Whether the trace left with spans not analysed yet (it came faster than it could settle and be analysed). */
  removed(traceId: string): boolean {
    const interrupted = this.current?.traceId === traceId;
    if (interrupted) this.current = undefined;
    return this.pending.delete(traceId) || interrupted;
  }

  get waiting(): number {
    return this.pending.size + (this.current ? 1 : 0);
  }

  /** Analyses the traces that have settled, oldest first, until the turn's budget is spent. */
  analyseSettled(): void {
    if (this.continuing) return;
    this.turnStarted = this.now();
    this.slice();
  }

  private slice(): void {
    const started = this.now();
    while (this.current || this.startNext()) {
      const now = this.now();
      if (now - this.turnStarted > BUDGET_MS) return;
      if (now - started > SLICE_MS) return this.continueLater();
      if (this.current!.steps.next().done) this.current = undefined;
    }
  }

  private continueLater(): void {
    this.continuing = true;
    this.later(() => {
      this.continuing = false;
      this.slice();
    });
  }

  /** The oldest settled trace's analysis, made current; false when none has settled. */
  private startNext(): boolean {
    const first = this.pending.entries().next();
    if (first.done || this.now() - first.value[1] < SETTLE_MS) return false;
    const [traceId] = first.value;
    this.pending.delete(traceId);
    this.current = { traceId, steps: this.steps(traceId) };
    return true;
  }

  private *steps(traceId: string): Generator<void, void> {
    const read = this.read(traceId);
    if (!read) return;
    yield;
    const { trace } = read;
    addInstrumentedPeers(trace, this.peers);
    const tree = read.tree ?? buildSpanTree(trace);
    yield;
    const { findings } = yield* detectionSteps(trace, { tree, thresholds: this.thresholds, instrumentedPeers: this.peers });
    this.publish(trace, toTraceFindings(trace, findings), tree);
  }
}
