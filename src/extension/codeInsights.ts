// Statistics per code location from every span this window holds (the receiver's store and traces opened
// from files), mapped onto the workspace's files. Rebuilt, debounced, when spans, files or mappings change.
import { readFileSync, statSync } from 'node:fs';
import * as vscode from 'vscode';
import { ClueResolver } from '../core/code/clueResolver';
import { normalisePath, WorkspaceIndex, type PathMapping } from '../core/code/pathMapping';
import type { SpanStore } from '../core/receiver/spanStore';
import type { OpenedTraces } from '../core/sources/openedTraces';
import { CodeStats, type LocationStats, type UnresolvedClue } from '../core/stats/codeStats';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/__pycache__/**}';
const MAX_FILES = 100_000;
const REBUILD_DELAY_MS = 300;
const MAX_TEXT_BYTES = 2 * 1024 * 1024;

function substitute(path: string, folder: vscode.WorkspaceFolder | undefined): string {
  return folder ? path.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath) : path;
}

/** `traceLens.pathMappings`, then the mappings of launch configurations (Node's remoteRoot/localRoot, Python's pathMappings). */
export function readPathMappings(): PathMapping[] {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const mappings: PathMapping[] = [];
  for (const m of vscode.workspace.getConfiguration('traceLens').get<{ remote?: string; local?: string }[]>('pathMappings', [])) {
    if (m.remote && m.local) mappings.push({ remote: m.remote, local: substitute(m.local, folder) });
  }
  for (const c of vscode.workspace.getConfiguration('launch').get<Record<string, unknown>[]>('configurations', [])) {
    if (typeof c.remoteRoot === 'string' && typeof c.localRoot === 'string') mappings.push({ remote: c.remoteRoot, local: substitute(c.localRoot, folder) });
    for (const m of Array.isArray(c.pathMappings) ? (c.pathMappings as { remoteRoot?: string; localRoot?: string }[]) : []) {
      if (m.remoteRoot && m.localRoot) mappings.push({ remote: m.remoteRoot, local: substitute(m.localRoot, folder) });
    }
  }
  return mappings;
}

function readText(file: string): string | undefined {
  try {
    return statSync(file).size > MAX_TEXT_BYTES ? undefined : readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export class CodeInsights implements vscode.Disposable {
  private files: string[] = [];
  private stats: CodeStats | undefined;
  private rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private relist = true;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];
  /** Bumped whenever statistics change: providers cache per document version and generation. */
  generation = 0;

  constructor(private readonly store: SpanStore, private readonly opened: OpenedTraces) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    // New spans are added to the statistics as they are stored (cheap); only files and mappings rebuild.
    const spans = store.onSpans({
      added: (view) => {
        this.stats?.addTrace(view);
        this.notify();
      },
      removed: (view) => {
        this.stats?.removeTrace(view);
        this.notify();
      },
    });
    this.disposables = [
      this.changed,
      watcher,
      watcher.onDidCreate(() => this.scheduleRebuild(true)),
      watcher.onDidDelete(() => this.scheduleRebuild(true)),
      { dispose: () => spans.dispose() },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('traceLens.pathMappings') || e.affectsConfiguration('launch')) this.scheduleRebuild(false);
      }),
    ];
    this.scheduleRebuild(true);
  }

  /** Traces opened from files count too: call after opening one. */
  refresh(): void {
    this.scheduleRebuild(false);
  }

  private scheduleRebuild(relist: boolean): void {
    this.relist ||= relist;
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => void this.rebuild(), REBUILD_DELAY_MS);
  }

  private notify(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.generation++;
      this.changed.fire();
    }, REBUILD_DELAY_MS);
  }

  private async rebuild(): Promise<void> {
    if (this.relist) {
      this.relist = false;
      this.files = (await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_FILES)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    }
    const resolver = new ClueResolver(new WorkspaceIndex(this.files, readPathMappings()), this.files, readText);
    const stats = new CodeStats((clue) => resolver.resolve(clue));
    for (const trace of this.store.traceViews()) stats.addTrace(trace);
    for (const trace of this.opened.all()) stats.addTrace(trace);
    this.stats = stats;
    this.generation++;
    this.changed.fire();
  }

  locationsIn(file: string): LocationStats[] {
    return this.stats?.locationsIn(normalisePath(file)) ?? [];
  }

  failuresIn(file: string): LocationStats[] {
    return this.stats?.failuresIn(normalisePath(file)) ?? [];
  }

  unresolved(): UnresolvedClue[] {
    return this.stats?.unresolved() ?? [];
  }

  dispose(): void {
    clearTimeout(this.rebuildTimer);
    clearTimeout(this.notifyTimer);
    for (const d of this.disposables) d.dispose();
  }
}
