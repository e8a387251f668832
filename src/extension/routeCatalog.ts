// The workspace's route declarations, read in a worker thread and kept until a code file changes: the reading
// (every code file's text) never runs on the extension host's thread, and an unchanged workspace is read once.
// The user's hand mappings (traceLens.routeHandlers) join them: a few named files, read here.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { RouteWorkerAnswer, RouteWorkerRequest } from '../core/code/routes/routeWorker';
import { RouteIndex, type RouteDeclaration } from '../core/code/routes/routeIndex';
import { userRoutes } from '../core/code/routes/userRoutes';

export interface RouteCatalogOptions {
  roots(): readonly string[];
  /** traceLens.routeHandlers as configured. */
  handMappings(): Record<string, unknown>;
  maxTextBytes: number;
  log(message: string): void;
}

const CODE_FILE = /\.(?:py|[cm]?js|jsx|ts|tsx|java|kt|go|cs)$|\/config\/routes\.rb$/;

export class RouteCatalog implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 0;
  private cached: { files: readonly string[]; index: Promise<RouteIndex> } | undefined;
  private readonly pending = new Map<number, { resolve(declarations: RouteDeclaration[]): void }>();

  constructor(private readonly options: RouteCatalogOptions) {}

  /** Whether a changed file can change a route (a code file of a language routes are read in). */
  static affects(file: string): boolean {
    return CODE_FILE.test(file) && !file.includes('/node_modules/');
  }

  invalidate(): void {
    this.cached = undefined;
  }

  /** The index for these files: the cached one while nothing changed, else read anew in the worker. */
  index(files: readonly string[]): Promise<RouteIndex> {
    if (this.cached?.files === files) return this.cached.index;
    const index = Promise.all([this.read(files), this.handMapped(files)]).then(([read, byHand]) => new RouteIndex([...read, ...byHand]));
    this.cached = { files, index };
    return index;
  }

  /** The hand mappings' few files are read asynchronously first; the mapping itself needs their text. */
  private async handMapped(files: readonly string[]): Promise<RouteDeclaration[]> {
    const set = new Set(files);
    const roots = this.options.roots();
    const resolveFile = (path: string) => (path.startsWith('/') ? [path] : roots.map((r) => `${r}/${path.replace(/^\.\//, '')}`)).find((f) => set.has(f));
    const entries = this.options.handMappings();
    const texts = new Map<string, string>();
    for (const target of Object.values(entries)) {
      const file = typeof target === 'string' ? resolveFile(target.split('#')[0]) : undefined;
      if (!file || texts.has(file)) continue;
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined && text.length <= this.options.maxTextBytes) texts.set(file, text);
    }
    const { declarations, problems } = userRoutes(entries, resolveFile, (file) => texts.get(file));
    for (const problem of problems) this.options.log(problem);
    return declarations;
  }

  private read(files: readonly string[]): Promise<RouteDeclaration[]> {
    const id = ++this.nextId;
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      worker.postMessage({
        id,
        files: files.filter((f) => RouteCatalog.affects(f)),
        roots: [...this.options.roots()],
        maxTextBytes: this.options.maxTextBytes,
      } satisfies RouteWorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(__dirname, 'routeWorker.js'));
    worker.on('message', (answer: RouteWorkerAnswer) => {
      const waiting = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if ('error' in answer) this.options.log(`route declarations could not be read: ${answer.error}`);
      else this.options.log(`route declarations: ${answer.declarations.length} in ${answer.files} files, read in ${Math.round(answer.ms)} ms (worker thread)`);
      waiting?.resolve('error' in answer ? [] : answer.declarations);
    });
    // A worker that dies answers nothing: everyone waiting gets an empty index (routes unresolved, said why).
    worker.on('error', (error) => this.fail(`the route reader stopped: ${error.message}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.fail('the route reader exited');
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private fail(message: string): void {
    if (this.pending.size === 0) return;
    this.options.log(message);
    for (const { resolve } of this.pending.values()) resolve([]);
    this.pending.clear();
    this.cached = undefined;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
