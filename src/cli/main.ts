// trace-lens: the headless front over the core (terminal, CI).
import { parseArgs, UsageError } from './args';
import { InputError, showCommand } from './showCommand';

const USAGE = `trace-lens — distributed traces in the terminal

Usage:
  trace-lens show <file> [--json] [--max-rows N]   a trace file as a text waterfall (or a JSON summary)

Formats (detected from the content): OTLP/JSON and JSON Lines, OTLP protobuf (optionally gzip),
Grafana Tempo JSON, Jaeger JSON (legacy and api_v3), Zipkin v2 JSON.
Exit codes: 0 success, 2 bad input or usage.`;

const VALUE_FLAGS = ['max-rows'] as const;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    const args = parseArgs(rest, VALUE_FLAGS);
    const out = (text: string) => process.stdout.write(`${text}\n`);
    switch (command) {
      case 'show':
        showCommand(args, out);
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
    if (error instanceof UsageError || error instanceof InputError) {
      process.stderr.write(`trace-lens: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`trace-lens: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
