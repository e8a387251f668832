// A finding in a form that travels: span ids instead of indices, and the code clues of the place a fix goes
// (the loop's span, or the failing span's raising line) and of the repeated call. Structured-clone and JSON
// safe, so it crosses from a worker to the extension host, into the CLI's --json, and into the aggregate.
import { codeClues, errorClues, type CodeClue } from '../../code/codeClues';
import type { Trace } from '../../model/trace';
import type { Finding, FindingKind, FindingSeverity } from './finding';

/** A finding over 100k repeats names the first of them; the count says how many there were. */
const MAX_SPAN_IDS = 500;

export interface TraceFinding {
  kind: FindingKind;
  severity: FindingSeverity;
  title: string;
  fingerprint: string;
  traceId: string;
  spanIds: string[];
  spanCount: number;
  anchorSpanId: string;
  callSpanId?: string;
  /** The service of the span a fix goes in. */
  service: string;
  durationNs: number;
  savingNs?: number;
  /** Where a fix goes (the loop, the raising line) and where the repeated call is made. */
  anchorClues: CodeClue[];
  callClues: CodeClue[];
}

export function toTraceFindings(trace: Trace, findings: Finding[]): TraceFinding[] {
  return findings.map((finding) => {
    const anchor = trace.spans[finding.anchor];
    const call = finding.call === undefined ? undefined : trace.spans[finding.call];
    return {
      kind: finding.kind,
      severity: finding.severity,
      title: finding.title,
      fingerprint: finding.fingerprint,
      traceId: trace.traceId,
      spanIds: finding.spans.slice(0, MAX_SPAN_IDS).map((i) => trace.spans[i].spanId),
      spanCount: finding.spans.length,
      anchorSpanId: anchor.spanId,
      callSpanId: call?.spanId,
      service: anchor.resource.serviceName,
      durationNs: finding.durationNs,
      savingNs: finding.savingNs,
      anchorClues: finding.kind === 'failure-origin' ? errorClues(anchor) : codeClues(anchor),
      callClues: call ? codeClues(call) : [],
    };
  });
}
