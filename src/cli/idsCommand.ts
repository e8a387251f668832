// trace-lens ids: the trace ids in a log file, as the editor's hovers and links see them.
import { atLeast, recogniseTraceIds } from '../core/ids/traceIdRecogniser';
import { LineIndex } from '../core/ids/lineIndex';
import { UsageError, type ParsedArgs } from './args';
import { readInput } from './showCommand';

export function idsCommand(args: ParsedArgs, out: (text: string) => void): void {
  const [path] = args.positional;
  if (!path) throw new UsageError('ids needs a file: trace-lens ids <file> [--json] [--all]');
  const text = Buffer.from(readInput(path)).toString('utf8');
  const includeLow = args.options.has('all');
  const lines = new LineIndex(text);
  const matches = recogniseTraceIds(text, { includeLow })
    .filter((m) => includeLow || atLeast(m.confidence, 'medium'))
    .map((m) => ({ ...lines.position(m.start), kind: m.kind, traceId: m.traceId, confidence: m.confidence }));
  if (args.options.has('json')) return out(JSON.stringify({ matches }));
  out(matches.map((m) => `${path}:${m.line}:${m.column}  ${m.traceId}  ${m.kind} (${m.confidence})`).join('\n') || `no trace ids in ${path}`);
}
