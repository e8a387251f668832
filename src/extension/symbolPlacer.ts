// Qualified function names (`com.acme.OrderService.place`) the text search could not place, asked of VS Code's
// workspace symbol providers (the language servers). A server still loading its project answers nothing, so a
// name it could not place is asked again, after 3 s, then twice as long each time up to 30 s, for about four
// minutes: every ask is a search of a whole project by every server, and a receiver at full rate brings names
// no server will ever know (other services' functions). For the same reason rounds of asks start at least 3 s
// apart: spans bringing new names in every batch (generated or hostile ones) would otherwise have a round follow
// the last as fast as the servers answered. The owner hears only of new finds.
import * as vscode from 'vscode';
import { backoffMs, type Backoff } from '../core/timing/backoff';
import { PacedRounds } from '../core/timing/pacedRounds';
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
  private readonly rounds = new PacedRounds(() => this.round(), SYMBOL_RETRY.firstMs);
  private wanted: () => string[] = () => [];

  /** `found` runs after a round placed a name the statistics are waiting for. */
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

  /** Asks the symbol providers for the due names among `names`, in a round of its own; misses are asked again later. */
  place(names: () => string[]): void {
    this.wanted = names;
    this.rounds.request();
  }

  private async round(): Promise<void> {
    const all = this.due(this.wanted());
    // The rest in a round of their own.
    if (all.length > MAX_QUERIES) this.rounds.request();
    const due = all.slice(0, MAX_QUERIES);
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
    if (foundAny) this.found();
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
    if (Number.isFinite(next)) this.rounds.request(next);
  }

  dispose(): void {
    this.rounds.dispose();
  }
}
