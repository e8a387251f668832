// Opening trace files: decode with the core, report problems clearly, show each trace in a waterfall.
import * as vscode from 'vscode';
import { decodeTraces } from '../core/formats/decode';
import { FORMAT_LABELS } from '../core/formats/decodeResult';
import type { Trace } from '../core/model/trace';

export async function readTraceFile(uri: vscode.Uri, log: vscode.LogOutputChannel): Promise<Trace[] | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    void vscode.window.showErrorMessage(`Trace Lens: cannot read ${uri.fsPath}: ${(error as Error).message}`);
    return undefined;
  }
  const outcome = decodeTraces(bytes);
  const name = vscode.workspace.asRelativePath(uri);
  if (!outcome.ok) {
    log.warn(`${name}: ${outcome.error}`);
    void vscode.window.showErrorMessage(`Trace Lens: ${name} is not a trace file: ${outcome.error}`);
    return undefined;
  }
  if (outcome.traces.length === 0) {
    void vscode.window.showWarningMessage(`Trace Lens: ${name} (${FORMAT_LABELS[outcome.format]}) holds no spans.`);
    return undefined;
  }
  log.info(`${name}: ${FORMAT_LABELS[outcome.format]}, ${outcome.traces.length} trace(s), ${outcome.warnings.length} warning(s)`);
  for (const warning of outcome.warnings.slice(0, 50)) log.warn(`${name}: ${warning.message}`);
  return outcome.traces;
}

/** With several traces in one file, the user picks one (largest first). */
export async function pickTrace(traces: Trace[]): Promise<Trace | undefined> {
  if (traces.length === 1) return traces[0];
  const items = [...traces]
    .sort((a, b) => b.spans.length - a.spans.length)
    .map((trace) => ({ label: trace.traceId, description: `${trace.spans.length} spans · ${trace.spans[0]?.resource.serviceName ?? ''}`, trace }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `${traces.length} traces in this file: pick one to open` });
  return picked?.trace;
}
