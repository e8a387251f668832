// Two groups compared over the traces a store holds, in slices: the thread that runs it (the receiver's) keeps
// taking exports between them. Which side a trace is on is read from the stored spans as they are; only the
// traces on a side are copied (checked, clock skew corrected) to be sampled, one at a time.
import type { Trace } from '../../model/trace';
import { groupReport, type Compared } from './compareReport';
import type { CompareOptions } from './groupCompare';
import { AttributeValues, GroupSampling, sideOf, type TraceSpans } from './groupSampling';
import type { GroupReport, SplitRule } from './reportTypes';

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

export async function compareHeld(held: HeldTraces, split: SplitRule, service?: string, options?: CompareOptions): Promise<Compared<GroupReport>> {
  const sampling = new GroupSampling();
  let sliceStart = performance.now();
  for (const id of held.ids()) {
    const stored = held.spans(id);
    const side = stored && sideOf(stored, split, service);
    const trace = side && held.trace(id);
    if (side && trace) sampling.add(side, trace);
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      sliceStart = performance.now();
    }
  }
  return groupReport(sampling, split, service, options);
}
