// Retry storms (no tool publishes a rule; ../shared/notes/analysis.md §1 proposes this one): attempts of one call
// under one parent, each made after the one before failed (an error, a 5xx or 429, a timeout) or marked by
// `http.request.resend_count`. Three attempts or more make a storm; retries at two levels of one trace multiply
// (3 retries at each of 2 levels = 9 calls to the leaf) and are a storm already. "No backoff": the pauses
// between attempts do not grow (each under 1.5× the one before, or under 10 ms).
import type { Span } from '../../model/trace';
import { formatDuration } from '../formatDuration';
import { callFailed, callLabel, resendCount } from './callFacts';
import { REMOTE_CALL } from './callIndex';
import type { DetectorContext } from './detectorContext';
import { fingerprintOf, type Finding } from './finding';
import { repeatedChildren, totalDuration } from './repeats';

const BACKOFF_GROWTH = 1.5;
/** Pauses shorter than this are no backoff however they vary (a millisecond's jitter doubles a 0.3 ms pause). */
const MIN_BACKOFF_NS = 10_000_000;

interface Attempts {
  parent: number;
  key: string;
  spans: number[];
}

/** Splits one call's repeats into runs of attempts: a call that succeeded ends a run, unless the next says it was resent. */
function attemptRuns(spans: Span[], parent: number, key: string, group: number[]): Attempts[] {
  const runs: Attempts[] = [];
  let run: number[] = [group[0]];
  for (let k = 1; k < group.length; k++) {
    const next = group[k];
    if (callFailed(spans[group[k - 1]]) || resendCount(spans[next]) > 0) run.push(next);
    else {
      if (run.length > 1) runs.push({ parent, key, spans: run });
      run = [next];
    }
  }
  if (run.length > 1) runs.push({ parent, key, spans: run });
  return runs;
}

function withoutBackoff(spans: Span[], attempts: number[]): boolean {
  if (attempts.length < 3) return false;
  let previousGap = -1;
  for (let k = 1; k < attempts.length; k++) {
    const before = spans[attempts[k - 1]];
    const gap = Math.max(0, spans[attempts[k]].startNs - (before.startNs + before.durationNs));
    if (previousGap >= 0 && gap >= BACKOFF_GROWTH * previousGap && gap >= MIN_BACKOFF_NS) return false;
    previousGap = gap;
  }
  return true;
}

export function retryStorms({ trace, tree, calls, thresholds }: DetectorContext): Finding[] {
  const spans = trace.spans;
  const runs: Attempts[] = [];
  for (const { parent, key, group } of repeatedChildren(tree, calls, REMOTE_CALL, 2, false)) runs.push(...attemptRuns(spans, parent, key, group));
  if (!runs.length) return [];
  // Amplification: a run whose loop sits inside an attempt of another run.
  const runOfSpan = new Map<number, Attempts>();
  for (const run of runs) for (const i of run.spans) runOfSpan.set(i, run);
  const amplifiedBy = new Map<Attempts, Attempts>();
  for (const run of runs) {
    for (let up = run.parent; up >= 0; up = tree.parent[up]) {
      const outer = runOfSpan.get(up);
      if (outer && outer !== run) {
        amplifiedBy.set(outer, run);
        break;
      }
    }
  }
  const findings: Finding[] = [];
  for (const run of runs) {
    const inner = amplifiedBy.get(run);
    if (run.spans.length < thresholds.retryAttempts && !inner) continue;
    const failed = run.spans.filter((i) => callFailed(spans[i])).length;
    const noBackoff = withoutBackoff(spans, run.spans);
    const total = totalDuration(spans, run.spans);
    const loop = spans[run.parent];
    const notes = [`${failed} failed`, ...(noBackoff ? ['no backoff'] : []), ...(inner ? [`each retried ${callLabel(spans[inner.spans[0]])} again`] : [])];
    findings.push({
      kind: 'retry-storm',
      severity: inner ? 'error' : 'warning',
      title: `Retry storm: ${run.spans.length} attempts of ${callLabel(spans[run.spans[0]])} (${notes.join(', ')}; ${formatDuration(total)})`,
      spans: run.spans,
      anchor: run.parent,
      call: run.spans[0],
      fingerprint: fingerprintOf('retry-storm', loop.resource.serviceName, loop.name, run.key),
      durationNs: total,
    });
  }
  return findings;
}
