// The typed contract between the extension host and the receiver's worker thread, which owns the HTTP receivers
// (OTLP, Zipkin) and the span store: decoding and storing never run on the extension host's thread.
import type { MessagePort } from 'node:worker_threads';
import type { ValuesAnswer } from '../analysis/compare/compareHeld';
import type { Compared } from '../analysis/compare/compareReport';
import type { AggregateReport, GroupReport, SplitRule, TraceReport } from '../analysis/compare/reportTypes';
import type { ServiceMap } from '../analysis/serviceGraph/serviceMap';
import type { FindingThresholds } from '../analysis/findings/thresholds';
import type { FindingGroup } from '../analysis/findings/findingGroups';
import type { TraceFinding } from '../analysis/findings/traceFinding';
import type { Trace } from '../model/trace';
import type { ReceiverStatus, ListenSettings, ListenAnswer } from '../receiver/receiverService';
import type { SpanStoreLimits, StoredTraceInfo } from '../receiver/spanStore';
import type { SearchQuery, SearchResult } from '../sources/traceSource';
import type { SpanDigest } from '../stats/spanDigest';
import type { WaterfallModel } from '../waterfall/rows';
import type { TraceFileFormat } from '../formats/traceFileBytes';

interface Method<P, R> {
  params: P;
  partial: never;
  result: R;
}

export interface ReceiverWorkerMethods {
  /** Stops any listening receivers, then listens as `settings` say. */
  listen: Method<ListenSettings, ListenAnswer>;
  stop: Method<null, null>;
  setLimits: Method<SpanStoreLimits, null>;
  status: Method<null, ReceiverStatus>;
  /** Newest first. */
  list: Method<null, StoredTraceInfo[]>;
  /** A checked copy (structure, clock skew), as views get it. */
  getTrace: Method<{ traceId: string }, Trace | null>;
  /**
   * A small trace whole; a large one as OTLP protobuf posted into `port`, for the trace worker the host hands the
   * port's other end to (its bytes never cross the host's thread), answered `sent` (null: not stored). A trace
   * past PREVIEW_ABOVE spans sends its first rows ahead, when asked for.
   */
  lookupTrace: {
    params: { traceId: string; preview?: boolean; port: MessagePort };
    partial: { preview: WaterfallModel };
    result: { trace: Trace } | { sent: true } | null;
  };
  /** Every stored trace as received, as OTLP/JSON Lines. */
  exportJsonl: Method<null, { text: string; traces: number; spans: number }>;
  /** A stored trace as a file's bytes (traceFileBytes.ts); null when it is not stored. */
  traceFileBytes: Method<{ traceId: string; format: TraceFileFormat }, Uint8Array | null>;
  clear: Method<null, { traces: number; spans: number }>;
  search: Method<SearchQuery, SearchResult>;
  services: Method<null, string[]>;
  operations: Method<{ service: string }, string[]>;
  setFindingThresholds: Method<FindingThresholds, null>;
  /** A stored trace's findings, once it settled (none before). */
  findingsOf: Method<{ traceId: string }, TraceFinding[]>;
  /** The service map of the stored traces that have settled. */
  serviceMap: Method<null, ServiceMap>;
  /** The values of an attribute among the stored traces (of a service), oldest first. */
  attributeValues: Method<{ attribute: string; service?: string }, ValuesAnswer>;
  /** The stored traces (of a service) split in two and compared. */
  compareGroups: Method<{ split: SplitRule; service?: string }, Compared<GroupReport>>;
  /** Where an operation's time goes over the stored traces that ran it, call by call. */
  profileOperation: Method<{ service: string; operation: string }, Compared<AggregateReport>>;
  /** Two traces compared call by call: each a stored trace's id, or a trace the host holds. Null: an id is not stored. */
  compareTraces: Method<{ a: string | Trace; b: string | Trace }, Compared<TraceReport> | null>;
  /** Test hook: the thread dies, as it would of a bug in a decoder. */
  crash: Method<null, null>;
}

/** Events the worker posts unasked. */
export interface ReceiverWorkerEvents {
  /** Per stored batch, the digest of the spans stored; or the traces evicted or cleared, by id. */
  spans: { added?: SpanDigest; removed: string[] };
  /** The findings of the stored traces that settled (no span for a moment), grouped; sent when they change. */
  findingGroups: FindingGroup[];
  /** The store changed (debounced). */
  changed: ReceiverStatus;
  log: string;
}
