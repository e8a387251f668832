// Two groups of traces gathered for a comparison one trace at a time: which side a trace is on (a value of an
// attribute, before or after a moment), its samples on the merged call tree, where each call is in the code (the
// first span seen of it), and the candidate's attribute values for what sets its outliers apart.
// Each trace is let go of once sampled (but for the first span of each call), so thousands of traces are never held.
import type { Span, Trace } from '../../model/trace';
import { AttributeShares } from './attributeShares';
import { CallNodes } from './callTree';
import { SampleTable } from './sampleTable';
import { CodePlaces } from './codePlaces';
import { compareSamples, type CompareOptions, type GroupComparison } from './groupCompare';
import type { SplitRule } from './reportTypes';

export type Side = 'baseline' | 'candidate';

/**
 * The value of `attribute` a trace carries: its spans' resource attributes first, then their own. With a service,
 * only that service's spans are read (another service of the trace has its own version).
 */
export function attributeOf(spans: readonly Span[], attribute: string, service?: string): string | undefined {
  for (const own of [false, true])
    for (const span of spans) {
      if (service !== undefined && span.resource.serviceName !== service) continue;
      const value = own ? span.attributes[attribute] : span.resource.attributes[attribute];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    }
  return undefined;
}

/** What splitting reads of a trace (the receiver's store hands its own, uncopied). */
export type TraceSpans = Pick<Trace, 'startUnixNano' | 'spans'>;

function startMs(trace: TraceSpans): number {
  return Number(trace.startUnixNano / 1_000_000n);
}

/** The side a trace is on, or undefined when it is on neither (another value, or not the service's). */
export function sideOf(trace: TraceSpans, rule: SplitRule, service?: string): Side | undefined {
  if (service !== undefined && !trace.spans.some((s) => s.resource.serviceName === service)) return undefined;
  if (rule.by === 'time') return startMs(trace) < rule.atMs ? 'baseline' : 'candidate';
  const value = attributeOf(trace.spans, rule.attribute, service);
  return value === rule.baseline ? 'baseline' : value === rule.candidate ? 'candidate' : undefined;
}

export interface AttributeValue {
  value: string;
  traces: number;
  /** When the first and the last trace with it started (ms since the epoch): "newest" is the latest first seen. */
  firstMs: number;
  lastMs: number;
}

/** The values of `attribute` among traces (of `service`), the newest (latest first seen) last. */
export class AttributeValues {
  private readonly values = new Map<string, AttributeValue>();
  /** Traces that had no value. */
  without = 0;

  constructor(
    private readonly attribute: string,
    private readonly service?: string,
  ) {}

  add(trace: TraceSpans): void {
    if (this.service !== undefined && !trace.spans.some((s) => s.resource.serviceName === this.service)) return;
    const value = attributeOf(trace.spans, this.attribute, this.service);
    if (value === undefined) return void this.without++;
    const at = startMs(trace);
    const known = this.values.get(value);
    if (!known) this.values.set(value, { value, traces: 1, firstMs: at, lastMs: at });
    else {
      known.traces++;
      known.firstMs = Math.min(known.firstMs, at);
      known.lastMs = Math.max(known.lastMs, at);
    }
  }

  list(): AttributeValue[] {
    return [...this.values.values()].sort((x, y) => x.firstMs - y.firstMs || x.value.localeCompare(y.value));
  }
}

export class GroupSampling {
  private readonly known: CallNodes;
  private readonly samples: Record<Side, SampleTable> = { baseline: new SampleTable(), candidate: new SampleTable() };
  /** The same samples summed per place in the code. */
  readonly places = new CodePlaces((nodeKey) => this.firstSpans.get(nodeKey));
  private readonly placeSamples: Record<Side, SampleTable> = { baseline: new SampleTable(), candidate: new SampleTable() };
  /** The first span seen of each call, by node key: where it is in the code, read for the rows reported. */
  readonly firstSpans = new Map<number, Span>();
  readonly shares = new AttributeShares();

  constructor() {
    this.known = new CallNodes((node, span) => this.firstSpans.set(node.key, span));
  }

  add(side: Side, trace: Trace): void {
    const table = this.samples[side];
    const from = table.length;
    const durationNs = this.known.sampleInto(trace, table);
    this.places.sampleRows(table, from, this.known.all, this.placeSamples[side]);
    if (side === 'candidate') this.shares.add(trace, durationNs);
  }

  count(side: Side): number {
    return this.samples[side].traces;
  }

  compare(options?: CompareOptions): GroupComparison {
    return compareSamples(this.known, this.samples.baseline, this.samples.candidate, options);
  }

  /** The comparison per place in the code (a function, a route's handler) instead of per call path. */
  comparePlaces(options?: CompareOptions): GroupComparison {
    return compareSamples(this.places, this.placeSamples.baseline, this.placeSamples.candidate, options);
  }
}
