// trace-lens map: the service map of trace files (every figure), or a backend's own dependency graph (Jaeger's
// /api/dependencies, Zipkin's: counts only, over a time window) rather than pulling its traces. As text, JSON,
// Graphviz DOT or Mermaid.
import { mapDot, mapMermaid, mapText } from '../core/analysis/serviceGraph/mapFormats';
import { ServiceGraph } from '../core/analysis/serviceGraph/serviceGraph';
import { mapFromDependencies, type ServiceMap } from '../core/analysis/serviceGraph/serviceMap';
import { describeLookback } from '../core/sources/traceSource';
import { SourceError } from '../core/sources/httpClient';
import { UsageError, type ParsedArgs } from './args';
import { InputError } from './showCommand';
import { durationOption, sourceFromArgs } from './sourceOptions';
import { terminalField } from './terminal';
import { readTraces } from './workspace';

export const MAP_USAGE = 'trace-lens map <trace files…> | --source jaeger|zipkin --url <base url> [--lookback 1h]  [--format text|json|dot|mermaid]';

const FORMATS = ['text', 'json', 'dot', 'mermaid'] as const;
const DEFAULT_LOOKBACK_MS = 3_600_000;

async function fromBackend(args: ParsedArgs): Promise<ServiceMap> {
  const source = sourceFromArgs(args);
  if (!source.dependencies)
    throw new InputError(`${source.name} has no dependency API (Jaeger and Zipkin have one): give trace files instead, e.g. from trace-lens receive --out`);
  const lookbackMs = (durationOption(args, 'lookback') ?? DEFAULT_LOOKBACK_MS * 1e6) / 1e6;
  try {
    return mapFromDependencies(await source.dependencies(lookbackMs), source.name, describeLookback(lookbackMs));
  } catch (error) {
    if (error instanceof SourceError) throw new InputError(error.message);
    throw error;
  }
}

function fromFiles(files: string[]): ServiceMap {
  const graph = new ServiceGraph();
  for (const trace of readTraces(files)) graph.add(trace);
  return graph.snapshot();
}

export async function mapCommand(args: ParsedArgs, out: (text: string) => void): Promise<void> {
  const format = args.options.get('format') ?? 'text';
  if (!(FORMATS as readonly (string | true)[]).includes(format)) throw new UsageError(`--format is one of ${FORMATS.join(', ')}`);
  const fromSource = args.options.has('source');
  if (fromSource === args.positional.length > 0) throw new UsageError(`map takes trace files, or a backend with --source and --url: ${MAP_USAGE}`);
  const map = fromSource ? await fromBackend(args) : fromFiles(args.positional);
  if (format === 'json') out(JSON.stringify(map));
  else if (format === 'dot') out(mapDot(map));
  else if (format === 'mermaid') out(mapMermaid(map));
  else out(mapText(map, terminalField));
}
