// A trace by id from wherever it is. The local sources (the receiver, opened traces) answer from memory and are
// asked first; only when none has it are the backends asked, all at once, and the first in order that has it
// wins; the others are cancelled.
import { normaliseTraceId, significantTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
import { SourceError } from './httpClient';
import { DEFAULT_LOOKBACK_MS, describeLookback, type LookupOptions, type TraceSource } from './traceSource';

/** Why a lookup found nothing: the input is no trace id, no source has it, every source failed, or it was cancelled. */
export type MissReason = 'invalid-id' | 'not-found' | 'failed' | 'cancelled';

/** `trace`: the trace itself, or what the caller's getter made of the source's answer. */
export type LookupResult<T = Trace> = { found: true; trace: T; source: TraceSource } | { found: false; reason: MissReason; message: string; errors: string[] };

/** How one source is asked: by default its getTrace; a caller may decode its answers elsewhere. */
export type TraceGetter<T> = (source: TraceSource, traceId: string, options: LookupOptions) => Promise<T | undefined>;

/** What people type or paste: hex (any case, up to 128 bits) or the base64 form Tempo and Jaeger 2.20+ show. */
const TYPED_ID = /^(?:[0-9a-fA-F]{1,32}|[A-Za-z0-9+/_-]{22}(?:==)?|[A-Za-z0-9+/_-]{11}=?)$/;

function shortId(id: string): string {
  return `${significantTraceId(id).slice(0, 4)}…`;
}

export async function lookupTrace<T = Trace>(
  traceId: string,
  sources: readonly TraceSource[],
  options: { signal?: AbortSignal; lookbackMs?: number } = {},
  get: TraceGetter<T> = (source, id, lookup) => source.getTrace(id, lookup) as Promise<T | undefined>,
  /** Called with what any source but the one whose answer is returned found (a getter's answers may hold resources). */
  discard: (unused: T) => void = () => undefined,
): Promise<LookupResult<T>> {
  const id = TYPED_ID.test(traceId.trim()) ? normaliseTraceId(traceId.trim()) : undefined;
  if (!id) return { found: false, reason: 'invalid-id', message: `"${traceId.slice(0, 80)}" is not a trace id (expected up to 32 hex digits)`, errors: [] };
  if (sources.length === 0)
    return {
      found: false,
      reason: 'not-found',
      message: `trace ${shortId(id)} not found: no sources are configured (traceLens.sources) and the receiver is off`,
      errors: [],
    };
  const lookbackMs = options.lookbackMs ?? DEFAULT_LOOKBACK_MS;
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const ask = (source: TraceSource) =>
    get(source, id, { signal, lookbackMs }).then(
      (trace) => ({ trace }),
      (error: unknown) => ({ error }),
    );
  const local = sources.filter((s) => s.kind === 'receiver');
  const remote = sources.filter((s) => s.kind !== 'receiver');
  const ordered = [...local, ...remote];
  const attempts: Promise<{ trace: T | undefined } | { error: unknown }>[] = local.map(ask);
  const errors: string[] = [];
  let answered = -1;
  try {
    for (let i = 0; i < ordered.length; i++) {
      // Once the local sources have missed, every backend is asked at once.
      if (i === local.length) attempts.push(...remote.map(ask));
      const outcome = await attempts[i];
      if ('trace' in outcome && outcome.trace) {
        answered = i;
        return { found: true, trace: outcome.trace, source: ordered[i] };
      }
      if ('error' in outcome) {
        if (!(outcome.error instanceof SourceError)) throw outcome.error;
        if (outcome.error.kind === 'cancelled') return { found: false, reason: 'cancelled', message: 'cancelled', errors };
        errors.push(outcome.error.message);
      }
    }
  } finally {
    controller.abort();
    attempts.forEach((attempt, i) => i !== answered && void attempt.then((o) => 'trace' in o && o.trace && discard(o.trace)));
  }
  const searched = sources.map((s) => `${s.name}${s.lookupUsesTimeRange ? ` (searched ${describeLookback(lookbackMs)})` : ''}`);
  const failed = errors.length ? `; ${errors.join('; ')}` : '';
  const reason = errors.length === sources.length ? 'failed' : 'not-found';
  return { found: false, reason, message: `trace ${shortId(id)} not found in ${searched.join(', ')}${failed}`, errors };
}
