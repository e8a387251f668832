// The peers known to run instrumented servers: every name a server or consumer span of any trace held answers
// to. A call to one of them with nothing below it lost its context on the way (brokenPropagation.ts).
import type { Trace } from '../../model/trace';
import { servedAs } from './callFacts';

/** A bound keeps hostile traces that invent a new host name per span from growing the set without end. */
const MAX_PEERS = 10_000;

export function addInstrumentedPeers(trace: Trace, into: Set<string>): void {
  for (const span of trace.spans) {
    if (span.kind !== 'server' && span.kind !== 'consumer') continue;
    for (const name of servedAs(span)) if (into.size < MAX_PEERS) into.add(name);
  }
}
