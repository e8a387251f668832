// Runs every detector that is not turned off over one trace. A detector that throws (a bug meeting hostile data)
// costs only its own findings, and says so: the others still answer.
import type { Trace } from '../../model/trace';
import { buildSpanTree, type SpanTree } from '../spanTree';
import { bottlenecks } from './bottleneck';
import { brokenPropagation } from './brokenPropagation';
import { CallIndex } from './callIndex';
import { callsInLoops } from './callsInLoop';
import type { Detector } from './detectorContext';
import { failureChains } from './failureChain';
import type { Finding, FindingKind } from './finding';
import { nPlusOneQueries } from './nPlusOneQuery';
import { retryStorms } from './retryStorm';
import { sequentialCalls } from './sequentialCalls';
import { DEFAULT_THRESHOLDS, type FindingThresholds } from './thresholds';

const DETECTORS: Record<FindingKind, Detector> = {
  'n-plus-one-query': nPlusOneQueries,
  'calls-in-loop': callsInLoops,
  'sequential-calls': sequentialCalls,
  'retry-storm': retryStorms,
  'broken-propagation': brokenPropagation,
  'failure-origin': failureChains,
  bottleneck: bottlenecks,
};

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };

export interface DetectOptions {
  tree?: SpanTree;
  thresholds?: FindingThresholds;
  instrumentedPeers?: ReadonlySet<string>;
}

export interface Detected {
  findings: Finding[];
  /** Detectors that failed on this trace, with why. */
  problems: string[];
}

/** The trace's findings, most severe first, then by the time they cost. */
export function detectFindings(trace: Trace, options: DetectOptions = {}): Detected {
  const steps = detectionSteps(trace, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * detectFindings a detector at a time: it yields after the call index and after each detector, so a thread with
 * other work (the receiver's, asked for a trace's first rows) can do it between them. The trace must not change
 * until it returns.
 */
export function* detectionSteps(trace: Trace, options: DetectOptions = {}): Generator<void, Detected> {
  const context = {
    trace,
    tree: options.tree ?? buildSpanTree(trace),
    calls: new CallIndex(trace),
    thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
    instrumentedPeers: options.instrumentedPeers ?? new Set<string>(),
  };
  const findings: Finding[] = [];
  const problems: string[] = [];
  for (const [kind, detect] of Object.entries(DETECTORS) as [FindingKind, Detector][]) {
    if (context.thresholds.disabled.includes(kind)) continue;
    yield;
    try {
      findings.push(...detect(context));
    } catch (error) {
      problems.push(`${kind}: ${(error as Error).message}`);
    }
  }
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.durationNs - a.durationNs);
  return { findings, problems };
}
