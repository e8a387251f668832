// Two groups compared over the traces a store holds, in slices: the thread that runs it (the receiver's) keeps
// taking exports between them. Which side a trace is on is read from the stored spans as they are; only the
// traces on a side are copied (checked, clock skew corrected) to be sampled, one at a time.
import type { Trace } from '../../model/trace';
import { groupReport, type Compared } from './compareReport';
import type { CompareOptions } from './groupCompare';
import { AttributeValues, GroupSampling, sideOf, type TraceSpans } from './groupSampling';
import { OperationProfile } from './operationProfile';
import type { AggregateReport, GroupReport, SplitRule } from './reportTypes';

/** Work between two yields to the thread's other tasks. */
const SLICE_MS = 20;

export interface HeldTraces {
  ids(): string[];
  /** The stored spans, uncopied (read only). */
  spans(traceId: string): TraceSpans | undefined;
  /** A checked copy. */
  trace(traceId: string): Trace | undefined;
}

export interface ValuesAnswer {
  values: ReturnType<AttributeValues['list']>;
  /** Traces (of the service) with no value of the attribute. */
  without: number;
}

export function valuesHeld(held: HeldTraces, attribute: string, service?: string): ValuesAnswer {
  const values = new AttributeValues(attribute, service);
  for (const id of held.ids()) {
    const trace = held.spans(id);
    if (trace) values.add(trace);
  }
  return { values: values.list(), without: values.without };
}

/** Whether a slice's time is up; the next slice starts at the first question after (the pause not counted). */
function slicer(): () => boolean {
  let sliceStart: number | undefined;
  return () => {
    const now = performance.now();
    sliceStart ??= now;
    if (now - sliceStart <= SLICE_MS) return false;
    sliceStart = undefined;
    return true;
  };
}

/** Lets the thread take its other tasks (exports arriving) before going on. */
function yieldToThread(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Where an operation's time goes, over every held trace that ran it. */
export async function profileHeld(held: HeldTraces, service: string, operation: string): Promise<Compared<AggregateReport>> {
  const profile = new OperationProfile(service, operation);
  const sliceDone = slicer();
  for (const id of held.ids()) {
    const stored = held.spans(id);
    const ran = stored?.spans.some((s) => s.name === operation && s.resource.serviceName === service);
    const trace = ran && held.trace(id);
    if (trace) profile.add(trace);
    if (sliceDone()) await yieldToThread();
  }
  return profile.report();
}

export async function compareHeld(held: HeldTraces, split: SplitRule, service?: string, options?: CompareOptions): Promise<Compared<GroupReport>> {
  const sampling = new GroupSampling();
  const sliceDone = slicer();
  for (const id of held.ids()) {
    const stored = held.spans(id);
    const side = stored && sideOf(stored, split, service);
    const trace = side && held.trace(id);
    if (side && trace) sampling.add(side, trace);
    if (sliceDone()) await yieldToThread();
  }
  return groupReport(sampling, split, service, options);
}
