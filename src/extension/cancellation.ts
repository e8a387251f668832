// VS Code cancels with CancellationTokens, our core with AbortSignals: one bridge, and one cancellable progress
// notification for the work a person waits on (lookups, loads).
import * as vscode from 'vscode';

/** Runs `task` with a signal that aborts when `token` is cancelled; the bridge is removed afterwards. */
export async function withSignal<T>(token: vscode.CancellationToken, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const cancel = token.onCancellationRequested(() => controller.abort());
  try {
    return await task(controller.signal);
  } finally {
    cancel.dispose();
  }
}

/** A notification with a Cancel button while `task` runs. */
export function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
    withSignal(token, task),
  );
}
