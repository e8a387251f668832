// Worker thread entry: one trace file at a time per worker (a worker let go of may be kept for the next). It
// decodes the file, streams small traces back whole, keeps the large one the user opens, and answers the
// waterfall's questions about it (rows, details, search) from here, so neither the decoding nor a copy of its
// spans ever lands on the extension host's thread.
import { readFileSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { prepareTrace, type PreparedTrace } from '../waterfall/prepareTrace';
import { describeSpan } from '../waterfall/describeSpan';
import { searchSlices } from '../waterfall/searchRows';
import { rowsOfSpans } from '../waterfall/spanRows';
import { columnBuffers, emptyRows, type WaterfallModel } from '../waterfall/rows';
import { crossingOf } from '../waterfall/columnParts';
import { copyBatches, findingsOf, readTraceBytes, type HeldTrace } from './traceFile';
import type { DetectOptions } from '../analysis/findings/detectFindings';
import { digestTrace } from '../stats/spanDigest';
import type { TraceWorkerMethods } from './traceWorkerProtocol';
import type { WorkerReply, WorkerRequest } from './workerMessages';
import { lowerThreadPriority } from './threadPriority';
import { traceFileBytes } from '../formats/traceFileBytes';

let held = new Map<string, HeldTrace>();
/** What the findings of a held trace are judged with: the file's serving peers, the user's thresholds. */
let findingOptions: Omit<DetectOptions, 'tree'> = {};
let prepared: PreparedTrace | undefined;
let latestSearch = 0;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

function open(id: number, params: TraceWorkerMethods['open']['params']): void {
  if (params.crash) {
    // Thrown outside any handler, as a decoder's bug would be: the thread dies and the host sees its error.
    setImmediate(() => {
      throw new Error('the trace worker crashed (test hook)');
    });
    return;
  }
  const bytes = params.bytes ?? (params.port ? posted(params.port) : readFileSync(params.file!));
  const preview = params.preview
    ? (first: WaterfallModel, skimmed: boolean) => {
        reply({ id, partial: { preview: first, skimmed } }, columnBuffers(first));
        lower();
      }
    : undefined;
  const contents = readTraceBytes(bytes, { maxDecompressedBytes: params.maxDecompressedBytes, thresholds: params.thresholds, preview });
  lower();
  if (!contents.ok) return reply({ id, result: contents });
  for (const batch of copyBatches(contents.copies)) reply({ id, partial: { copies: batch } });
  held = contents.held;
  findingOptions = { thresholds: params.thresholds, instrumentedPeers: contents.instrumentedPeers };
  const { format, entries, warnings, rejectedSpans } = contents;
  reply({ id, result: { ok: true, format, entries, warnings, rejectedSpans } });
}

/**
 * The bytes another thread posted into the port before the port was handed here (a message queued on a port
 * travels with it), so they are read at once.
 */
function posted(port: MessagePort): Uint8Array {
  const message = receiveMessageOnPort(port)?.message;
  port.close();
  if (!(message instanceof Uint8Array)) throw new Error('the trace was not waiting in the channel it was to come by');
  return message;
}

function prepare(id: number, traceId: string): void {
  const kept = held.get(traceId);
  if (!kept) return reply({ id, error: `trace ${traceId} is not held by this worker` });
  held = new Map([[traceId, kept]]);
  // Prepared while the file was read (its first rows shown then); its attributes came after, and their warnings.
  // Its columns move to the host below: a second prepare makes its own.
  const whole = kept.prepared ?? prepareTrace(kept.trace, kept.tree, kept.facts);
  kept.prepared = undefined;
  kept.facts = undefined;
  whole.model.warnings = kept.trace.warnings.map((w) => w.message);
  // The columns move to the host (transferred, not copied), a large trace's in the parts they cross to the page
  // in; search needs one of them here, so it keeps a copy, and lets go of the rest.
  const spanColumn = whole.model.rows.span.slice();
  const crossing = crossingOf(whole.model);
  if (!crossing) reply({ id, result: { model: whole.model } }, columnBuffers(whole.model));
  else {
    const parts = [...crossing.parts];
    const transfer = [...columnBuffers(crossing.preview), ...parts.map((part) => part.values.buffer as ArrayBuffer)];
    reply({ id, result: { crossing: { ...crossing, parts } } }, transfer);
  }
  prepared = { ...whole, model: { ...whole.model, rows: { ...emptyRows(0), span: spanColumn } } };
}

function ready(): PreparedTrace {
  if (!prepared) throw new Error('no trace has been prepared in this worker');
  return prepared;
}

/** A slice per turn of the worker's loop: a newer search (or any other request) is read between slices. */
function search(id: number, query: string): void {
  latestSearch = id;
  const slices = searchSlices(ready(), query);
  const next = () => {
    if (latestSearch !== id) return reply({ id, result: null });
    const step = slices.next();
    if (step.done) return reply({ id, result: null });
    if (step.value.length) reply({ id, partial: step.value }, [step.value.buffer as ArrayBuffer]);
    setImmediate(next);
  };
  next();
}

function handle(request: WorkerRequest<TraceWorkerMethods>): void {
  const { id, method } = request;
  switch (method) {
    case 'open':
      return open(id, request.params as TraceWorkerMethods['open']['params']);
    case 'prepare':
      return prepare(id, (request.params as TraceWorkerMethods['prepare']['params']).traceId);
    case 'details': {
      const p = ready();
      const index = (request.params as TraceWorkerMethods['details']['params']).span;
      return reply({ id, result: { details: describeSpan(p, index), span: p.trace.spans[index] } });
    }
    case 'search':
      return search(id, (request.params as TraceWorkerMethods['search']['params']).query);
    case 'rowsOf': {
      const rows = rowsOfSpans(ready(), (request.params as TraceWorkerMethods['rowsOf']['params']).spanIds);
      return reply({ id, result: rows }, [rows.buffer as ArrayBuffer]);
    }
    case 'digest':
      return reply({ id, result: digestTrace(ready().trace) });
    case 'findings':
      return reply({ id, result: findingsOf(ready().trace, { ...findingOptions, tree: ready().tree }) });
    case 'fileBytes': {
      const bytes = traceFileBytes(ready().trace, (request.params as TraceWorkerMethods['fileBytes']['params']).format);
      return reply({ id, result: bytes }, [bytes.buffer as ArrayBuffer]);
    }
    case 'forget':
      held = new Map();
      prepared = undefined;
      findingOptions = {};
      latestSearch = 0;
      return reply({ id, result: null });
  }
}

/**
 * The thread runs below the editor's once its first file has shown its first rows (or been read without them):
 * those are what the user waits on, on a machine busy making the session's first panel (they came after 0.3-1.0 s
 * lowered), and the decode after them is bulk. Linux lets only a privileged process raise a priority again, so
 * every later file is read lowered throughout.
 */
let lowered = false;
function lower(): void {
  if (lowered) return;
  lowered = true;
  lowerThreadPriority();
}

parentPort?.on('message', (request: WorkerRequest<TraceWorkerMethods>) => {
  try {
    handle(request);
  } catch (error) {
    reply({ id: request.id, error: (error as Error).message });
  }
});
