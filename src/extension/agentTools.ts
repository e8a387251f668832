// Trace Lens's facts for language models in the editor (VS Code's language-model tools): a trace's story, two
// traces compared, a search of every source, the service map, how a file's code behaves in the running system,
// and what is wrong.
// The answers are made in core/agent, bounded and with span data quoted; this file only finds what they are made
// from.
import * as vscode from 'vscode';
import { notATraceId } from '../core/agent/agentText';
import { codeAnswer } from '../core/agent/codeAnswer';
import { compareAnswer } from '../core/agent/compareAnswer';
import { findingsAnswer } from '../core/agent/findingsAnswer';
import { mapAnswer } from '../core/agent/mapAnswer';
import { searchAnswer, searchQueryFrom, type SearchInput, type SourceSearch } from '../core/agent/searchAnswer';
import { traceAnswer } from '../core/agent/traceAnswer';
import { normaliseTraceId } from '../core/model/ids';
import type { Trace } from '../core/model/trace';
import type { CodeInsights } from './codeInsights';
import { withSignal } from './cancellation';
import type { FindingsStore } from './findingsStore';
import type { ReceivedStore } from './receivedStore';
import { DEFAULT_MAP_LOOKBACK_MS, mapSourceNames, OPENED_MAP, readServiceMap, RECEIVED_MAP } from './serviceMapSources';
import type { SourceRegistry } from './sourceRegistry';
import { release, storyOf, type TraceFinder } from './traceFinder';

/** How long a tool waits for the sources to answer a lookup. */
const LOOKUP_TIMEOUT_MS = 15_000;
/** A service map's sources as a model names them, besides the backends: the receiver's (the default), the files'. */
const RECEIVER = 'receiver';
const FILES = 'files';

function result(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** A workspace path as the statistics key it: absolute; a relative one from the first workspace folder. */
function absolutePath(path: string): string {
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return vscode.Uri.file(path).fsPath;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return root ? vscode.Uri.joinPath(root, path).fsPath : path;
}

function traceIdFrom(given: unknown): string {
  const traceId = normaliseTraceId(String(given ?? ''));
  if (!traceId) throw new Error(notATraceId(String(given)));
  return traceId;
}

export interface AgentToolDeps {
  finder: TraceFinder;
  registry: SourceRegistry;
  received: ReceivedStore;
  insights: CodeInsights;
  findings: FindingsStore;
}

export function registerAgentTools({ finder, registry, received, insights, findings }: AgentToolDeps): vscode.Disposable[] {
  const opened = registry.opened;
  const mapSources = { store: received, opened, registry };
  /** A side of a comparison as the receiver's thread compares it: its id where it holds the trace, else the trace. */
  const comparable = async (traceId: string, token: vscode.CancellationToken): Promise<string | Trace> => {
    if (received.holds(traceId)) return traceId;
    const here = opened.all().find((t) => t.traceId === traceId);
    if (here) return here;
    const found = await withSignal(token, (signal) => finder.find(traceId, { signal, timeoutMs: LOOKUP_TIMEOUT_MS }));
    if (!found.found) throw new Error(`trace ${traceId} was not found: ${found.message}`);
    if (found.trace.kind === 'host') return found.trace.trace;
    release(found.trace);
    throw new Error(`trace ${traceId} is large and held in a worker thread: compare it with \`trace-lens compare\` in a terminal`);
  };
  return [
    vscode.lm.registerTool<{ traceId: string }>('traceLens_traceStory', {
      prepareInvocation: ({ input }) => ({
        invocationMessage: `Looking up trace ${String(input.traceId).slice(0, 40)}`,
        // The lookup reaches the configured backends when the editor does not hold the trace.
        confirmationMessages: {
          title: 'Look up a trace',
          message: `Look up trace ${String(input.traceId).slice(0, 40)} in Trace Lens's receiver, open files and configured backends?`,
        },
      }),
      invoke: async ({ input }, token) => {
        const traceId = traceIdFrom(input.traceId);
        const held = opened.heldTrace(traceId);
        if (held) return result(traceAnswer(traceId, opened.name, held.story, await findings.ofTrace(traceId)));
        const found = await withSignal(token, (signal) => finder.find(traceId, { signal, timeoutMs: LOOKUP_TIMEOUT_MS }));
        if (!found.found) throw new Error(`trace ${traceId} was not found: ${found.message}`);
        release(found.trace);
        return result(traceAnswer(traceId, found.source.name, storyOf(found.trace), await findings.ofTrace(traceId)));
      },
    }),
    vscode.lm.registerTool<{ traceIdA: string; traceIdB: string }>('traceLens_compareTraces', {
      prepareInvocation: ({ input }) => ({
        invocationMessage: `Comparing trace ${String(input.traceIdA).slice(0, 40)} with ${String(input.traceIdB).slice(0, 40)}`,
        confirmationMessages: {
          title: 'Compare two traces',
          message: 'Look the two traces up (in the receiver, open files and configured backends) and compare them?',
        },
      }),
      invoke: async ({ input }, token) => {
        const [a, b] = [traceIdFrom(input.traceIdA), traceIdFrom(input.traceIdB)];
        const compared = await received.compareTraces(await comparable(a, token), await comparable(b, token));
        if (!compared) throw new Error('one of the two traces left the receiver before it could be compared');
        return result(compareAnswer(compared.report));
      },
    }),
    vscode.lm.registerTool<SearchInput>('traceLens_searchTraces', {
      prepareInvocation: ({ input }) => ({
        invocationMessage: `Searching traces of ${String(input.service).slice(0, 60)}`,
        confirmationMessages: {
          title: 'Search traces',
          message: `Search the receiver, open files and configured backends for traces of ${String(input.service).slice(0, 60)}?`,
        },
      }),
      invoke: async ({ input }, token) => {
        const query = searchQueryFrom(input);
        if (typeof query === 'string') throw new Error(query);
        const searched = await withSignal(token, async (signal) => {
          const within = AbortSignal.any([signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)]);
          return Promise.all(
            (await registry.all()).map((source) =>
              source.search(query, within).then(
                (found): SourceSearch => ({ source: source.name, result: found }),
                (error: Error): SourceSearch => ({ source: source.name, error: error.message }),
              ),
            ),
          );
        });
        return result(searchAnswer(query, searched));
      },
    }),
    vscode.lm.registerTool<{ service?: string; source?: string }>('traceLens_serviceMap', {
      prepareInvocation: ({ input }) => ({
        invocationMessage: input.service ? `Reading the service map around ${String(input.service).slice(0, 60)}` : 'Reading the service map',
      }),
      invoke: async ({ input }) => {
        const given = input.source === undefined ? RECEIVER : String(input.source);
        const source = given === RECEIVER ? RECEIVED_MAP : given === FILES ? OPENED_MAP : given;
        const known = await mapSourceNames(mapSources);
        if (!known.includes(source)) {
          const names = [RECEIVER, ...(known.includes(OPENED_MAP) ? [FILES] : []), ...known.filter((n) => n !== RECEIVED_MAP && n !== OPENED_MAP)];
          throw new Error(`"${given.slice(0, 60)}" is not a source of a service map here; give one of ${names.map((n) => `"${n}"`).join(', ')}`);
        }
        const map = await readServiceMap(mapSources, source, DEFAULT_MAP_LOOKBACK_MS);
        return result(mapAnswer(map, input.service === undefined ? undefined : String(input.service)));
      },
    }),
    vscode.lm.registerTool<{ file: string }>('traceLens_codeBehaviour', {
      prepareInvocation: ({ input }) => ({ invocationMessage: `Reading how ${String(input.file).slice(0, 100)} behaves in the running system` }),
      invoke: ({ input }) => {
        const file = absolutePath(String(input.file ?? ''));
        return result(codeAnswer(file, workspaceRoot(), insights.locationsIn(file), insights.failuresIn(file)));
      },
    }),
    vscode.lm.registerTool<Record<string, never>>('traceLens_findings', {
      prepareInvocation: () => ({ invocationMessage: 'Reading what Trace Lens found wrong in the traces it holds' }),
      invoke: () => result(findingsAnswer(findings.placed(), workspaceRoot())),
    }),
  ];
}
