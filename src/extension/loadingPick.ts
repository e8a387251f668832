// A quick pick that opens at once and fills when its items arrive: the picker shows a busy bar while a backend
// answers, and closing it (Escape) cancels the request.
import * as vscode from 'vscode';

export interface LoadingPickOptions {
  title: string;
  placeholder: string;
  /** Shown as the only row when the load returns nothing. */
  emptyText: string;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
}

/** Resolves with the accepted item, or undefined when closed; a failed load rejects after closing the picker. */
export function loadingPick<T extends vscode.QuickPickItem>(options: LoadingPickOptions, load: (signal: AbortSignal) => Promise<T[]>): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  const controller = new AbortController();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = options.matchOnDescription ?? false;
  pick.matchOnDetail = options.matchOnDetail ?? false;
  pick.busy = true;
  return new Promise<T | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (value: T | undefined, error?: unknown) => {
      if (settled) return;
      settled = true;
      controller.abort();
      pick.dispose();
      if (error === undefined) resolve(value);
      else reject(error);
    };
    pick.onDidAccept(() => {
      const [item] = pick.selectedItems;
      if (item && !(item as { empty?: boolean }).empty) finish(item);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
    load(controller.signal).then(
      (items) => {
        if (settled) return;
        pick.busy = false;
        pick.items = items.length ? items : [{ label: options.emptyText, empty: true } as unknown as T];
      },
      (error: unknown) => finish(undefined, error),
    );
  });
}
