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
  private byFile = new Map<string, LocationStats[]>();
  private failuresByFile = new Map<string, LocationStats[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];
  /** Bumped on every rebuild: providers cache per document version and generation. */
  generation = 0;

  constructor(private readonly store: SpanStore, private readonly opened: OpenedTraces) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const storeChanged = store.onChanged(() => this.schedule(false));
    this.disposables = [
      this.changed,
      watcher,
      watcher.onDidCreate(() => this.schedule(true)),
      watcher.onDidDelete(() => this.schedule(true)),
      { dispose: () => storeChanged.dispose() },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('traceLens.pathMappings') || e.affectsConfiguration('launch')) this.schedule(false);
      }),
    ];
    this.schedule(true);
  }

  /** Opened trace files count too: call after opening one. */
  refresh(): void {
    this.schedule(false);
  }

  private relist = false;

  private schedule(relist: boolean): void {
    this.relist ||= relist;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.rebuild(), REBUILD_DELAY_MS);
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
    this.byFile = group(stats.locations());
    this.failuresByFile = group(stats.failures());
    this.generation++;
    this.changed.fire();
  }

  locationsIn(file: string): LocationStats[] {
    return this.byFile.get(normalisePath(file)) ?? [];
  }

  failuresIn(file: string): LocationStats[] {
    return this.failuresByFile.get(normalisePath(file)) ?? [];
  }

  unresolved(): UnresolvedClue[] {
    return this.stats?.unresolved() ?? [];
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function group(list: LocationStats[]): Map<string, LocationStats[]> {
  const map = new Map<string, LocationStats[]>();
  for (const s of list) {
    const key = normalisePath(s.location.file);
    const entry = map.get(key);
    if (entry) entry.push(s);
    else map.set(key, [s]);
  }
  return map;
}
