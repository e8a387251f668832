// Trace Lens's facts for language models in the editor (VS Code's language-model tools): a trace's story, how a
// file's code behaves in the running system, and what is wrong. The answers are made in core/agent, bounded and
// with span data quoted; this file only finds what they are made from.
import * as vscode from 'vscode';
import { codeAnswer } from '../core/agent/codeAnswer';
import { findingsAnswer } from '../core/agent/findingsAnswer';
import { traceAnswer } from '../core/agent/traceAnswer';
import { normaliseTraceId } from '../core/model/ids';
import type { OpenedTraces } from '../core/sources/openedTraces';
import type { CodeInsights } from './codeInsights';
import { withSignal } from './cancellation';
import type { FindingsStore } from './findingsStore';
import { release, storyOf, type TraceFinder } from './traceFinder';

/** How long a tool waits for the sources to answer a lookup. */
const LOOKUP_TIMEOUT_MS = 15_000;

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

export function registerAgentTools(finder: TraceFinder, opened: OpenedTraces, insights: CodeInsights, findings: FindingsStore): vscode.Disposable[] {
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
        const traceId = normaliseTraceId(String(input.traceId ?? ''));
        if (!traceId) throw new Error(`"${String(input.traceId).slice(0, 80)}" is not a trace id: give 32 hex digits (or 16)`);
        const held = opened.heldTrace(traceId);
        if (held) return result(traceAnswer(traceId, opened.name, held.story, await findings.ofTrace(traceId)));
        const found = await withSignal(token, (signal) => finder.find(traceId, { signal, timeoutMs: LOOKUP_TIMEOUT_MS }));
        if (!found.found) throw new Error(`trace ${traceId} was not found: ${found.message}`);
        release(found.trace);
        return result(traceAnswer(traceId, found.source.name, storyOf(found.trace), await findings.ofTrace(traceId)));
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
