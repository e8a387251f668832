// The workspace's files, listed once and again only after a file was created or deleted: what clue resolution
// may ever answer with. Edits do not change the list; they are passed on (a route may have moved).
import * as vscode from 'vscode';
import { normalisePath } from '../core/code/pathMapping';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/__pycache__/**}';
const MAX_FILES = 100_000;

export interface WorkspaceFileEvents {
  /** A file was created or deleted: the next list() lists anew. */
  listChanged(): void;
  /** A file's content changed (normalised path). */
  edited(file: string): void;
}

export class WorkspaceFiles implements vscode.Disposable {
  private listing: Promise<string[]> | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(events: WorkspaceFileEvents) {
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
      return (await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_FILES)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    } catch (e) {
      this.listing = undefined; // asked again next time, not failed for good
      throw e;
    }
  }

  static roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => normalisePath(f.uri.fsPath));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
