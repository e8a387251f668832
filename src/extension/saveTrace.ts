// Save Trace As…: the trace a waterfall shows, written as a file (an OTLP export request: JSON, or protobuf for a
// .pb name) that Trace Lens, the CLI and the Collector's file receiver read, to keep, share or check in CI. The
// trace comes from wherever the panel holds it (the host, or the worker thread that decoded a large one).
import * as vscode from 'vscode';
import { MAX_JSON_SPANS, traceFileFormatOf } from '../core/formats/traceFileBytes';
import { significantTraceId } from '../core/model/ids';
import type { WaterfallPanels } from './waterfallPanel';

export function registerSaveTrace(panels: WaterfallPanels): vscode.Disposable {
  return vscode.commands.registerCommand('traceLens.saveTraceAs', (traceId?: unknown, target?: unknown) =>
    saveTraceAs(panels, typeof traceId === 'string' ? traceId : panels.activeTraceId(), target instanceof vscode.Uri ? target : undefined),
  );
}

async function saveTraceAs(panels: WaterfallPanels, traceId: string | undefined, target: vscode.Uri | undefined): Promise<void> {
  if (!traceId) {
    void vscode.window.showInformationMessage('Trace Lens: open a trace first. Save Trace As… saves the trace its waterfall shows.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  // Offered as JSON, which people read, unless the trace is past what JSON is written for.
  const extension = ((await panels.spanCount(traceId)) ?? 0) > MAX_JSON_SPANS ? 'pb' : 'json';
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: folder && vscode.Uri.joinPath(folder, `trace-${significantTraceId(traceId).slice(0, 8)}.${extension}`),
      filters: { 'OTLP JSON': ['json'], 'OTLP protobuf': ['pb'] },
      title: 'Save Trace As',
    }));
  if (!uri) return;
  const format = traceFileFormatOf(uri.path);
  try {
    // Encoding is inside too: whatever span data holds, a failure is a message, never a thrown command.
    const bytes = await panels.fileBytes(traceId, format);
    if (!bytes) throw new Error('no open waterfall shows it');
    await vscode.workspace.fs.writeFile(uri, bytes);
  } catch (error) {
    void vscode.window.showErrorMessage(`Trace Lens: could not save trace ${traceId} to ${uri.fsPath}: ${(error as Error).message}`);
    return;
  }
  const kind = format === 'otlp-protobuf' ? 'OTLP protobuf' : 'OTLP JSON';
  void vscode.window.showInformationMessage(
    `Trace Lens: saved trace ${significantTraceId(traceId).slice(0, 8)} as ${kind} to ${vscode.workspace.asRelativePath(uri)}.`,
  );
}
