// What every detector gets: the trace, its span tree (built once), the thresholds, and the services known to be
// instrumented (seen serving requests in any trace held: a call to one of them that arrives in no trace here
// lost its context on the way).
import type { Trace } from '../../model/trace';
import type { SpanTree } from '../spanTree';
import type { CallIndex } from './callIndex';
import type { Finding } from './finding';
import type { FindingThresholds } from './thresholds';

export interface DetectorContext {
  trace: Trace;
  tree: SpanTree;
  /** Each span as a call (query, call to a service, neither) and its key, shared by the detectors. */
  calls: CallIndex;
  thresholds: FindingThresholds;
  /** Peers (service names, host:port) that run instrumented servers, as `peerOf` names them. */
  instrumentedPeers: ReadonlySet<string>;
}

export type Detector = (context: DetectorContext) => Finding[];
