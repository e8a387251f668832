// The message framing every worker thread of the extension uses: requests carry an id, a method and its
// parameters; replies stream partial answers, then one result or error; events are unsolicited. Each worker's
// protocol names its methods as a map of these specs.

export interface MethodSpec {
  params: unknown;
  /** What the method streams before its result (never, for most). */
  partial: unknown;
  result: unknown;
}

export interface WorkerRequest<Methods, M extends keyof Methods = keyof Methods> {
  id: number;
  method: M;
  params: Methods[M] extends MethodSpec ? Methods[M]['params'] : never;
}

export type WorkerReply =
  | { id: number; partial: unknown }
  | { id: number; result: unknown }
  | { id: number; error: string }
  /** Unsolicited: something happened in the worker (spans arrived, the store changed). */
  | { event: string; data: unknown };
