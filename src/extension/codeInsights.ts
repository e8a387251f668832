// Statistics per code location from every span this window holds (the receiver's store and traces opened
// from files), mapped onto the workspace's files. Rebuilt, debounced, when spans, files or mappings change.
import * as vscode from 'vscode';
import { ClueResolver } from '../core/code/clueResolver';
import { codeClues, errorClues, type CodeClue } from '../core/code/codeClues';
import type { Span } from '../core/model/trace';
import { normalisePath, WorkspaceIndex, type PathMapping } from '../core/code/pathMapping';
import type { SpanStore } from '../core/receiver/spanStore';
import type { OpenedTraces } from '../core/sources/openedTraces';
import type { RouteIndex } from '../core/code/routes/routeIndex';
import type { ClueResolution, CodeLocation } from '../core/code/codeLocation';
import { CodeStats, type LocationStats, type UnresolvedClue } from '../core/stats/codeStats';
import { RouteCatalog } from './routeCatalog';
import { SymbolPlacer } from './symbolPlacer';
import { TextCache } from './textCache';
import { changed, setting } from './settings';

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
  for (const m of setting('pathMappings')) {
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

async function listWorkspaceFiles(): Promise<string[]> {
  return (await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_FILES)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => normalisePath(f.uri.fsPath));
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

  private readonly routes: RouteCatalog;
  private routeIndex: RouteIndex | undefined;
  private readonly symbols = new SymbolPlacer(() => this.build(), (m) => this.log.info(m));
  private readonly texts = new TextCache(MAX_TEXT_BYTES);

  constructor(private readonly store: SpanStore, private readonly opened: OpenedTraces, private readonly log: vscode.LogOutputChannel) {
    this.routes = new RouteCatalog({
      roots: workspaceRoots,
      handMappings: () => setting('routeHandlers'),
      maxTextBytes: MAX_TEXT_BYTES,
      log: (m) => this.log.info(m),
    });
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    // An edited code file can move or change a route declaration: the routes are read again (off the thread).
    const codeChanged = (uri: vscode.Uri) => {
      this.texts.invalidate(normalisePath(uri.fsPath));
      if (!RouteCatalog.affects(uri.fsPath)) return;
      this.routes.invalidate();
      this.scheduleRebuild(false);
    };
    // New spans are added to the statistics as they are stored (cheap); only files and mappings rebuild.
    const spans = store.onSpans({
      added: (view) => {
        if (this.stats) this.stats.addTrace(view);
        else this.scheduleRebuild(false);
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
      this.routes,
      this.symbols,
      watcher.onDidCreate(() => this.scheduleRebuild(true)),
      watcher.onDidDelete(() => this.scheduleRebuild(true)),
      watcher.onDidChange(codeChanged),
      { dispose: () => spans.dispose() },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (changed(e, 'routeHandlers')) this.routes.invalidate();
        if (changed(e, 'pathMappings', 'routeHandlers') || e.affectsConfiguration('launch')) this.scheduleRebuild(false);
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
    // A failed rebuild would otherwise leave the lenses empty with no word why.
    this.rebuildTimer = setTimeout(() => this.rebuild().catch((e: unknown) => this.log.error(`code statistics could not be rebuilt: ${e instanceof Error ? e.stack ?? e.message : String(e)}`)), REBUILD_DELAY_MS);
  }

  private notify(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.changed.fire();
      // New spans may name functions only a language server can place, or files not read yet.
      if (this.texts.hasWanted || this.symbols.due(this.unplacedFunctions()).length) this.scheduleRebuild(false);
    }, REBUILD_DELAY_MS);
  }

  private async rebuild(): Promise<void> {
    // With no spans held there is nothing to map: the workspace is listed once the first spans arrive.
    if (this.store.size.spans === 0 && this.opened.all().length === 0) {
      this.stats = undefined;
      this.relist = true;
      this.changed.fire();
      return;
    }
    if (this.relist) {
      this.relist = false;
      this.files = await listWorkspaceFiles();
    }
    this.routeIndex = await this.routes.index(this.files);
    this.build();
    // Files the resolution asked for are read off the thread; with them, build once more.
    if (await this.texts.fetchWanted()) this.build();
    // Functions the text search could not place: ask the language servers, then build once more with their answers.
    if (await this.symbols.place(() => this.unplacedFunctions())) this.build();
  }

  private build(): void {
    const resolver = new ClueResolver(new WorkspaceIndex(this.files, readPathMappings()), this.files, (file) => this.texts.get(file), workspaceRoots(), this.routeIndex);
    this.resolve = (clue) => (clue.kind === 'symbol' && this.symbols.location(clue.name)) || resolver.resolve(clue);
    const stats = new CodeStats(this.resolve);
    for (const trace of this.store.traceViews()) stats.addTrace(trace);
    for (const trace of this.opened.all()) stats.addTrace(trace);
    this.stats = stats;
    this.changed.fire();
  }

  /** The function names the statistics could not place, for the language servers. */
  private unplacedFunctions(): string[] {
    return this.stats?.unresolvedFunctions() ?? [];
  }

  private resolve: ((clue: CodeClue) => ClueResolution) | undefined;

  /** Where a span's code is ("Go to Code"), and where it failed when that differs: the first clue that resolves. */
  async locate(span: Span): Promise<{ code?: CodeLocation; failure?: CodeLocation }> {
    if (!this.resolve) {
      // Nothing received yet, so the workspace was never listed: list it now for this one span.
      this.files = await listWorkspaceFiles();
      this.relist = false;
      this.routeIndex = await this.routes.index(this.files);
      this.build();
    }
    const first = (clues: CodeClue[]) => clues.map((c) => this.resolve!(c)).find((r): r is CodeLocation => 'file' in r);
    let code = first(codeClues(span));
    let failure = first(errorClues(span));
    // A file this span needs was not read yet: read it (off the thread) and resolve once more.
    if ((!code || !failure) && (await this.texts.fetchWanted())) {
      this.build();
      code = first(codeClues(span));
      failure = first(errorClues(span));
    }
    return { code, failure: failure && (failure.file !== code?.file || failure.line !== code?.line) ? failure : undefined };
  }

  locationsIn(file: string): LocationStats[] {
    return this.stats?.locationsIn(normalisePath(file)) ?? [];
  }

  failuresIn(file: string): LocationStats[] {
    return this.stats?.failuresIn(normalisePath(file)) ?? [];
  }

  allFailures(): LocationStats[] {
    return this.stats?.failures() ?? [];
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
