// trace-lens search: find traces in a backend by service, operation, duration and attributes.
import { formatDuration } from '../core/analysis/formatDuration';
import { SourceError } from '../core/sources/httpClient';
import { attributePairs } from '../core/sources/searchFilters';
import type { SearchQuery } from '../core/sources/traceSource';
import { intOption, UsageError, type ParsedArgs } from './args';
import { InputError } from './showCommand';
import { durationOption, sourceFromArgs } from './sourceOptions';
import { printError, terminalField } from './terminal';

const DEFAULT_LOOKBACK_NS = 3600e9;

/** --attr k=v, several joined with commas: --attr http.status_code=500,error=true */
function attributes(args: ParsedArgs): Record<string, string> | undefined {
  const raw = args.options.get('attr');
  if (raw === undefined) return undefined;
  if (raw === true) throw new UsageError('--attr needs key=value');
  const pairs = attributePairs(raw.split(','));
  if (typeof pairs === 'string') throw new UsageError(`--attr: ${pairs}`);
  return pairs;
}

function startText(startUnixNano: string): string {
  return startUnixNano ? new Date(Number(BigInt(startUnixNano) / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 19) : '?';
}

export async function searchCommand(args: ParsedArgs, out: (text: string) => void): Promise<void> {
  const service = args.options.get('service');
  if (typeof service !== 'string') throw new UsageError('search needs --service S (and --source, --url)');
  const source = sourceFromArgs(args);
  const operation = args.options.get('operation');
  const query: SearchQuery = {
    service,
    operation: typeof operation === 'string' ? operation : undefined,
    minDurationNs: durationOption(args, 'min-duration'),
    maxDurationNs: durationOption(args, 'max-duration'),
    attributes: attributes(args),
    lookbackMs: (durationOption(args, 'lookback') ?? DEFAULT_LOOKBACK_NS) / 1e6,
    limit: intOption(args, 'limit', 20),
  };
  let result;
  try {
    result = await source.search(query);
  } catch (error) {
    if (error instanceof SourceError) throw new InputError(error.message);
    throw error;
  } finally {
    if (args.options.has('verbose')) printError(`trace-lens: asked ${source.name} through ${source.describeApi()}`);
  }
  const { hits, notes } = result;
  // Notes say how a filter was applied (here, not by the backend): on stderr, so --json output stays one document.
  for (const note of notes) printError(`trace-lens: note: ${note}`);
  if (args.options.has('json')) return out(JSON.stringify({ traces: hits, notes }));
  if (hits.length === 0) return out(`no traces of ${terminalField(service)} in ${source.name} match`);
  out(
    hits
      .map(
        (h) =>
          `${h.traceId}  ${startText(h.startUnixNano)}  ${formatDuration(h.durationNs).padStart(8)}  ${String(h.spanCount ?? '?').padStart(5)} spans  ${h.errorCount ? `${h.errorCount} errors  ` : ''}${terminalField(h.rootService)}: ${terminalField(h.rootName)}`,
      )
      .join('\n'),
  );
}
