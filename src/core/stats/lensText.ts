// The CodeLens line for a function's statistics, from a user template:
// "p50 ${p50} · p95 ${p95} · p99 ${p99} · ${calls} calls · ${errorRate} errors".
import { formatCount } from '../analysis/formatCount';
import { formatDuration } from '../analysis/formatDuration';
import type { LatencySketch } from './latencySketch';

export const DEFAULT_LENS_FORMAT = 'p50 ${p50} · p95 ${p95} · p99 ${p99} · ${calls} calls · ${errorRate} errors';

function percent(errors: number, calls: number): string {
  if (errors === 0) return '0%';
  const rate = (errors / calls) * 100;
  return `${rate < 10 ? rate.toFixed(1) : rate.toFixed(0)}%`;
}

export function lensText(template: string, sketch: LatencySketch, errorCount: number): string {
  const values: Record<string, string> = {
    p50: formatDuration(sketch.quantile(0.5)),
    p95: formatDuration(sketch.quantile(0.95)),
    p99: formatDuration(sketch.quantile(0.99)),
    max: formatDuration(sketch.max),
    calls: formatCount(sketch.count),
    errors: String(errorCount),
    errorRate: percent(errorCount, sketch.count),
  };
  return template.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
