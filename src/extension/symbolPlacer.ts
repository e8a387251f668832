// Qualified function names (`com.acme.OrderService.place`) the text search could not place, asked of VS Code's
// workspace symbol providers (the language servers). A server still loading its project answers nothing, so a
// name it could not place is asked again every few seconds for a minute; the owner hears only of new finds.
import * as vscode from 'vscode';
import { within } from '../core/timing/within';
import { normalisePath } from '../core/code/pathMapping';
import type { CodeLocation } from '../core/code/codeLocation';
import { counted } from '../core/analysis/counted';

const MAX_QUERIES = 50;
const RETRY_MS = 3000;
const MAX_ATTEMPTS = 20;
/** A symbol search unanswered this long counts as a miss (asked again later). */
const ASK_TIMEOUT_MS = 5_000;
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
    for (const name of due) {
      const count = (this.attempts.get(name)?.count ?? 0) + 1;
      this.attempts.set(name, { count, next: Date.now() + RETRY_MS });
      const match = await this.ask(name);
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

  private async ask(name: string): Promise<CodeLocation | undefined> {
    const parts = name.split(/[.:#/\\]+/).filter(Boolean);
    const short = parts[parts.length - 1];
    const owner = parts[parts.length - 2];
    let symbols: vscode.SymbolInformation[];
    try {
      const asked = vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', short);
      symbols = (await within(asked, ASK_TIMEOUT_MS)) ?? [];
    } catch (e) {
      // A server that fails while it loads is asked again like one that answered nothing.
      this.log(`symbols: the symbol search for ${short} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    // Some servers name functions with their parameter list ("placeOrder()").
    const named = symbols.filter((s) => s.name.replace(/\(.*\)$/, '') === short && FUNCTION_KINDS.has(s.kind) && s.location.uri.scheme === 'file');
    const match = named.find((s) => owner && s.containerName.endsWith(owner)) ?? named[0];
    return match && { file: normalisePath(match.location.uri.fsPath), line: match.location.range.start.line + 1, function: name };
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
