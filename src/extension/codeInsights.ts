// Statistics per code location from every span this window holds (the receiver's store and traces opened
// from files), mapped onto the workspace's files. Rebuilt, debounced, when spans, files or mappings change.
import type { StackFrame } from '../core/code/stackTrace';
import * as vscode from 'vscode';
import { normalisePath } from '../core/code/pathMapping';
import type { Span } from '../core/model/trace';
import type { ReceivedStore } from './receivedStore';
import type { OpenedTraces } from '../core/sources/openedTraces';
import type { RouteIndex } from '../core/code/routes/routeIndex';
import type { LocationStats, UnresolvedClue } from '../core/stats/codeStats';
import { CodeIndex, type SpanCode } from '../core/stats/codeIndex';
import { SlicedBuild } from '../core/stats/slicedBuild';
import type { CodeClue } from '../core/code/codeClues';
import type { CodeLocation } from '../core/code/codeLocation';
import { RouteCatalog } from './routeCatalog';
import { SymbolPlacer } from './symbolPlacer';
import { TextCache } from './textCache';
import { WorkspaceFiles } from './workspaceFiles';
import { changed, readPathMappings, setting } from './settings';

const REBUILD_DELAY_MS = 300;
/** Spans added to a new index per turn of the loop (about 10 ms of work). */
const BUILD_SLICE_SPANS = 50_000;
const MAX_TEXT_BYTES = 2 * 1024 * 1024;

export class CodeInsights implements vscode.Disposable {
  /** Undefined until spans arrive: with nothing to map, the workspace is not even listed. */
  private index: CodeIndex | undefined;
  private files: readonly string[] = [];
  private routeIndex: RouteIndex | undefined;
  private rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  /** The rebuild under way; a rebuild asked for meanwhile runs after it, never beside it. */
  private rebuilding: Promise<void> | undefined;
  private rebuildAgain = false;
  /** The build under way, which hears of spans as they come and go. */
  private building: SlicedBuild | undefined;
  private builds = 0;
  /** Builds finished (each read every span held). */
  private built = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  private readonly routes: RouteCatalog;
  private readonly workspace: WorkspaceFiles;
  private readonly symbols = new SymbolPlacer(
    () => void this.build('a language server placed a function'),
    (m) => this.log.info(m),
  );
  private readonly texts = new TextCache(MAX_TEXT_BYTES);

  constructor(
    private readonly store: ReceivedStore,
    private readonly opened: OpenedTraces,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.routes = new RouteCatalog({
      roots: WorkspaceFiles.roots,
      handMappings: () => setting('routeHandlers'),
      maxTextBytes: MAX_TEXT_BYTES,
      log: (m) => this.log.info(m),
    });
    this.workspace = new WorkspaceFiles({
      listChanged: () => this.scheduleRebuild(),
      // An edited code file can move or change a route declaration: the routes are read again (off the thread).
      edited: (file) => {
        this.texts.invalidate(file);
        if (!RouteCatalog.affects(file)) return;
        this.routes.invalidate();
        this.scheduleRebuild();
      },
    });
    // New spans are added to the statistics as they are stored (cheap); only files and mappings rebuild.
    const spans = store.onSpans({
      added: (digest) => {
        if (this.index) this.index.stats.addDigest(digest);
        else this.scheduleRebuild();
        this.building?.added(digest);
        this.notify();
      },
      removed: (digest, traceIndex) => {
        this.index?.stats.removeDigest(digest, traceIndex);
        this.building?.removed(digest, traceIndex);
        this.notify();
      },
    });
    this.disposables = [
      this.changed,
      this.workspace,
      this.routes,
      this.symbols,
      { dispose: () => spans.dispose() },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (changed(e, 'routeHandlers')) this.routes.invalidate();
        if (changed(e, 'pathMappings', 'routeHandlers') || e.affectsConfiguration('launch')) this.scheduleRebuild();
      }),
    ];
    this.scheduleRebuild();
  }

  /** Traces opened from files count too: call after opening one. */
  refresh(): void {
    this.scheduleRebuild();
  }

  private scheduleRebuild(): void {
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => this.startRebuild(), REBUILD_DELAY_MS);
  }

  private startRebuild(): void {
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return;
    }
    // A failed rebuild would otherwise leave the lenses empty with no word why.
    this.rebuilding = this.rebuild()
      .catch((e: unknown) => this.log.error(`code statistics could not be rebuilt: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`))
      .finally(() => {
        this.rebuilding = undefined;
        if (!this.rebuildAgain) return;
        this.rebuildAgain = false;
        this.startRebuild();
      });
  }

  private notify(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.changed.fire();
      void this.placeMissing();
    }, REBUILD_DELAY_MS);
  }

  private async rebuild(): Promise<void> {
    if (this.store.empty && this.opened.all().length === 0 && this.opened.digests().length === 0) {
      this.index = undefined;
      this.changed.fire();
      return;
    }
    await this.readWorkspace();
    await this.placeMissing();
  }

  /**
   * Spans may name files not read yet, or functions only a language server can place: those are read or asked for
   * off the thread, and the statistics built once more only when one was found. (Rebuilding in order to ask
   * rebuilt a million held spans every few seconds while a receiver took spans that named such functions.)
   */
  private async placeMissing(): Promise<void> {
    if (await this.texts.fetchWanted()) await this.build('files it asked for were read');
    // In the background: a server still loading can take a minute, and awaited here it held every later rebuild.
    this.symbols.place(() => this.unplacedFunctions());
  }

  /** Lists the workspace (when files came or went) and reads its routes (when code changed), then builds. */
  private async readWorkspace(): Promise<void> {
    const files = await this.workspace.list();
    if (files !== this.files) this.log.info(`workspace: ${files.length} files listed`);
    this.files = files;
    this.routeIndex = await this.routes.index(this.files);
    await this.build('the workspace or its mappings changed');
  }

  /**
   * A new index over every span held, built a slice per turn of the loop (see SlicedBuild); the index in use
   * answers until it is done. A later build supersedes it.
   */
  private async build(why: string): Promise<void> {
    const generation = ++this.builds;
    const started = performance.now();
    const index = new CodeIndex(
      {
        files: this.files,
        mappings: readPathMappings(),
        roots: WorkspaceFiles.roots(),
        routes: this.routeIndex,
        readText: (file) => this.texts.get(file),
        symbol: (name) => this.symbols.location(name),
      },
      this.opened.all(),
    );
    const building = new SlicedBuild(index.stats, [...this.store.digests(), ...this.opened.digests()]);
    this.building = building;
    while (!building.step(BUILD_SLICE_SPANS)) {
      await new Promise((resolve) => setImmediate(resolve));
      if (generation !== this.builds) return;
    }
    this.building = undefined;
    this.index = index;
    this.built++;
    this.log.info(`code statistics built over ${building.spans} spans in ${Math.round(performance.now() - started)} ms (${why})`);
    this.changed.fire();
  }

  /** How many times the statistics were built over every span held (the host tests count them). */
  get completedBuilds(): number {
    return this.built;
  }

  /** The function names the statistics could not place, for the language servers. */
  private unplacedFunctions(): string[] {
    return this.index?.stats.unresolvedFunctions() ?? [];
  }

  /** Where a span's code is ("Go to Code"), and where it failed when that differs. */
  async locate(span: Span): Promise<SpanCode> {
    // Nothing received yet, so the workspace was never read: read it now for this one span.
    if (!this.index) await this.readWorkspace();
    const found = this.index?.locate(span) ?? {};
    // A file this span needs was not read yet: read it (off the thread) and resolve once more.
    if ((!found.code || !found.failure) && (await this.texts.fetchWanted())) {
      await this.build('files a span needs were read');
      return this.index?.locate(span) ?? found;
    }
    return found;
  }

  /** The workspace place a stack frame names, as a failure's frames are placed. */
  async locateFrame(frame: StackFrame): Promise<CodeLocation | undefined> {
    if (!this.index) await this.readWorkspace();
    return this.index?.locateClues([{ kind: 'stack', frames: [frame], from: 'exception.stacktrace' }]);
  }

  /** The place the first resolving clue names, as the statistics resolve it (nothing before spans arrive). */
  locateClues(clues: readonly CodeClue[]): CodeLocation | undefined {
    return this.index?.locateClues(clues);
  }

  locationsIn(file: string): LocationStats[] {
    return this.index?.stats.locationsIn(normalisePath(file)) ?? [];
  }

  failuresIn(file: string): LocationStats[] {
    return this.index?.stats.failuresIn(normalisePath(file)) ?? [];
  }

  allFailures(): LocationStats[] {
    return this.index?.stats.failures() ?? [];
  }

  unresolved(): UnresolvedClue[] {
    return this.index?.stats.unresolved() ?? [];
  }

  dispose(): void {
    clearTimeout(this.rebuildTimer);
    clearTimeout(this.notifyTimer);
    for (const d of this.disposables) d.dispose();
  }
}
