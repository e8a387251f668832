// Worker thread entry: the built-in receiver (HTTP servers, decoding, the span store) runs here, so a sender at
// full rate never holds the extension host's thread; the host asks for what it shows.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { ReceiverService } from '../receiver/receiverService';
import type { SpanStoreLimits } from '../receiver/spanStore';
import type { ReceiverWorkerMethods } from './receiverWorkerProtocol';
import { columnBuffers } from '../waterfall/rows';
import type { WorkerReply, WorkerRequest } from './workerMessages';

function post(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

const service = new ReceiverService((workerData as { limits: SpanStoreLimits }).limits, (event, data, transfer) => post({ event, data }, transfer));

/** Sends a part of the answer ahead of it. */
type SendAhead = (part: unknown, transfer?: ArrayBuffer[]) => void;

type Handlers = { [M in keyof ReceiverWorkerMethods]: (params: ReceiverWorkerMethods[M]['params'], ahead: SendAhead) => unknown };

const handlers: Handlers = {
  listen: (settings) => service.listen(settings),
  stop: async () => (await service.stop(), null),
  setLimits: (limits) => (service.setLimits(limits), null),
  status: () => service.status(),
  list: () => service.list(),
  getTrace: ({ traceId }) => service.getTrace(traceId),
  lookupTrace: ({ traceId, preview, port }, ahead) => {
    const found = service.lookupTrace(traceId, preview ? (first) => ahead({ preview: first }, columnBuffers(first)) : undefined);
    return found && 'otlp' in found ? sendInto(port, found.otlp) : (port.close(), found);
  },
  exportJsonl: () => service.exportJsonl(),
  traceFileBytes: ({ traceId, format }) => service.traceFileBytes(traceId, format),
  clear: () => service.clear(),
  search: (query) => service.search(query),
  services: () => service.services(),
  operations: ({ service: name }) => service.operations(name),
  setFindingThresholds: (thresholds) => (service.setFindingThresholds(thresholds), null),
  findingsOf: ({ traceId }) => service.findingsOf(traceId),
  attributeValues: (params) => service.attributeValues(params),
  serviceMap: () => service.serviceMap(),
  compareGroups: (params) => service.compareGroups(params),
  compareTraces: (params) => service.compareTraces(params),
  profileOperation: (params) => service.profileOperation(params),
  crash: () => {
    setImmediate(() => {
      throw new Error('the receiver worker crashed (test hook)');
    });
    return null;
  },
};

/**
 * A large trace's bytes go straight to the trace worker that will hold it, moved rather than copied: through the
 * host they were tens of megabytes its collector had to account for, on the thread every extension shares.
 */
function sendInto(port: MessagePort, otlp: Uint8Array): { sent: true } {
  port.postMessage(otlp, otlp.byteLength === otlp.buffer.byteLength ? [otlp.buffer as ArrayBuffer] : []);
  port.close();
  return { sent: true };
}

parentPort?.on('message', (request: WorkerRequest<ReceiverWorkerMethods>) => {
  const handler = handlers[request.method] as (params: unknown, ahead: SendAhead) => unknown;
  const ahead: SendAhead = (part, transfer) => post({ id: request.id, partial: part }, transfer);
  Promise.resolve()
    .then(() => handler(request.params, ahead))
    .then(
      (result) => post({ id: request.id, result }),
      (error: Error) => post({ id: request.id, error: error.message }),
    );
});
