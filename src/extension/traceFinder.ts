// Looks trace ids up across the receiver and the configured sources, with a small cache: hovers over the same
// id, then a click on "Open Waterfall", cost one lookup. Misses are remembered briefly (the trace may still be
// arriving), finds longer; only a few whole traces are kept. A backend's answer is decoded in a worker thread,
// like a file: a small trace comes back whole, a large one stays in its thread for its waterfall.
import { LruMap } from '../core/cache/lruMap';
import { traceStory, type TraceStory } from '../core/analysis/traceStory';
import type { Trace } from '../core/model/trace';
import { SourceError } from '../core/sources/httpClient';
import { lookupTrace, type LookupResult } from '../core/sources/traceLookup';
import { notATrace, pickTrace, type LookupOptions, type TraceSource } from '../core/sources/traceSource';
import type { WaterfallModel } from '../core/waterfall/rows';
import type { TraceEntry } from '../core/workers/traceFile';
import type { SourceRegistry } from './sourceRegistry';
import type { TraceWorker, TraceWorkers } from './traceWorkers';
import { CancelledError } from './workerClient';

const MAX_ENTRIES = 20;
const SKIMMED = 'from a skim of the answer, before it was decoded';
const READ = 'before the rest was read';
const FOUND_TTL_MS = 5 * 60_000;
const MISS_TTL_MS = 15_000;

/** A trace found: here, whole; or held by the worker that decoded it (whoever receives it ends that worker). */
export type FoundTrace = { kind: 'host'; trace: Trace } | { kind: 'held'; worker: TraceWorker; entry: TraceEntry };

/** Hears a large trace's first rows, and where they came from (for the log). */
export type Preview = NonNullable<LookupOptions['preview']>;

interface Entry {
  result: LookupResult<FoundTrace>;
  at: number;
}

export function storyOf(found: FoundTrace): TraceStory {
  return found.kind === 'host' ? traceStory(found.trace) : found.entry.story;
}

/** Lets a held trace's worker go (a hover needed only its story). */
export function release(found: FoundTrace): void {
  if (found.kind === 'held') found.worker.release();
}

export class TraceFinder {
  private readonly cache = new LruMap<string, Entry>(MAX_ENTRIES);

  constructor(
    private readonly registry: SourceRegistry,
    private readonly workers: TraceWorkers,
  ) {}

  /** `preview`: hears a large trace's first rows while its answer is still decoded (to show them at once). */
  async find(traceId: string, options: { signal?: AbortSignal; timeoutMs?: number; preview?: Preview } = {}): Promise<LookupResult<FoundTrace>> {
    const cached = this.cache.get(traceId);
    if (cached && Date.now() - cached.at < (cached.result.found ? FOUND_TTL_MS : MISS_TTL_MS)) return cached.result;
    const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
    const result = await lookupTrace(
      traceId,
      await this.registry.all(),
      { signal: signals.length ? AbortSignal.any(signals) : undefined },
      (source, id, lookup) => this.get(source, id, { ...lookup, preview: options.preview }),
      release,
    );
    // A held trace belongs to whoever asked: it is never cached. Nor is the receiver's: it may still be growing,
    // and asking it again costs no request.
    const keep = result.found ? result.trace.kind === 'host' && result.source.kind !== 'receiver' : result.reason !== 'cancelled' && result.errors.length === 0;
    if (keep) this.cache.set(traceId, { result, at: Date.now() });
    return result;
  }

  private async get(source: TraceSource, traceId: string, options: LookupOptions): Promise<FoundTrace | undefined> {
    if (!source.fetchTrace) {
      const trace = await source.getTrace(traceId, options);
      return trace && { kind: 'host', trace };
    }
    // A source that sent the first rows ahead (the receiver) has its answer's own left unmade.
    let previewed = false;
    const { preview } = options;
    const answer = await source.fetchTrace(traceId, preview ? { ...options, preview: (first, how) => ((previewed = true), preview(first, how)) } : options);
    if (!answer) return undefined;
    if (answer.trace) return { kind: 'host', trace: answer.trace };
    const fromBytes = preview && !previewed ? (first: WaterfallModel, skimmed: boolean) => preview(first, skimmed ? SKIMMED : READ) : undefined;
    const file = await this.workers
      .open(answer.port ? { port: answer.port } : { bytes: answer.body }, options.signal, undefined, fromBytes)
      .catch((error: Error) => {
        throw error instanceof CancelledError ? new SourceError('cancelled', 'cancelled') : new SourceError('malformed', notATrace(answer, error.message));
      });
    if (!file.ok) throw new SourceError('malformed', notATrace(answer, file.error));
    const entry = pickTrace(file.entries, traceId);
    const copy = entry && file.copies.find((t) => t.traceId === entry.traceId);
    if (!entry || copy) file.worker?.release();
    if (!entry) return undefined;
    return copy ? { kind: 'host', trace: copy } : { kind: 'held', worker: file.worker!, entry };
  }

  clear(): void {
    this.cache.clear();
  }
}
