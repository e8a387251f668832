// The CLI's way to name a backend: --source kind --url base [--tenant T] [--token T | TRACE_LENS_TOKEN]
// [--timeout 10s]; or --source receiver for a running Trace Lens receiver. Tokens from the environment keep them out of shell history and process lists.
import { parseDurationNs } from '../core/model/durationText';
import { DEFAULT_HTTP_LIMITS } from '../core/sources/httpClient';
import { createSource, parseSourceConfigs, SOURCE_KINDS, type Credentials } from '../core/sources/sourceConfig';
import type { TraceSource } from '../core/sources/traceSource';
import { UsageError, type ParsedArgs } from './args';

export const SOURCE_FLAGS = ['source', 'url', 'tenant', 'token', 'timeout'] as const;

function text(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

export function durationOption(args: ParsedArgs, name: string): number | undefined {
  const raw = text(args, name);
  if (raw === undefined) return undefined;
  const ns = parseDurationNs(raw);
  if (ns === undefined || ns <= 0) throw new UsageError(`--${name} needs a duration such as 100ms, 30s or 2h`);
  return ns;
}

/**
 * `--source receiver`: a running Trace Lens receiver (the editor's with traceLens.receiver.answerQueries on, or
 * `trace-lens receive --answer-queries`), read through the Jaeger query API it answers; on 127.0.0.1:4318 unless
 * --url says otherwise.
 */
const RECEIVER = { kind: 'jaeger', url: 'http://127.0.0.1:4318', name: 'Trace Lens receiver' };

export function sourceFromArgs(args: ParsedArgs): TraceSource {
  const given = text(args, 'source');
  const receiver = given === 'receiver';
  const kind = receiver ? RECEIVER.kind : given;
  const url = text(args, 'url') ?? (receiver ? RECEIVER.url : undefined);
  if (!kind || !url) throw new UsageError(`--source (${[...SOURCE_KINDS, 'receiver'].join('|')}) and --url are both needed`);
  const name = receiver ? RECEIVER.name : `${kind[0].toUpperCase()}${kind.slice(1)}`;
  const { sources, problems } = parseSourceConfigs([{ kind, url, tenant: text(args, 'tenant'), name }]);
  if (problems.length) throw new UsageError(problems[0].replace('traceLens.sources[0]: ', '--source/--url: '));
  const token = text(args, 'token') ?? process.env.TRACE_LENS_TOKEN;
  const credentials: Credentials = token ? { kind: 'bearer', token } : { kind: 'none' };
  const timeoutNs = durationOption(args, 'timeout');
  const limits = timeoutNs ? { ...DEFAULT_HTTP_LIMITS, totalTimeoutMs: timeoutNs / 1e6 } : DEFAULT_HTTP_LIMITS;
  return createSource(sources[0], credentials, limits);
}
