// Qualified function names (`com.acme.OrderService.place`) the text search could not place, asked of VS Code's
// workspace symbol providers (the language servers). A server still loading its project answers nothing, so a
// name it could not place is asked again, after 3 s, then twice as long each time up to 30 s, for about four
// minutes: every ask is a search of a whole project by every server, and a receiver at full rate brings names
// no server will ever know (other services' functions). The owner hears only of new finds.
import * as vscode from 'vscode';
import { backoffMs, type Backoff } from '../core/timing/backoff';
import { within } from '../core/timing/within';
import { normalisePath } from '../core/code/pathMapping';
import type { CodeLocation } from '../core/code/codeLocation';
import { counted } from '../core/analysis/counted';

const MAX_QUERIES = 50;
/** 3, 6, 12, 24, then every 30 s: twelve asks over about four minutes (255 s). */
const SYMBOL_RETRY: Backoff = { firstMs: 3000, longestMs: 30_000 };
const MAX_ATTEMPTS = 12;
/** A symbol search unanswered this long counts as a miss (asked again later). */
const ASK_TIMEOUT_MS = 5_000;
/** One round's symbol searches by the name searched for (undefined: the search failed). */
type Searches = Map<string, Promise<vscode.SymbolInformation[] | undefined>>;
/** The symbol kinds a CodeLens or a span's function can be. */
export const FUNCTION_KINDS = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor]);

export class SymbolPlacer implements vscode.Disposable {
  private readonly placed = new Map<string, CodeLocation>();
  private readonly attempts = new Map<string, { count: number; next: number }>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private wanted: () => string[] = () => [];
  private placing = false;

  /** `found` runs after a retry placed a name the statistics are waiting for. */
  constructor(
    private readonly found: () => void,
    private readonly log: (message: string) => void,
  ) {}

  location(name: string): CodeLocation | undefined {
    return this.placed.get(name);
  }

  /** The names among `names` not yet asked, or due to be asked again. */
  due(names: readonly string[]): string[] {
    const now = Date.now();
    return names.filter((n) => {
      const attempts = this.attempts.get(n);
      return !this.placed.has(n) && (!attempts || (attempts.count < MAX_ATTEMPTS && now >= attempts.next));
    });
  }

  /** Asks the symbol providers for the due names; true when one was placed. Retries the misses later on its own. */
  async place(names: () => string[]): Promise<boolean> {
    this.wanted = names;
    // One round at a time: a round still waiting on a server is not joined by another.
    if (this.placing) return false;
    this.placing = true;
    try {
      return await this.round(names);
    } finally {
      this.placing = false;
    }
  }

  private async round(names: () => string[]): Promise<boolean> {
    const due = this.due(names()).slice(0, MAX_QUERIES);
    let foundAny = false;
    let missed = false;
    // Names that end alike (two classes' `place`) are one search.
    const searches: Searches = new Map();
    for (const name of due) {
      const count = (this.attempts.get(name)?.count ?? 0) + 1;
      this.attempts.set(name, { count, next: Date.now() + backoffMs(count, SYMBOL_RETRY) });
      const match = await this.ask(name, searches);
      if (!match) {
        missed = true;
        if (count === MAX_ATTEMPTS) this.log(`symbols: no language server knows ${name} (asked ${count} times)`);
        continue;
      }
      this.log(`symbols: ${name} is at ${match.file}:${match.line} (asked ${counted(count, 'time')})`);
      this.placed.set(name, match);
      foundAny = true;
    }
    if (missed) this.retryLater();
    return foundAny;
  }

  private async ask(name: string, searches: Searches): Promise<CodeLocation | undefined> {
    const parts = name.split(/[.:#/\\]+/).filter(Boolean);
    const short = parts[parts.length - 1];
    const owner = parts[parts.length - 2];
    let search = searches.get(short);
    if (!search) searches.set(short, (search = this.search(short)));
    const symbols = await search;
    if (!symbols) return undefined;
    // Some servers name functions with their parameter list ("placeOrder()").
    const named = symbols.filter((s) => s.name.replace(/\(.*\)$/, '') === short && FUNCTION_KINDS.has(s.kind) && s.location.uri.scheme === 'file');
    const match = named.find((s) => owner && s.containerName.endsWith(owner)) ?? named[0];
    return match && { file: normalisePath(match.location.uri.fsPath), line: match.location.range.start.line + 1, function: name };
  }

  /** Undefined when the search failed (a server that fails while it loads is asked again like one that answered nothing). */
  private async search(short: string): Promise<vscode.SymbolInformation[] | undefined> {
    try {
      const asked = vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', short);
      return (await within(asked, ASK_TIMEOUT_MS)) ?? [];
    } catch (e) {
      this.log(`symbols: the symbol search for ${short} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private retryLater(): void {
    const next = Math.min(...[...this.attempts.values()].filter((a) => a.count < MAX_ATTEMPTS).map((a) => a.next));
    if (!Number.isFinite(next)) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(
      () => {
        void this.place(this.wanted).then((foundAny) => foundAny && this.found());
      },
      Math.max(0, next - Date.now()),
    );
  }

  dispose(): void {
    clearTimeout(this.retryTimer);
  }
}
