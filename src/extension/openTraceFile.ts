// Opening trace files: decoded in a worker thread (never on the extension host's), problems reported clearly,
// a progress notification with Cancel when it takes a while, and each trace shown in a waterfall.
import * as vscode from 'vscode';
import type { TraceEntry } from '../core/workers/traceFile';
import type { FindingThresholds } from '../core/analysis/findings/thresholds';
import type { WaterfallModel } from '../core/waterfall/rows';
import type { OpenedFile, TraceWorkers } from './traceWorkers';
import { CancelledError } from './workerClient';
import { withDelayedProgress } from './cancellation';
import { counted } from '../core/analysis/counted';

/**
 * The file decoded, or undefined once the user was told why not (or cancelled). `closed` aborts the read (the
 * panel waiting for it was closed); `thresholds` are what the file's findings are judged by.
 */
export async function readTraceFile(
  uri: vscode.Uri,
  workers: TraceWorkers,
  log: vscode.LogOutputChannel,
  closed?: AbortSignal,
  thresholds?: FindingThresholds,
  preview?: (first: WaterfallModel) => void,
): Promise<OpenedFile | undefined> {
  const name = vscode.workspace.asRelativePath(uri);
  let file;
  const started = performance.now();
  try {
    file = await withDelayedProgress(`Trace Lens: opening ${name}…`, async (signal) => {
      const either = closed ? AbortSignal.any([signal, closed]) : signal;
      const early =
        preview &&
        ((first: WaterfallModel, skimmed: boolean) => {
          const how = skimmed ? 'from a skim of the file, before it was decoded' : 'before the rest was read';
          log.info(`${name}: its first ${first.rows.span.length} rows made in ${Math.round(performance.now() - started)} ms, ${how}`);
          preview(first);
        });
      return workers.open(uri.scheme === 'file' ? { file: uri.fsPath } : { bytes: await vscode.workspace.fs.readFile(uri) }, either, thresholds, early);
    });
  } catch (error) {
    if (error instanceof CancelledError) {
      log.info(`${name}: opening cancelled`);
      return undefined;
    }
    log.warn(`${name}: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Trace Lens: cannot open ${uri.fsPath}: ${(error as Error).message}`);
    return undefined;
  }
  if (!file.ok) {
    log.warn(`${name}: ${file.error}`);
    void vscode.window.showErrorMessage(`Trace Lens: ${name} is not a trace file: ${file.error}`);
    return undefined;
  }
  if (file.entries.length === 0) {
    void vscode.window.showWarningMessage(`Trace Lens: ${name} (${file.format}) holds no spans.`);
    return undefined;
  }
  const held = file.entries.filter((e) => !e.copied).length;
  const ms = Math.round(performance.now() - started);
  log.info(
    `${name}: ${file.format}, ${counted(file.entries.length, 'trace')} (${held} held in a worker thread), ${counted(file.warnings.length, 'warning')}; read in ${ms} ms`,
  );
  for (const warning of file.warnings) log.warn(`${name}: ${warning}`);
  return file;
}

/** With several traces in one file, the user picks one (largest first). */
export async function pickTrace(entries: TraceEntry[]): Promise<TraceEntry | undefined> {
  if (entries.length === 1) return entries[0];
  const items = [...entries]
    .sort((a, b) => b.spanCount - a.spanCount)
    .map((entry) => ({ label: entry.traceId, description: `${entry.spanCount} spans · ${entry.story.summary.rootService}`, entry }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `${entries.length} traces in this file: pick one to open` });
  return picked?.entry;
}
