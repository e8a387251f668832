// Per code location: calls, errors, latency quantiles (LatencySketch, ≤ 1% relative error) and exemplar traces
// (the slowest, the latest failing). A span counts at its most trusted clue that resolves; clues that resolve
// nowhere are kept with the reason, for "Show Unresolved Code Locations" and the CLI's `unresolved`.
import { codeClues, thrownClue, type CodeClue } from '../code/codeClues';
import { isError, type Span, type Trace } from '../model/trace';
import type { ClueResolution, CodeLocation } from '../code/codeLocation';
import { LatencySketch } from './latencySketch';

export interface Exemplar {
  traceId: string;
  /** The span itself, selected when the trace opens. */
  spanId: string;
  durationNs: number;
  /** Epoch ns of the span's end. */
  endUnixNano: bigint;
}

export interface LocationStats {
  location: CodeLocation;
  sketch: LatencySketch;
  errorCount: number;
  /** The time window the statistics cover: first and last span start, epoch ms. */
  firstSeenMs: number;
  lastSeenMs: number;
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
      return `route ${clue.method ? `${clue.method} ` : ''}${clue.route}`;
    case 'stack':
      return `${clue.frames[0].file}:${clue.frames[0].line ?? '?'} (${clue.from}, ${clue.frames.length} application frame${clue.frames.length === 1 ? '' : 's'})`;
  }
}

function exemplar(trace: Trace, span: Span): Exemplar {
  return {
    traceId: trace.traceId,
    spanId: span.spanId,
    durationNs: span.durationNs,
    endUnixNano: trace.startUnixNano + BigInt(Math.round(span.startNs + span.durationNs)),
  };
}

function lineKey(location: CodeLocation): number {
  return location.line ?? 0;
}

/** Location statistics grouped by file, then by line: a CodeLens call reads one file's entries only. */
type ByFile = Map<string, Map<number, LocationStats>>;

export class CodeStats {
  private readonly stats: ByFile = new Map();
  private readonly errorStats: ByFile = new Map();
  private readonly missing = new Map<string, UnresolvedClue>();
  /** The function names among the unresolved clues, by their description (for the language servers). */
  private readonly missingFunctions = new Map<string, string>();

  constructor(private readonly resolve: (clue: CodeClue) => ClueResolution) {}

  addTrace(trace: Trace): void {
    const traceStartMs = Number(trace.startUnixNano / 1_000_000n);
    for (const span of trace.spans) {
      const location = this.locate(codeClues(span), true);
      if (location) this.record(this.stats, location, trace, span, traceStartMs);
      const failedAt = isError(span) && this.failedAt(span, location, true);
      if (!failedAt) continue;
      const entry = this.record(this.errorStats, failedAt, trace, span, traceStartMs);
      if (entry.latestFailing?.traceId !== trace.traceId) continue;
      const exception = span.events.find((e) => e.name === 'exception')?.attributes;
      const message = typeof exception?.['exception.message'] === 'string' ? exception['exception.message'] : span.status.message;
      const type = typeof exception?.['exception.type'] === 'string' ? exception['exception.type'] : undefined;
      entry.latestFailing = { ...entry.latestFailing, message, exceptionType: type };
    }
  }

  /** Takes spans out again (evicted from the store). Exemplars may still name a trace that is gone. */
  removeTrace(trace: Trace): void {
    for (const span of trace.spans) {
      const location = this.locate(codeClues(span), false);
      if (location) this.unrecord(this.stats, location, span.durationNs, isError(span));
      const failedAt = isError(span) && this.failedAt(span, location, false);
      if (failedAt) this.unrecord(this.errorStats, failedAt, span.durationNs, true);
    }
  }

  /** Where the exception was thrown, else the span's own place (its clues were just counted: not again). */
  private failedAt(span: Span, location: CodeLocation | undefined, count: boolean): CodeLocation | undefined {
    const thrown = thrownClue(span);
    return (thrown && this.locate([thrown], count)) ?? location;
  }

  private locate(clues: CodeClue[], count: boolean): CodeLocation | undefined {
    for (const clue of clues) {
      const resolved = this.resolve(clue);
      if ('file' in resolved) return resolved;
      if (!count) continue;
      const description = describeClue(clue);
      const entry = this.missing.get(description);
      if (entry) entry.count++;
      else {
        this.missing.set(description, { clue: description, reason: resolved.unresolved, count: 1 });
        if (clue.kind === 'symbol') this.missingFunctions.set(description, clue.name);
      }
    }
    return undefined;
  }

  /** Exemplars are built only when a span becomes one: a bigint per span would dominate the cost. */
  private record(into: ByFile, location: CodeLocation, trace: Trace, span: Span, traceStartMs: number): LocationStats {
    let lines = into.get(location.file);
    if (!lines) into.set(location.file, (lines = new Map()));
    let entry = lines.get(lineKey(location));
    if (!entry) lines.set(lineKey(location), (entry = { location, sketch: new LatencySketch(), errorCount: 0, firstSeenMs: Infinity, lastSeenMs: -Infinity }));
    entry.sketch.add(span.durationNs);
    const startMs = traceStartMs + span.startNs / 1e6;
    if (startMs < entry.firstSeenMs) entry.firstSeenMs = startMs;
    if (startMs > entry.lastSeenMs) entry.lastSeenMs = startMs;
    if (!entry.slowest || span.durationNs > entry.slowest.durationNs) entry.slowest = exemplar(trace, span);
    if (isError(span)) {
      entry.errorCount++;
      const candidate = exemplar(trace, span);
      if (!entry.latestFailing || candidate.endUnixNano > entry.latestFailing.endUnixNano) entry.latestFailing = candidate;
    }
    return entry;
  }

  private unrecord(from: ByFile, location: CodeLocation, durationNs: number, failed: boolean): void {
    const lines = from.get(location.file);
    const entry = lines?.get(lineKey(location));
    if (!lines || !entry) return;
    entry.sketch.remove(durationNs);
    if (failed) entry.errorCount = Math.max(0, entry.errorCount - 1);
    if (entry.sketch.count > 0) return;
    lines.delete(lineKey(location));
    if (lines.size === 0) from.delete(location.file);
  }

  /** Latency and error rate where spans run (CodeLens). */
  locations(): LocationStats[] {
    return [...this.stats.values()].flatMap((lines) => [...lines.values()]);
  }

  locationsIn(file: string): LocationStats[] {
    return [...(this.stats.get(file)?.values() ?? [])];
  }

  /** Where failing spans failed (error gutter). */
  failures(): LocationStats[] {
    return [...this.errorStats.values()].flatMap((lines) => [...lines.values()]);
  }

  failuresIn(file: string): LocationStats[] {
    return [...(this.errorStats.get(file)?.values() ?? [])];
  }

  unresolved(): UnresolvedClue[] {
    return [...this.missing.values()].sort((a, b) => b.count - a.count);
  }

  /** Function names no clue resolution could place, most frequent first. */
  unresolvedFunctions(): string[] {
    return this.unresolved().flatMap((u) => this.missingFunctions.get(u.clue) ?? []);
  }
}
