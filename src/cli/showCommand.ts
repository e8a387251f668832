import { readFileSync } from 'node:fs';
import { buildSpanTree } from '../core/analysis/spanTree';
import { summariseTrace } from '../core/analysis/traceSummary';
import { decodeTraces } from '../core/formats/decode';
import type { Trace, TraceWarning } from '../core/model/trace';
import { lookupTrace } from '../core/sources/traceLookup';
import { intOption, UsageError, type ParsedArgs } from './args';
import { durationOption, sourceFromArgs } from './sourceOptions';
import { printError, terminalField } from './terminal';
import { renderTextWaterfall } from './textWaterfall';
import { operationLines, renderOperationTable } from './operationTable';
import { counted } from '../core/analysis/counted';

export class InputError extends Error {}
/** The trace id is valid but no source has it (exit code 3, so scripts can tell it from bad input). */
export class NotFoundError extends Error {}

export function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read ${path}: ${reason}`);
  }
}

function fromFile(path: string): { traces: Trace[]; warnings: TraceWarning[] } {
  const outcome = decodeTraces(readInput(path));
  if (!outcome.ok) throw new InputError(`${path}: ${outcome.error}`);
  if (outcome.traces.length === 0) throw new InputError(`${path}: ${outcome.format} input holds no spans`);
  return outcome;
}

export async function fromSource(traceId: string, args: ParsedArgs): Promise<{ traces: Trace[]; warnings: TraceWarning[] }> {
  const lookbackNs = durationOption(args, 'lookback');
  const source = sourceFromArgs(args);
  const result = await lookupTrace(traceId, [source], { lookbackMs: lookbackNs && lookbackNs / 1e6 });
  if (args.options.has('verbose')) printError(`trace-lens: asked ${source.name} through ${source.describeApi()}`);
  if (result.found) return { traces: [result.trace], warnings: [] };
  if (result.reason === 'invalid-id') throw new InputError(result.message);
  if (result.errors.length) throw new InputError(result.errors[0]);
  throw new NotFoundError(result.message);
}

export async function showCommand(args: ParsedArgs, out: (text: string) => void): Promise<void> {
  const [target] = args.positional;
  if (!target) throw new UsageError('show needs a trace file, or a trace id with --source and --url: trace-lens show <file|traceId> [--json]');
  const { traces, warnings } = args.options.has('source') ? await fromSource(target, args) : fromFile(target);
  if (args.options.has('by-operation')) return showByOperation(traces, warnings, args, out);
  if (args.options.has('json')) {
    out(JSON.stringify({ traces: traces.map((trace) => summariseTrace(trace)), warnings }));
    return;
  }
  const maxRows = intOption(args, 'max-rows', 200);
  const blocks = traces.map((trace) => {
    const tree = buildSpanTree(trace);
    return renderTextWaterfall(trace, tree, summariseTrace(trace, tree), { barWidth: 40, maxRows });
  });
  out(withWarnings(blocks, warnings));
}

function showByOperation(traces: Trace[], warnings: TraceWarning[], args: ParsedArgs, out: (text: string) => void): void {
  const byTrace = traces.map((trace) => ({ trace, operations: operationLines(trace, buildSpanTree(trace)) }));
  if (args.options.has('json')) {
    out(JSON.stringify({ traces: byTrace.map(({ trace, operations }) => ({ traceId: trace.traceId, operations })), warnings }));
    return;
  }
  const maxRows = intOption(args, 'max-rows', 200);
  const blocks = byTrace.map(
    ({ trace, operations }) => `${trace.traceId} · ${counted(trace.spans.length, 'span')}\n${renderOperationTable(operations, maxRows)}`,
  );
  out(withWarnings(blocks, warnings));
}

/** Each trace's block, then the input's warnings, terminal-safe. */
function withWarnings(blocks: string[], warnings: TraceWarning[]): string {
  const said = warnings.length ? [warnings.map((w) => `! ${terminalField(w.message)}`).join('\n')] : [];
  return [...blocks, ...said].join('\n\n');
}
