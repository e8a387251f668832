import { readFileSync } from 'node:fs';
import { buildSpanTree } from '../core/analysis/spanTree';
import { summariseTrace } from '../core/analysis/traceSummary';
import { decodeTraces } from '../core/formats/decode';
import { intOption, UsageError, type ParsedArgs } from './args';
import { renderTextWaterfall } from './textWaterfall';

export class InputError extends Error {}

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read ${path}: ${reason}`);
  }
}

export function showCommand(args: ParsedArgs, out: (text: string) => void): void {
  const [path] = args.positional;
  if (!path) throw new UsageError('show needs a trace file: trace-lens show <file> [--json]');
  const outcome = decodeTraces(readInput(path));
  if (!outcome.ok) throw new InputError(`${path}: ${outcome.error}`);
  if (outcome.traces.length === 0) throw new InputError(`${path}: ${outcome.format} input holds no spans`);
  if (args.options.has('json')) {
    out(JSON.stringify({ traces: outcome.traces.map((trace) => summariseTrace(trace)), warnings: outcome.warnings }));
    return;
  }
  const maxRows = intOption(args, 'max-rows', 200);
  const blocks = outcome.traces.map((trace) => {
    const tree = buildSpanTree(trace);
    return renderTextWaterfall(trace, tree, summariseTrace(trace, tree), { barWidth: 40, maxRows });
  });
  if (outcome.warnings.length) blocks.push(outcome.warnings.map((w) => `! ${w.message}`).join('\n'));
  out(blocks.join('\n\n'));
}
