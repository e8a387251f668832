// What each span of a trace is as a call, worked out once per trace and shared by the detectors: a query, a call
// to another service, or neither; and its key (normalised statement, or peer/method/template), computed only
// for the spans a detector asks about. Five detectors ask the same questions of the same spans.
import type { Trace } from '../../model/trace';
import { callKey, isQuery, isRemoteCall, mayCall, queryKey } from './callFacts';

export const OTHER = 0;
export const QUERY = 1;
export const REMOTE_CALL = 2;

export class CallIndex {
  readonly role: Uint8Array;
  private readonly keys: (string | null | undefined)[];

  constructor(private readonly trace: Trace) {
    const n = trace.spans.length;
    this.role = new Uint8Array(n);
    this.keys = new Array<string | null | undefined>(n);
    for (let i = 0; i < n; i++) {
      const span = trace.spans[i];
      try {
        if (mayCall(span)) this.role[i] = isQuery(span) ? QUERY : isRemoteCall(span) ? REMOTE_CALL : OTHER;
      } catch {
        // A span that cannot be read is no call: the detectors judge the others.
        this.role[i] = OTHER;
      }
    }
  }

  /** A query's normalised statement (undefined when it has none to compare); a call's endpoint key. */
  key(i: number): string | undefined {
    let key = this.keys[i];
    if (key === undefined) {
      const span = this.trace.spans[i];
      key = (this.role[i] === QUERY ? queryKey(span) : this.role[i] === REMOTE_CALL ? callKey(span) : undefined) ?? null;
      this.keys[i] = key;
    }
    return key ?? undefined;
  }
}
