// Each span's start and duration as columns, read in the spans' own order: the order they lie in memory.
import type { Trace } from '../model/trace';

export function timeColumns(trace: Trace): { startNs: Float64Array; durationNs: Float64Array } {
  const n = trace.spans.length;
  const startNs = new Float64Array(n);
  const durationNs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    startNs[i] = trace.spans[i].startNs;
    durationNs[i] = trace.spans[i].durationNs;
  }
  return { startNs, durationNs };
}
