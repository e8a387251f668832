// Which attribute values set a group's slow or failing traces apart from the rest of it, as Honeycomb's BubbleUp
// and Tempo's comparison show it: for each value, the share of the outlying traces that carry it against the
// share of the others, commoner among the outliers first. A value every trace carries, or one carried by a
// single trace (an id), says nothing.
import { isError, type Span, type Trace } from '../../model/trace';
import type { AttributeShare, AttributeSharesResult } from './reportTypes';
import { quantile } from './statistics';
import { counted } from '../counted';

/** The slowest tenth of the traces are the slow ones (with the failing ones). */
const SLOW_QUANTILE = 0.9;
/** Fewer outlying traces than this and shares would be anecdotes. */
export const MIN_OUTLIERS = 5;
const MAX_VALUES_PER_TRACE = 300;
/**
 * An attribute with more distinct values than this (ids, statements with literals, timestamps) tells no group
 * apart: it is left out, its values no longer looked up or kept (in a group of thousands of traces they were
 * most of the lookups and of the memory).
 */
export const MAX_VALUES_PER_ATTRIBUTE = 1_000;
const MAX_VALUE_LENGTH = 120;
/** Shares reported, largest difference first. */
const MAX_SHARES = 10;
/** A difference in share smaller than this is not reported. */
const MIN_DIFFERENCE = 0.2;

function valueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length <= MAX_VALUE_LENGTH ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export class AttributeShares {
  /** Each attribute's values by number, so each trace keeps numbers rather than strings (and no key is built). */
  private readonly pairs = new Map<string, Map<string, number>>();
  private readonly names: [attribute: string, value: string][] = [];
  private readonly traces: { durationNs: number; failed: boolean; pairs: Uint32Array }[] = [];
  /** The last trace (its number + 1) each pair was counted for: dedupes within a trace with no set per trace. */
  private lastTrace = new Int32Array(1024);

  /** The pair's number, or -1 when its attribute has too many values to count. */
  private pairOf(attribute: string, value: string): number {
    let values = this.pairs.get(attribute);
    if (!values) this.pairs.set(attribute, (values = new Map()));
    if (values.size > MAX_VALUES_PER_ATTRIBUTE) return -1;
    let n = values.get(value);
    if (n === undefined) {
      n = this.names.length;
      values.set(value, n);
      this.names.push([attribute, value]);
      if (n >= this.lastTrace.length) {
        const grown = new Int32Array(this.lastTrace.length * 2);
        grown.set(this.lastTrace);
        this.lastTrace = grown;
      }
    }
    return n;
  }

  add(trace: Trace, durationNs: number): void {
    const seen: number[] = [];
    const mark = this.traces.length + 1;
    let failed = false;
    const take = (attributes: Span['attributes']) => {
      for (const attribute in attributes) {
        if (seen.length >= MAX_VALUES_PER_TRACE) return;
        const value = valueText(attributes[attribute]);
        if (value === undefined) continue;
        const pair = this.pairOf(attribute, value);
        if (pair < 0 || this.lastTrace[pair] === mark) continue;
        this.lastTrace[pair] = mark;
        seen.push(pair);
      }
    };
    // Spans share their resources: each is read once.
    const resources = new Set<object>();
    for (const span of trace.spans) {
      if (isError(span)) failed = true;
      if (!resources.has(span.resource)) {
        resources.add(span.resource);
        take(span.resource.attributes);
      }
      take(span.attributes);
    }
    this.traces.push({ durationNs, failed, pairs: Uint32Array.from(seen) });
  }

  result(): AttributeSharesResult {
    const durations = this.traces.map((t) => t.durationNs).sort((x, y) => x - y);
    const slowNs = durations.length ? quantile(durations, SLOW_QUANTILE) : 0;
    const outlier = this.traces.map((t) => t.failed || (t.durationNs >= slowNs && t.durationNs > durations[0]));
    const outliers = outlier.filter(Boolean).length;
    const rest = this.traces.length - outliers;
    if (outliers < MIN_OUTLIERS || rest < MIN_OUTLIERS)
      return {
        slowNs,
        outliers,
        rest,
        shares: [],
        note: `${counted(outliers, 'slow or failing trace')} and ${counted(rest, 'other')}: at least ${MIN_OUTLIERS} of each are needed`,
      };
    const inOutliers = new Uint32Array(this.names.length);
    const inRest = new Uint32Array(this.names.length);
    this.traces.forEach((t, i) => {
      const counts = outlier[i] ? inOutliers : inRest;
      for (const p of t.pairs) counts[p]++;
    });
    const shares: AttributeShare[] = [];
    for (let p = 0; p < this.names.length; p++) {
      const share = { outliers: inOutliers[p] / outliers, rest: inRest[p] / rest };
      // A value on one trace only (an id, a timestamp) is not a pattern; one rarer among the outliers is the
      // mirror of another value commoner among them.
      if (inOutliers[p] + inRest[p] < 2 || share.outliers - share.rest < MIN_DIFFERENCE) continue;
      const [attribute, value] = this.names[p];
      // The first values of an attribute that then had too many were counted in the first traces only.
      if (this.pairs.get(attribute)!.size > MAX_VALUES_PER_ATTRIBUTE) continue;
      shares.push({ attribute, value, ...share });
    }
    shares.sort((x, y) => y.outliers - y.rest - (x.outliers - x.rest) || x.attribute.localeCompare(y.attribute));
    return { slowNs, outliers, rest, shares: shares.slice(0, MAX_SHARES) };
  }
}
