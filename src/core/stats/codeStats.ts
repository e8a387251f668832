// Per code location: calls, errors, latency quantiles (LatencySketch, ≤ 1% relative error) and exemplar traces
// (the slowest, the latest failing). A span counts at its most trusted clue that resolves; clues that resolve
// nowhere are kept with the reason, for "Show Unresolved Code Locations" and the CLI's `unresolved`.
import { codeClues, errorClues, type CodeClue } from '../code/codeClues';
import { isError, type Trace } from '../model/trace';
import { LatencySketch } from './latencySketch';

export interface CodeLocation {
  /** Absolute path of a workspace file. */
  file: string;
  /** 1-based line the clue points at, when it names one. */
  line?: number;
  function?: string;
}

export type ClueResolution = CodeLocation | { unresolved: string };

export interface Exemplar {
  traceId: string;
  durationNs: number;
  /** Epoch ns of the span's end. */
  endUnixNano: bigint;
}

export interface LocationStats {
  location: CodeLocation;
  sketch: LatencySketch;
  errorCount: number;
  slowest?: Exemplar;
  latestFailing?: Exemplar & { message?: string; exceptionType?: string };
}

export interface UnresolvedClue {
  clue: string;
  reason: string;
  count: number;
}

export function describeClue(clue: CodeClue): string {
  switch (clue.kind) {
    case 'file':
      return `${clue.path}${clue.line ? `:${clue.line}` : ''} (${clue.from})`;
    case 'symbol':
      return `function ${clue.name}`;
    case 'route':
      return `route ${clue.route}`;
  }
}

function key(location: CodeLocation): string {
  return `${location.file}\u0000${location.line ?? ''}`;
}

export class CodeStats {
  private readonly stats = new Map<string, LocationStats>();
  private readonly errorStats = new Map<string, LocationStats>();
  private readonly missing = new Map<string, UnresolvedClue>();

  constructor(private readonly resolve: (clue: CodeClue) => ClueResolution) {}

  addTrace(trace: Trace): void {
    for (const span of trace.spans) {
      const endUnixNano = trace.startUnixNano + BigInt(span.startNs + span.durationNs);
      const exemplar: Exemplar = { traceId: trace.traceId, durationNs: span.durationNs, endUnixNano };
      const location = this.locate(codeClues(span));
      if (location) this.record(this.stats, location, span.durationNs, isError(span), exemplar);
      if (isError(span)) {
        const failedAt = this.locate(errorClues(span));
        const exception = span.events.find((e) => e.name === 'exception')?.attributes;
        if (failedAt) {
          const entry = this.record(this.errorStats, failedAt, span.durationNs, true, exemplar);
          const message = typeof exception?.['exception.message'] === 'string' ? exception['exception.message'] : span.status.message;
          const type = typeof exception?.['exception.type'] === 'string' ? exception['exception.type'] : undefined;
          if (entry.latestFailing?.traceId === trace.traceId) entry.latestFailing = { ...entry.latestFailing, message, exceptionType: type };
        }
      }
    }
  }

  private locate(clues: CodeClue[]): CodeLocation | undefined {
    for (const clue of clues) {
      const resolved = this.resolve(clue);
      if ('file' in resolved) return resolved;
      const description = describeClue(clue);
      const entry = this.missing.get(description);
      if (entry) entry.count++;
      else this.missing.set(description, { clue: description, reason: resolved.unresolved, count: 1 });
    }
    return undefined;
  }

  private record(into: Map<string, LocationStats>, location: CodeLocation, durationNs: number, failed: boolean, exemplar: Exemplar): LocationStats {
    const k = key(location);
    let entry = into.get(k);
    if (!entry) into.set(k, (entry = { location, sketch: new LatencySketch(), errorCount: 0 }));
    entry.sketch.add(durationNs);
    if (!entry.slowest || durationNs > entry.slowest.durationNs) entry.slowest = exemplar;
    if (failed) {
      entry.errorCount++;
      if (!entry.latestFailing || exemplar.endUnixNano > entry.latestFailing.endUnixNano) entry.latestFailing = exemplar;
    }
    return entry;
  }

  /** Latency and error rate where spans run (CodeLens). */
  locations(): LocationStats[] {
    return [...this.stats.values()];
  }

  /** Where failing spans failed (error gutter). */
  failures(): LocationStats[] {
    return [...this.errorStats.values()];
  }

  unresolved(): UnresolvedClue[] {
    return [...this.missing.values()].sort((a, b) => b.count - a.count);
  }
}
