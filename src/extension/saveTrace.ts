// Save Trace As…: a trace written as a file (an OTLP export request: JSON, or protobuf for a .pb name) that Trace
// Lens, the CLI and the Collector's file receiver read, to keep, share or check in CI. From a waterfall (its
// header, the palette) the trace as it shows, from whichever thread holds it (the host, or the worker that decoded
// a large one); from a Traces view row without a waterfall, a received trace as it was received, or an opened one.
import * as vscode from 'vscode';
import { MAX_JSON_SPANS, traceFileBytes, traceFileFormatOf, type TraceFileFormat } from '../core/formats/traceFileBytes';
import { significantTraceId } from '../core/model/ids';
import type { OpenedTraces } from '../core/sources/openedTraces';
import type { ReceivedStore } from './receivedStore';
import type { WaterfallPanels } from './waterfallPanel';

export interface TraceHolders {
  panels: WaterfallPanels;
  store: ReceivedStore;
  opened: OpenedTraces;
}

/** What a Traces view row is given as. */
interface RowNode {
  row?: { traceId?: unknown; spanCount?: unknown };
}

export function registerSaveTrace(holders: TraceHolders): vscode.Disposable {
  return vscode.commands.registerCommand('traceLens.saveTraceAs', (given?: unknown, target?: unknown) => {
    const row = (given as RowNode | undefined)?.row;
    const traceId = typeof given === 'string' ? given : typeof row?.traceId === 'string' ? row.traceId : holders.panels.activeTraceId();
    return saveTraceAs(holders, traceId, typeof row?.spanCount === 'number' ? row.spanCount : undefined, target instanceof vscode.Uri ? target : undefined);
  });
}

async function saveTraceAs(holders: TraceHolders, traceId: string | undefined, rowSpans: number | undefined, target: vscode.Uri | undefined): Promise<void> {
  if (!traceId) {
    void vscode.window.showInformationMessage('Trace Lens: open a trace first. Save Trace As… saves the trace its waterfall shows.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  // Offered as JSON, which people read, unless the trace is past what JSON is written for.
  const spans = (await holders.panels.spanCount(traceId)) ?? rowSpans ?? 0;
  const extension = spans > MAX_JSON_SPANS ? 'pb' : 'json';
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
    const bytes = await bytesOf(holders, traceId, format);
    if (!bytes) throw new Error('no waterfall shows it, and neither the receiver nor the opened traces hold it any more');
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

/** The trace as its waterfall shows it, else as the receiver holds it, else as opened; undefined when none has it. */
async function bytesOf({ panels, store, opened }: TraceHolders, traceId: string, format: TraceFileFormat): Promise<Uint8Array | undefined> {
  const shown = panels.fileBytes(traceId, format);
  if (shown) return shown;
  const received = await store.traceFileBytes(traceId, format);
  if (received) return received;
  const held = opened.all().find((trace) => trace.traceId === traceId);
  return held && traceFileBytes(held, format);
}
