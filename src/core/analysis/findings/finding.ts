// A finding: a known problem pattern found in one trace, by the detectors in this folder. Spans are indices into
// the trace's spans (the detectors run where the trace is); `traceFindings` turns them into ids and code clues
// that travel (to the extension host, the CLI's JSON, the aggregate over many traces).

export const FINDING_KINDS = [
  'n-plus-one-query',
  'calls-in-loop',
  'sequential-calls',
  'retry-storm',
  'broken-propagation',
  'failure-origin',
  'bottleneck',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What each kind is called where a person reads it. */
export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  'n-plus-one-query': 'N+1 query',
  'calls-in-loop': 'Calls in a loop',
  'sequential-calls': 'Sequential calls',
  'retry-storm': 'Retry storm',
  'broken-propagation': 'Broken propagation',
  'failure-origin': 'Failure origin',
  bottleneck: 'Bottleneck',
};

export type FindingSeverity = 'info' | 'warning' | 'error';

export interface Finding {
  kind: FindingKind;
  severity: FindingSeverity;
  /** One line, e.g. "N+1 query: 12 × SELECT price FROM products WHERE id = ? (210 ms)". */
  title: string;
  /** The spans involved (the repeats, the attempts, the failure chain…), in time order. */
  spans: number[];
  /**
   * Where the fix goes in code: the loop's span (the repeats' parent) for repeats; the span itself otherwise.
   * `call` is the repeated call's own span, when there is one.
   */
  anchor: number;
  call?: number;
  /** Stable across traces: the same problem in 1,000 traces is one fingerprint. */
  fingerprint: string;
  /** Time the pattern took, and what fixing it would save (a batch saves all but the longest repeat). */
  durationNs: number;
  savingNs?: number;
}

/** FNV-1a, 64-bit, as hex: a short stable fingerprint of a finding's identifying parts (no crypto needed). */
export function fingerprintOf(...parts: (string | undefined)[]): string {
  let hash = 0xcbf29ce484222325n;
  const text = parts.map((p) => p ?? '').join('\u0000');
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = BigInt.asUintN(64, hash * 0x100000001b3n);
  }
  return hash.toString(16).padStart(16, '0');
}
