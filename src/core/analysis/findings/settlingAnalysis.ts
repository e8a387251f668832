// Findings for traces that arrive a batch at a time (the receiver): a trace is analysed once no span of it has
// arrived for a moment (a call whose server spans are still on their way is not a broken propagation), and again
// if more spans come, each analysis replacing the one before. A time budget per turn keeps a flood of traces
// from holding the thread: what is left waits for the next turn.
import type { Trace } from '../../model/trace';
import { buildSpanTree, type SpanTree } from '../spanTree';
import { detectFindings } from './detectFindings';
import { addInstrumentedPeers } from './instrumentedPeers';
import { DEFAULT_THRESHOLDS, type FindingThresholds } from './thresholds';
import { toTraceFindings, type TraceFinding } from './traceFinding';

/**
 * Longer than the OpenTelemetry SDKs' default export delay (the batch span processor's 5 s): a service's spans of
 * a trace usually come within it, so a trace is rarely judged without the spans of one of its services.
 */
export const SETTLE_MS = 6_000;
export const BUDGET_MS = 100;

export class SettlingAnalysis {
  /** Traces with spans not analysed yet, and when their last span arrived. */
  private readonly pending = new Map<string, number>();
  private readonly peers = new Set<string>();
  thresholds: FindingThresholds = DEFAULT_THRESHOLDS;

  constructor(
    /** The trace, and its span tree when one was built on the way (a trace read for analysis is checked first). */
    private readonly read: (traceId: string) => { trace: Trace; tree?: SpanTree } | undefined,
    /** Hears of each settled trace with its findings, and its tree for the analyses of settled traces that follow. */
    private readonly publish: (trace: Trace, findings: TraceFinding[], tree: SpanTree) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  touched(traceId: string): void {
    // Re-inserted: the map keeps the least recently touched first, the order they settle in.
    this.pending.delete(traceId);
    this.pending.set(traceId, this.now());
  }

  /** Whether the trace left with spans not analysed yet (it came faster than it could settle and be analysed). */
  removed(traceId: string): boolean {
    return this.pending.delete(traceId);
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** Analyses the traces that have settled, oldest first, until the turn's budget is spent. */
  analyseSettled(): void {
    const started = this.now();
    for (const [traceId, touchedAt] of this.pending) {
      if (started - touchedAt < SETTLE_MS || this.now() - started > BUDGET_MS) return;
      this.pending.delete(traceId);
      const read = this.read(traceId);
      if (!read) continue;
      const { trace } = read;
      addInstrumentedPeers(trace, this.peers);
      const tree = read.tree ?? buildSpanTree(trace);
      const { findings } = detectFindings(trace, { tree, thresholds: this.thresholds, instrumentedPeers: this.peers });
      this.publish(trace, toTraceFindings(trace, findings), tree);
    }
  }
}
