// trace-lens: the headless front over the core (terminal, CI).
import { parseArgs, UsageError } from './args';
import { COMPARE_USAGE, compareCommand } from './compareCommand';
import { FINDINGS_USAGE, findingsCommand } from './findingsCommand';
import { hotspotsCommand } from './hotspotsCommand';
import { idsCommand } from './idsCommand';
import { MAP_USAGE, mapCommand } from './mapCommand';
import { receiveCommand } from './receiveCommand';
import { searchCommand } from './searchCommand';
import { InputError, NotFoundError, showCommand } from './showCommand';
import { SOURCE_FLAGS } from './sourceOptions';
import { printError, printLine } from './terminal';

const USAGE = `trace-lens — distributed traces in the terminal

Usage:
  trace-lens show <file> [--json] [--max-rows N]   a trace file as a text waterfall (or a JSON summary)
  trace-lens show <file> --by-operation [--json]   where its time went by operation: spans, failures, durations, self time
  trace-lens show <traceId> --source jaeger|tempo|zipkin --url <base url> [--tenant T] [--lookback 7d] [--json]
                                                   the same for a trace in a backend (token: --token or
                                                   TRACE_LENS_TOKEN; --timeout 10s; --verbose names the API used)
  trace-lens search --source … --url … --service S [--operation O] [--min-duration 100ms] [--max-duration 2s]
                    [--attr k=v,k2=v2] [--lookback 1h] [--limit N] [--json] [--verbose]
                                                   find traces in a backend, newest first; a filter the backend
                                                   could not apply is applied here, and a note says so
  trace-lens hotspots <trace files…> --root <dir> [--json]
                                                   the workspace code the spans ran: calls, errors, p50/p95/p99
                                                   per file:line; --json: {"locations":[…],"unresolved":[…]}
  ${FINDINGS_USAGE}
                                                   N+1 queries, calls in a loop, sequential calls, retry storms,
                                                   broken propagation, where failures began, bottlenecks: grouped
                                                   across the traces, with code locations under --root; --fail-on
                                                   exits 1 when a finding of those kinds is present (a CI gate)
  ${COMPARE_USAGE}
                                                   two traces node by node (failing in one only, only in one,
                                                   more, fewer, slower, faster, ranked by their share of the
                                                   change on the critical path), or two groups split by an
                                                   attribute (the two newest values by default) with
                                                   Mann-Whitney U, Fisher's exact test and Benjamini-Hochberg;
                                                   --fail-on-regression exits 1 on a significant slowdown of at
                                                   least that size
  ${MAP_USAGE}
                                                   the service map: calls, failures, latency and fan-out per edge,
                                                   databases, queues and untraced peers, cycles; from a backend,
                                                   its own dependency graph (counts only); Mermaid pastes into a
                                                   README or a pull request
  trace-lens ids <file> [--json] [--all]          the trace ids in a log file (line:column, kind, confidence);
                                                   --json: {"matches":[{"line","column","kind","traceId","confidence"}]}
                                                   --all adds bare 32-hex strings (low confidence)
  trace-lens mcp [<trace files…>] [--root <dir>] [--source jaeger|tempo|zipkin --url <base url> | --source receiver]
                                                   serve the editor's agent tools over MCP on stdio (trace_story,
                                                   compare_traces, search_traces, service_map, code_behaviour,
                                                   findings) for agents outside VS Code, from the trace files
                                                   named (a trace id they lack is asked of the backend, which a
                                                   search asks too), anchored to the workspace under --root
  trace-lens receive [--port P] [--host H] [--for 30s] [--zipkin-port P] [--out file.jsonl] [--json] [--answer-queries]
                                                   run the OTLP/HTTP receiver (default 127.0.0.1:4318), print live
                                                   span counts per service and, at the end (after --for or Ctrl-C),
                                                   a summary; with --json one line {"spans","traces","rejected",...};
                                                   --out saves every received trace as OTLP JSON Lines;
                                                   --answer-queries lets programs on this machine read what it holds
                                                   through Jaeger's query API (trace-lens mcp --source receiver)

Sources: --source jaeger|tempo|zipkin --url <base url>, or --source receiver for a running Trace Lens receiver
(the editor's with traceLens.receiver.answerQueries on, or trace-lens receive --answer-queries; 127.0.0.1:4318
unless --url says), wherever a command takes a source.
Formats (detected from the content): OTLP/JSON and JSON Lines, OTLP protobuf (optionally gzip),
Grafana Tempo JSON, Jaeger JSON (legacy and api_v3), Zipkin v2 JSON.
Exit codes: 0 success, 1 a --fail-on finding or a --fail-on-regression slowdown, 2 bad input, usage, an unreachable backend or a URL with no tracing API there,
3 trace not found.`;

const VALUE_FLAGS = [
  'max-rows',
  'port',
  'host',
  'for',
  'zipkin-port',
  ...SOURCE_FLAGS,
  'lookback',
  'format',
  'service',
  'operation',
  'min-duration',
  'max-duration',
  'attr',
  'limit',
  'root',
  'out',
  'fail-on',
  'disable',
  'by',
  'baseline',
  'candidate',
  'fail-on-regression',
] as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const args = parseArgs(rest, VALUE_FLAGS);
    const out = printLine;
    switch (command) {
      case 'show':
        await showCommand(args, out);
        return 0;
      case 'hotspots':
        hotspotsCommand(args, out);
        return 0;
      case 'findings':
        return findingsCommand(args, out);
      case 'compare':
        return await compareCommand(args, out);
      case 'map':
        await mapCommand(args, out);
        return 0;
      case 'ids':
        idsCommand(args, out);
        return 0;
      case 'search':
        await searchCommand(args, out);
        return 0;
      case 'receive':
        await receiveCommand(args, out);
        return 0;
      case 'mcp':
        // Loaded when asked for: the MCP SDK is most of the CLI's code, and every other command starts without it.
        await (await import('./mcpCommand')).mcpCommand(args);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (try: trace-lens help)`);
    }
  } catch (error) {
    if (error instanceof NotFoundError) {
      printError(`trace-lens: ${error.message}`);
      return 3;
    }
    if (error instanceof UsageError || error instanceof InputError) {
      printError(`trace-lens: ${error.message}`);
      return 2;
    }
    printError(`trace-lens: internal error: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
