// When a pattern counts as a finding: named defaults with their sources (../shared/notes/analysis.md §1), each a
// setting (traceLens.findings.*) and a CLI option. Below a threshold a pattern is noise, and noise is not shown.
import type { FindingKind } from './finding';

export interface FindingThresholds {
  /** N+1 queries (Sentry): repeats of one statement under one parent, and their summed time. */
  queryRepeats: number;
  queryTotalMs: number;
  /** Calls in a loop (back-end N+1 API calls): repeats of one endpoint under one parent, and their summed time. */
  callRepeats: number;
  callTotalMs: number;
  /** Sequential queries (Sentry's consecutive DB rule): each at least this long, saving this share of the trace. */
  sequentialQueryMs: number;
  sequentialShare: number;
  /** Sequential HTTP calls (Sentry's consecutive HTTP rule): this many, each this long, saving this much. */
  sequentialCalls: number;
  sequentialCallMs: number;
  sequentialSavingMs: number;
  /** Retries: attempts of one call in a row that make a storm. */
  retryAttempts: number;
  /**
   * The bottleneck is named when its own time on the critical path is at least this share of a trace that took
   * at least this long (in a 5 µs trace, or one with a single span, some span always takes most of it).
   */
  bottleneckShare: number;
  bottleneckTraceMs: number;
  /** Kinds turned off. */
  disabled: readonly FindingKind[];
}

export const DEFAULT_THRESHOLDS: FindingThresholds = {
  queryRepeats: 5,
  queryTotalMs: 50,
  callRepeats: 5,
  callTotalMs: 100,
  sequentialQueryMs: 30,
  sequentialShare: 0.1,
  sequentialCalls: 4,
  sequentialCallMs: 500,
  sequentialSavingMs: 2_000,
  retryAttempts: 3,
  bottleneckShare: 0.5,
  bottleneckTraceMs: 100,
  disabled: [],
};

export const MS = 1_000_000;
