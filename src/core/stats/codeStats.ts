// Per code location: calls, errors, latency quantiles (LatencySketch, ≤ 1% relative error) and exemplar traces
// (the slowest, the latest failing). A span counts at its most trusted clue that resolves; clues that resolve
// nowhere are kept with the reason, for "Show Unresolved Code Locations" and the CLI's `unresolved`.
import type { CodeClue } from '../code/codeClues';
import type { Trace } from '../model/trace';
import type { ClueResolution, CodeLocation } from '../code/codeLocation';
import { LatencySketch } from './latencySketch';
import { clueSetKey } from './clueSetIndex';
import { digestTrace, spanIdAt, type ClueSet, type SpanDigest } from './spanDigest';

/** Kinds of clue set shared (see CodeStats.sets). */
const MAX_SHARED_SETS = 100_000;
/**
 * Kinds of unresolved clue listed one by one; past them, spans count in one entry. A receiver fed a new function
 * name in every span (hostile, or a generated name) would otherwise grow the list without end on the extension
 * host, where a list longer than this helps no one read it.
 */
export const MAX_LISTED_MISSES = 10_000;

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

/** Where the unresolved clues past MAX_LISTED_MISSES kinds count. */
const OTHER_MISSES = 'other clues';

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

function exemplar(digest: SpanDigest, i: number): Exemplar {
  const trace = digest.traces[digest.trace[i]];
  return {
    traceId: trace.traceId,
    spanId: spanIdAt(digest, i)!,
    durationNs: digest.durationNs[i],
    endUnixNano: trace.startUnixNano + BigInt(Math.round(digest.startNs[i] + digest.durationNs[i])),
  };
}

function lineKey(location: CodeLocation): number {
  return location.line ?? 0;
}

/** Location statistics grouped by file, then by line: a CodeLens call reads one file's entries only. */
type ByFile = Map<string, Map<number, LocationStats>>;

/** Where the spans of one clue set ran, and where those of them that failed failed. */
interface Placement {
  location?: CodeLocation;
  failedAt?: CodeLocation;
}

/** A clue that resolved nowhere, as it is counted (see CodeStats.missing). */
interface Miss {
  clue: CodeClue;
  description: string;
  reason: string;
  /** Its entry in `missing`, once a span counted it there. */
  entry?: UnresolvedClue;
}

/** A clue set's placement, with the clues tried on the way that resolved nowhere (each span counts them). */
interface SetPlacement extends Placement {
  misses: Miss[];
  /** The thrown clue, when it resolved nowhere (each failing span counts it). */
  thrownMiss?: Miss;
}

export class CodeStats {
  private readonly stats: ByFile = new Map();
  private readonly errorStats: ByFile = new Map();
  private readonly missing = new Map<string, UnresolvedClue>();
  /** The function names among the unresolved clues, by their description (for the language servers). */
  private readonly missingFunctions = new Map<string, string>();

  /**
   * One clue set of each kind: every batch the receiver sends brings its own copies of the same few sets, and a
   * million spans' worth of copies (and their placements) kept the host's garbage collector busy. Bounded: past
   * this many kinds (hostile data), sets are kept as they came.
   */
  private readonly sets = new Map<string, ClueSet>();
  /** The kept sets by their ids in the digests of `builder` (see SpanDigest.setIds). */
  private builder: number | undefined;
  private byId = new Map<number, ClueSet>();
  /**
   * Each set's placement, found once: every batch the receiver sends holds the same few sets, and resolving their
   * clues again for each (a path's function outline read, a key made per clue, a description per miss) was most of
   * what the extension host did with a batch. The inputs that resolve clues do not change under one CodeStats (when
   * a file is read or a language server places a function, the statistics are built anew), so spans are taken out
   * from where they were counted, and evictions resolve nothing.
   */
  private readonly setPlacements = new WeakMap<ClueSet, SetPlacement>();

  constructor(private readonly resolve: (clue: CodeClue) => ClueResolution) {}

  addTrace(trace: Trace): void {
    this.addDigest(digestTrace(trace));
  }

  /** Takes spans out again (evicted from the store). Exemplars may still name a trace that is gone. */
  removeTrace(trace: Trace): void {
    this.removeDigest(digestTrace(trace));
  }

  /**
   * Adds the digest's spans; with `stored`, only those of its traces flagged 1 there. A range [from, to) adds those
   * spans alone (a digest read a slice at a time, see SlicedBuild): its clue sets are placed when `from` is 0.
   */
  addDigest(digest: SpanDigest, stored?: Uint8Array, from = 0, to = digest.clueSet.length): void {
    const startsMs = digest.traces.map((t) => Number(t.startUnixNano / 1_000_000n));
    if (from === 0) {
      this.share(digest);
      this.countMisses(digest, stored);
    }
    const places = this.placesOf(digest);
    for (let i = from; i < to; i++) {
      if (stored && !stored[digest.trace[i]]) continue;
      const { location, failedAt } = places[digest.clueSet[i]];
      const traceStartMs = startsMs[digest.trace[i]];
      if (location) this.record(this.stats, location, digest, i, traceStartMs);
      if (!digest.error[i] || !failedAt) continue;
      const entry = this.record(this.errorStats, failedAt, digest, i, traceStartMs);
      const latest = entry.latestFailing;
      if (!latest || latest.spanId !== spanIdAt(digest, i) || latest.traceId !== digest.traces[digest.trace[i]].traceId) continue;
      const failure = digest.failures.get(i);
      entry.latestFailing = { ...latest, message: failure?.message, exceptionType: failure?.type };
    }
  }

  /** Takes the digest's spans [from, to) out again (all by default); with `traceIndex`, only those of that trace. */
  removeDigest(digest: SpanDigest, traceIndex?: number, from = 0, to = digest.clueSet.length): void {
    const places = this.placesOf(digest);
    for (let i = from; i < to; i++) {
      if (traceIndex !== undefined && digest.trace[i] !== traceIndex) continue;
      const { location, failedAt } = places[digest.clueSet[i]];
      if (location) this.unrecord(this.stats, location, digest.durationNs[i], digest.error[i] === 1);
      if (digest.error[i] && failedAt) this.unrecord(this.errorStats, failedAt, digest.durationNs[i], true);
    }
  }

  /**
   * Replaces the digest's clue sets with the same sets seen before (see `sets`): known by their ids when the digest
   * comes from the builder the last one came from (the receiver's, batch after batch), else by their keys.
   */
  private share(digest: SpanDigest): void {
    if (digest.builder !== this.builder) {
      this.builder = digest.builder;
      this.byId = new Map();
    }
    digest.clueSets.forEach((set, k) => {
      const id = digest.setIds[k];
      const known = this.byId.get(id) ?? this.shared(set);
      if (!known) return;
      digest.clueSets[k] = known;
      if (this.byId.size < MAX_SHARED_SETS) this.byId.set(id, known);
    });
  }

  /** The set kept for sets equal to `set` (`set` itself when it is the first); none past MAX_SHARED_SETS kinds. */
  private shared(set: ClueSet): ClueSet | undefined {
    const key = clueSetKey(set);
    const known = this.sets.get(key);
    if (known || this.sets.size >= MAX_SHARED_SETS) return known;
    this.sets.set(key, set);
    return set;
  }

  /** Where the spans of each of the digest's clue sets ran and failed (see `setPlacements`). */
  private placesOf(digest: SpanDigest): Placement[] {
    return digest.clueSets.map((set) => this.placementOf(set));
  }

  /**
   * Counts the clues the digest's spans tried that resolved nowhere: once per span that had to try one, the thrown
   * clue once per failing span.
   */
  private countMisses(digest: SpanDigest, stored?: Uint8Array): void {
    const spans = new Int32Array(digest.clueSets.length);
    const failing = new Int32Array(digest.clueSets.length);
    for (let i = 0; i < digest.clueSet.length; i++) {
      if (stored && !stored[digest.trace[i]]) continue;
      spans[digest.clueSet[i]]++;
      failing[digest.clueSet[i]] += digest.error[i];
    }
    digest.clueSets.forEach((set, k) => {
      const placed = this.placementOf(set);
      for (const miss of placed.misses) this.count(miss, spans[k]);
      if (placed.thrownMiss) this.count(placed.thrownMiss, failing[k]);
    });
  }

  private placementOf(set: ClueSet): SetPlacement {
    const known = this.setPlacements.get(set);
    if (known) return known;
    const misses: Miss[] = [];
    const location = this.locate(set.clues, misses);
    // Where the exception was thrown, else the span's own place.
    const thrownMisses: Miss[] = [];
    const thrown = set.thrown && this.locate([set.thrown], thrownMisses);
    const placed: SetPlacement = { location, failedAt: thrown ?? location, misses, thrownMiss: thrownMisses[0] };
    this.setPlacements.set(set, placed);
    return placed;
  }

  /** The first clue that resolves; those tried before it go into `misses`. */
  private locate(clues: CodeClue[], misses: Miss[]): CodeLocation | undefined {
    for (const clue of clues) {
      const resolved = this.resolve(clue);
      if ('file' in resolved) return resolved;
      misses.push({ clue, description: describeClue(clue), reason: resolved.unresolved });
    }
    return undefined;
  }

  private count(miss: Miss, spans: number): void {
    if (!spans) return;
    miss.entry ??= this.missing.get(miss.description) ?? this.listed(miss);
    miss.entry.count += spans;
  }

  /** A new entry for the miss (uncounted), or past MAX_LISTED_MISSES kinds the one the rest count in. */
  private listed({ clue, description, reason }: Miss): UnresolvedClue {
    if (this.missing.size >= MAX_LISTED_MISSES) {
      const others = this.missing.get(OTHER_MISSES);
      if (others) return others;
      const why = `${MAX_LISTED_MISSES.toLocaleString('en-US')} kinds of clue are listed, the rest count here`;
      const entry = { clue: OTHER_MISSES, reason: why, count: 0 };
      this.missing.set(OTHER_MISSES, entry);
      return entry;
    }
    const entry = { clue: description, reason, count: 0 };
    this.missing.set(description, entry);
    if (clue.kind === 'symbol') this.missingFunctions.set(description, clue.name);
    return entry;
  }

  /** Exemplars are built only when a span becomes one: a bigint per span would dominate the cost. */
  private record(into: ByFile, location: CodeLocation, digest: SpanDigest, i: number, traceStartMs: number): LocationStats {
    let lines = into.get(location.file);
    if (!lines) into.set(location.file, (lines = new Map()));
    let entry = lines.get(lineKey(location));
    if (!entry) lines.set(lineKey(location), (entry = { location, sketch: new LatencySketch(), errorCount: 0, firstSeenMs: Infinity, lastSeenMs: -Infinity }));
    const durationNs = digest.durationNs[i];
    entry.sketch.add(durationNs);
    const startMs = traceStartMs + digest.startNs[i] / 1e6;
    if (startMs < entry.firstSeenMs) entry.firstSeenMs = startMs;
    if (startMs > entry.lastSeenMs) entry.lastSeenMs = startMs;
    // Only a span whose id came can be the slowest: the first slowest of its clue set, which no other span of it beats.
    if ((!entry.slowest || durationNs > entry.slowest.durationNs) && digest.spanIds.has(i)) entry.slowest = exemplar(digest, i);
    if (digest.error[i]) {
      entry.errorCount++;
      const candidate = exemplar(digest, i);
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
