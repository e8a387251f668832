// A trace by id from wherever it is. The local sources (the receiver, opened traces) answer from memory and are
// asked first; only when none has it are the backends asked, all at once, and the first in order that has it
// wins; the others are cancelled.
import { normaliseTraceId, significantTraceId } from '../model/ids';
import type { Trace } from '../model/trace';
import { SourceError } from './httpClient';
import { DEFAULT_LOOKBACK_MS, describeLookback, type TraceSource } from './traceSource';

/** Why a lookup found nothing: the input is no trace id, no source has it, every source failed, or it was cancelled. */
export type MissReason = 'invalid-id' | 'not-found' | 'failed' | 'cancelled';

export type LookupResult = { found: true; trace: Trace; source: TraceSource } | { found: false; reason: MissReason; message: string; errors: string[] };

/** What people type or paste: hex (any case, up to 128 bits) or the base64 form Tempo and Jaeger 2.20+ show. */
const TYPED_ID = /^(?:[0-9a-fA-F]{1,32}|[A-Za-z0-9+/_-]{22}(?:==)?|[A-Za-z0-9+/_-]{11}=?)$/;

function shortId(id: string): string {
  return `${significantTraceId(id).slice(0, 4)}…`;
}

export async function lookupTrace(
  traceId: string,
  sources: readonly TraceSource[],
  options: { signal?: AbortSignal; lookbackMs?: number } = {},
): Promise<LookupResult> {
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
    source.getTrace(id, { signal, lookbackMs }).then(
      (trace) => ({ trace }),
      (error: unknown) => ({ error }),
    );
  const local = sources.filter((s) => s.kind === 'receiver');
  const remote = sources.filter((s) => s.kind !== 'receiver');
  const ordered = [...local, ...remote];
  const attempts: Promise<{ trace: Trace | undefined } | { error: unknown }>[] = local.map(ask);
  const errors: string[] = [];
  try {
    for (let i = 0; i < ordered.length; i++) {
      // Once the local sources have missed, every backend is asked at once.
      if (i === local.length) attempts.push(...remote.map(ask));
      const outcome = await attempts[i];
      if ('trace' in outcome && outcome.trace) return { found: true, trace: outcome.trace, source: ordered[i] };
      if ('error' in outcome) {
        if (!(outcome.error instanceof SourceError)) throw outcome.error;
        if (outcome.error.kind === 'cancelled') return { found: false, reason: 'cancelled', message: 'cancelled', errors };
        errors.push(outcome.error.message);
      }
    }
  } finally {
    controller.abort();
  }
  const searched = sources.map((s) => `${s.name}${s.lookupUsesTimeRange ? ` (searched ${describeLookback(lookbackMs)})` : ''}`);
  const failed = errors.length ? `; ${errors.join('; ')}` : '';
  const reason = errors.length === sources.length ? 'failed' : 'not-found';
  return { found: false, reason, message: `trace ${shortId(id)} not found in ${searched.join(', ')}${failed}`, errors };
}
