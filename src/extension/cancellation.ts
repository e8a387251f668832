// VS Code cancels with CancellationTokens, our core with AbortSignals: one bridge, and the cancellable progress
// notifications for the work a person waits on (lookups, loads, opening files).
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

/** Shorter work shows no notification (it would only flicker: VS Code keeps one up for at least 800 ms). */
const PROGRESS_DELAY_MS = 700;

/** A notification for `running` once it has run a moment; `cancel`, if given, is its Cancel button. */
async function notifyWhileSlow<T>(title: string, running: Promise<T>, cancel?: () => void): Promise<T> {
  const timer = setTimeout(
    () =>
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: cancel !== undefined }, (_progress, token) => {
        if (cancel) token.onCancellationRequested(cancel);
        return running.catch(() => undefined);
      }),
    PROGRESS_DELAY_MS,
  );
  try {
    return await running;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `task`; if it is still running after a moment, a notification shows it with a Cancel button that aborts
 * its signal.
 */
export function withDelayedProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return notifyWhileSlow(title, task(controller.signal), () => controller.abort());
}

/** Work that cannot be cancelled, shown in a notification if it is still running after a moment. */
export function whileSlow<T>(title: string, running: Promise<T>): Promise<T> {
  return notifyWhileSlow(title, running);
}
