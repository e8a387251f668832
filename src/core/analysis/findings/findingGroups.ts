// Findings across every trace held, grouped by fingerprint: the same problem in 1,000 traces is one group with
// a count, first and last seen, and exemplar traces. Traces come and go (a receiver evicts the oldest), so each
// trace's findings are added once when it arrives and removed when it leaves: nothing is ever rescanned.
import type { FindingKind, FindingSeverity } from './finding';
import type { TraceFinding } from './traceFinding';

const EXEMPLARS = 5;
const SEVERITY_RANK: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

export interface FindingGroup {
  fingerprint: string;
  kind: FindingKind;
  severity: FindingSeverity;
  /** The title in the latest trace that has it. */
  title: string;
  service: string;
  /** Traces that have it, and how many times it occurs in them in all. */
  traces: number;
  occurrences: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** The latest traces' occurrences, newest first. */
  exemplars: TraceFinding[];
}

interface Seen {
  findings: TraceFinding[];
  seenMs: number;
}

export class FindingGroups {
  /** Per fingerprint, the traces that have it. */
  private readonly byFingerprint = new Map<string, Map<string, Seen>>();
  private readonly byTrace = new Map<string, Set<string>>();

  /** A trace's findings (seen at `seenMs`); a trace added again replaces what it had. */
  add(traceId: string, seenMs: number, findings: TraceFinding[]): void {
    this.remove(traceId);
    if (!findings.length) return;
    const fingerprints = new Set<string>();
    for (const finding of findings) {
      let traces = this.byFingerprint.get(finding.fingerprint);
      if (!traces) this.byFingerprint.set(finding.fingerprint, (traces = new Map()));
      const seen = traces.get(traceId);
      if (seen) seen.findings.push(finding);
      else traces.set(traceId, { findings: [finding], seenMs });
      fingerprints.add(finding.fingerprint);
    }
    this.byTrace.set(traceId, fingerprints);
  }

  /** True when the trace had findings. */
  remove(traceId: string): boolean {
    const fingerprints = this.byTrace.get(traceId);
    if (!fingerprints) return false;
    this.byTrace.delete(traceId);
    for (const fingerprint of fingerprints) {
      const traces = this.byFingerprint.get(fingerprint)!;
      traces.delete(traceId);
      if (!traces.size) this.byFingerprint.delete(fingerprint);
    }
    return true;
  }

  /** One trace's findings, as added. */
  ofTrace(traceId: string): TraceFinding[] {
    const fingerprints = this.byTrace.get(traceId) ?? new Set<string>();
    return [...fingerprints].flatMap((f) => this.byFingerprint.get(f)?.get(traceId)?.findings ?? []);
  }

  get size(): number {
    return this.byFingerprint.size;
  }

  /** Most severe first, then the most widespread. */
  groups(): FindingGroup[] {
    const groups: FindingGroup[] = [];
    for (const [fingerprint, traces] of this.byFingerprint) {
      const seen = [...traces.values()].sort((a, b) => b.seenMs - a.seenMs);
      const latest = seen[0].findings[0];
      groups.push({
        fingerprint,
        kind: latest.kind,
        severity: latest.severity,
        title: latest.title,
        service: latest.service,
        traces: traces.size,
        occurrences: seen.reduce((n, s) => n + s.findings.length, 0),
        firstSeenMs: seen[seen.length - 1].seenMs,
        lastSeenMs: seen[0].seenMs,
        exemplars: seen.slice(0, EXEMPLARS).map((s) => s.findings[0]),
      });
    }
    return groups.sort(byImportance);
  }
}

function byImportance(a: FindingGroup, b: FindingGroup): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.traces - a.traces || b.lastSeenMs - a.lastSeenMs;
}

/**
 * The groups of two holders of findings (the receiver's thread, this window's files and backends) as one: a
 * fingerprint both have adds up; what the latest of the two saw names it. A trace is in one holder only.
 */
export function mergeGroups(a: readonly FindingGroup[], b: readonly FindingGroup[]): FindingGroup[] {
  if (!a.length || !b.length) return [...(a.length ? a : b)];
  const merged = new Map(a.map((g) => [g.fingerprint, g]));
  for (const group of b) {
    const other = merged.get(group.fingerprint);
    if (!other) {
      merged.set(group.fingerprint, group);
      continue;
    }
    const [latest, earlier] = group.lastSeenMs >= other.lastSeenMs ? [group, other] : [other, group];
    merged.set(group.fingerprint, {
      ...latest,
      traces: latest.traces + earlier.traces,
      occurrences: latest.occurrences + earlier.occurrences,
      firstSeenMs: Math.min(latest.firstSeenMs, earlier.firstSeenMs),
      exemplars: [...latest.exemplars, ...earlier.exemplars].slice(0, EXEMPLARS),
    });
  }
  return [...merged.values()].sort(byImportance);
}
