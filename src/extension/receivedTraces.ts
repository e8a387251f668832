// Commands over what the built-in receiver collected: browse (newest first, failures marked), copy the exporter
// settings, clear, export as OTLP/JSON Lines, and the status bar's action menu.
import * as vscode from 'vscode';
import { formatAge } from '../core/analysis/formatAge';
import { formatDuration } from '../core/analysis/formatDuration';
import type { StoredTraceInfo } from '../core/receiver/spanStore';
import { RECEIVER_MENU_COMMAND, type ReceiverController } from './receiverController';
import { saveReceiverPort } from './receiverSettings';
import { setting } from './settings';
import { counted } from '../core/analysis/counted';

function traceItem(t: StoredTraceInfo): vscode.QuickPickItem & { traceId: string } {
  const title = t.rootName ? `${t.rootService}: ${t.rootName}` : `${t.services.join(', ')} (root span not received yet)`;
  const errors = t.errorCount ? ` · ${t.errorCount} error${t.errorCount > 1 ? 's' : ''}` : '';
  return {
    label: `${t.errorCount ? '$(error)' : '$(pass)'} ${title}`,
    description: `${formatDuration(t.durationNs)} · ${t.spanCount} spans${errors} · ${formatAge(t.updatedAt)}`,
    detail: t.traceId,
    traceId: t.traceId,
  };
}

export function otlpEnvironment(endpoint: string): string {
  return [`OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`, 'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf', 'OTEL_TRACES_EXPORTER=otlp'].join('\n');
}

/** What the receiver commands work with. */
export interface ReceiverCommandContext {
  controller: ReceiverController;
}

/** The listening state, or undefined after telling the user why the receiver is not listening. */
function listening(controller: ReceiverController): Extract<ReceiverController['state'], { kind: 'listening' }> | undefined {
  const state = controller.state;
  if (state.kind === 'listening') return state;
  const why = state.kind === 'failed' ? state.message : state.kind === 'off' ? 'it is turned off (traceLens.receiver.enabled)' : 'it is still starting';
  void vscode.window.showWarningMessage(`Trace Lens: the OTLP receiver is not running: ${why}.`);
  return undefined;
}

function showReceivedTraces({ controller }: ReceiverCommandContext) {
  return async () => {
    const traces = await controller.store.list();
    if (traces.length === 0) {
      const endpoint = controller.state.kind === 'listening' ? controller.state.endpoint : `http://${setting('receiver.host')}:${setting('receiver.port')}`;
      const copy = 'Copy OTLP Endpoint Settings';
      const answer = await vscode.window.showInformationMessage(
        `Trace Lens: no traces received yet. Point your app's OpenTelemetry exporter at ${endpoint}.`,
        copy,
      );
      if (answer === copy) await vscode.commands.executeCommand('traceLens.copyOtlpEndpoint');
      return;
    }
    const picked = await vscode.window.showQuickPick(traces.map(traceItem), {
      placeHolder: `${traces.length} received traces, newest first`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    // Opened as any trace id is: a large one is decoded and held by a trace worker, not prepared on this thread.
    if (picked) await vscode.commands.executeCommand('traceLens.openTrace', picked.traceId);
  };
}

function copyOtlpEndpoint({ controller }: ReceiverCommandContext) {
  return async () => {
    const state = listening(controller);
    if (!state) return;
    await vscode.env.clipboard.writeText(otlpEnvironment(state.endpoint));
    void vscode.window.showInformationMessage(
      `Trace Lens: copied the OTEL_EXPORTER_OTLP_* settings for ${state.endpoint}; set them in your app's environment.`,
    );
  };
}

function clearReceivedTraces({ controller }: ReceiverCommandContext) {
  return async () => {
    const { traces, spans } = await controller.store.clear();
    void vscode.window.showInformationMessage(`Trace Lens: cleared ${counted(traces, 'received trace')} (${counted(spans, 'span')}).`);
  };
}

function exportReceivedTraces({ controller }: ReceiverCommandContext) {
  return async (target?: vscode.Uri) => {
    if (controller.store.size.traces === 0) {
      void vscode.window.showInformationMessage('Trace Lens: there are no received traces to export.');
      return;
    }
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            defaultUri: folder && vscode.Uri.joinPath(folder, `received-traces-${stamp}.otlp.jsonl`),
            filters: { 'OTLP JSON Lines': ['jsonl'] },
            title: 'Export Received Traces',
          });
    if (!uri) return;
    let exported;
    try {
      // Encoding is inside too: whatever span data holds, a failure is a message, never a thrown command.
      exported = await controller.store.exportJsonl();
      await vscode.workspace.fs.writeFile(uri, Buffer.from(exported.text));
    } catch (error) {
      void vscode.window.showErrorMessage(`Trace Lens: could not export to ${uri.fsPath}: ${(error as Error).message}`);
      return;
    }
    void vscode.window.showInformationMessage(
      `Trace Lens: exported ${exported.traces} traces (${exported.spans} spans) to ${vscode.workspace.asRelativePath(uri)}.`,
    );
  };
}

function useAnotherReceiverPort({ controller }: ReceiverCommandContext) {
  return async () => {
    const current = controller.state.kind === 'off' ? setting('receiver.port') : controller.state.port;
    const value = await vscode.window.showInputBox({
      title: 'Trace Lens: OTLP receiver port',
      prompt: 'Port for the built-in OTLP/HTTP receiver (point your exporter at the same port)',
      value: String(current + 1),
      validateInput: (text) => (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? undefined : 'a port number from 1 to 65535'),
    });
    if (value) await saveReceiverPort(Number(value));
  };
}

/** The status bar item's menu: the other commands, as they are. */
function receiverMenu(context: ReceiverCommandContext) {
  const { controller } = context;
  return async () => {
    const state = controller.state;
    const run = (id: string) => () => vscode.commands.executeCommand(id);
    const actions: { label: string; run: () => unknown }[] =
      state.kind === 'listening'
        ? [
            { label: '$(list-unordered) Show Received Traces', run: run('traceLens.showReceivedTraces') },
            { label: '$(copy) Copy OTLP Endpoint Settings', run: run('traceLens.copyOtlpEndpoint') },
            { label: '$(save) Export Received Traces…', run: run('traceLens.exportReceivedTraces') },
            { label: '$(clear-all) Clear Received Traces', run: run('traceLens.clearReceivedTraces') },
            { label: '$(plug) Use Another Port…', run: run('traceLens.useAnotherReceiverPort') },
          ]
        : [
            { label: '$(plug) Use Another Port…', run: run('traceLens.useAnotherReceiverPort') },
            { label: '$(refresh) Retry', run: () => controller.restart() },
            { label: '$(list-unordered) Show Received Traces', run: run('traceLens.showReceivedTraces') },
          ];
    const title = state.kind === 'failed' ? state.message : state.kind === 'listening' ? `Receiving on ${state.endpoint}` : 'Trace Lens receiver';
    const picked = await vscode.window.showQuickPick(actions, { title });
    await picked?.run();
  };
}

/** One named factory per command. */
const RECEIVER_COMMANDS: Record<string, (context: ReceiverCommandContext) => (...args: never[]) => unknown> = {
  'traceLens.showReceivedTraces': showReceivedTraces,
  'traceLens.copyOtlpEndpoint': copyOtlpEndpoint,
  'traceLens.clearReceivedTraces': clearReceivedTraces,
  'traceLens.exportReceivedTraces': exportReceivedTraces,
  'traceLens.useAnotherReceiverPort': useAnotherReceiverPort,
  [RECEIVER_MENU_COMMAND]: receiverMenu,
};

export function registerReceivedTraceCommands(context: ReceiverCommandContext): vscode.Disposable[] {
  return Object.entries(RECEIVER_COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, factory(context)));
}
