// The workspace's files, listed once and again only after a file was created or deleted: what clue resolution
// may ever answer with. Edits do not change the list; they are passed on (a route may have moved).
import * as vscode from 'vscode';
import { normalisePath } from '../core/code/pathMapping';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/__pycache__/**}';
const MAX_FILES = 100_000;
/**
 * A window that has just opened can answer a file search with nothing while its search service starts (seen in
 * CI: no file, so no lens, for good). An empty list of a workspace with folders is asked again, for a minute.
 */
const EMPTY_RETRY_MS = 2_000;
const EMPTY_RETRIES = 30;

export interface WorkspaceFileEvents {
  /** A file was created or deleted: the next list() lists anew. */
  listChanged(): void;
  /** A file's content changed (normalised path). */
  edited(file: string): void;
}

export class WorkspaceFiles implements vscode.Disposable {
  private listing: Promise<string[]> | undefined;
  private readonly disposables: vscode.Disposable[];
  private emptyRetries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly events: WorkspaceFileEvents) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const relist = () => {
      this.listing = undefined;
      events.listChanged();
    };
    this.disposables = [
      watcher,
      watcher.onDidCreate(relist),
      watcher.onDidDelete(relist),
      watcher.onDidChange((uri) => events.edited(normalisePath(uri.fsPath))),
    ];
  }

  /** The same array while nothing was created or deleted (callers cache on its identity). */
  list(): Promise<string[]> {
    this.listing ??= this.find();
    return this.listing;
  }

  private async find(): Promise<string[]> {
    try {
      const files = (await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_FILES)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
      if (files.length === 0 && WorkspaceFiles.roots().length > 0 && this.emptyRetries++ < EMPTY_RETRIES) this.askAgainSoon();
      return files;
    } catch (e) {
      this.listing = undefined; // asked again next time, not failed for good
      throw e;
    }
  }

  private askAgainSoon(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.listing = undefined;
      this.events.listChanged();
    }, EMPTY_RETRY_MS);
  }

  static roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => normalisePath(f.uri.fsPath));
  }

  dispose(): void {
    clearTimeout(this.retryTimer);
    for (const d of this.disposables) d.dispose();
  }
}
