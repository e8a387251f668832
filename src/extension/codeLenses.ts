// Latency CodeLens on the function that encloses where spans point (document symbols, or a text outline where
// no language extension answers), and the error gutter with its hover on lines where failing spans failed.
import * as vscode from 'vscode';
import { formatAge } from '../core/analysis/formatAge';
import { LruMap } from '../core/cache/lruMap';
import { within } from '../core/timing/within';
import { enclosingFunction, functionStarts } from '../core/code/functionOutline';
import { groupByFunction } from '../core/stats/functionStats';
import { DEFAULT_LENS_FORMAT, lensText } from '../core/stats/lensText';
import { editorLine } from '../core/code/codeLocation';
import type { Exemplar } from '../core/stats/codeStats';
import { formatDuration } from '../core/analysis/formatDuration';
import type { CodeInsights } from './codeInsights';
import { escapeMarkdown } from './markdown';
import { changed, setting } from './settings';
import { LineDiagnostics, type LineEntry } from './lineDiagnostics';
import { FUNCTION_KINDS } from './symbolPlacer';
import type { ActiveComparison } from './activeComparison';
import type { LensRefresh } from './lensRefresh';
import { lensDelta, lensDeltaTooltip } from '../core/analysis/compare/lensDelta';

const MAX_CACHED_DOCUMENTS = 50;

function flatten(symbols: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children)]);
}

/** TypeScript's outline lists anonymous callbacks ("traced() callback", "<function>"): a lens belongs to a named function. */
const ANONYMOUS = /^<.*>$| callback$/;

type FunctionRange = { name: string; line: number; endLine: number };

/**
 * A language server still loading its project can take a minute to answer. A lens waits for it once per
 * document version, briefly; after that the text's outline serves, and the server's answer, when it comes,
 * redraws the lenses. Waiting on every request instead would starve them: spans arrive faster than a slow
 * server answers, and each arrival cancels the request before.
 */
const FIRST_WAIT_MS = 3_000;
/** A request unanswered this long is given up, so the server is asked again once it has loaded. */
const GIVE_UP_MS = 30_000;

/** The named functions a language server's outline lists, or undefined when none answers (yet). */
async function functionRanges(document: vscode.TextDocument): Promise<FunctionRange[] | undefined> {
  const asked = vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri);
  const symbols = await within(asked, GIVE_UP_MS).catch(() => undefined);
  const functions = flatten(symbols ?? []).filter((s) => FUNCTION_KINDS.has(s.kind) && 'range' in s && !ANONYMOUS.test(s.name));
  return functions.length ? functions.map((f) => ({ name: f.name, line: f.range.start.line, endLine: f.range.end.line })) : undefined;
}

type Outline = { version: number; ranges?: FunctionRange[]; starts?: ReturnType<typeof functionStarts>; asking?: Promise<unknown>; waited?: boolean };

/**
 * Where each document's functions are, per document version: a language server is asked once per edit, not once
 * per batch of spans. An outline nobody answered is not kept, so a server that finishes loading is asked again.
 */
class FunctionIndex {
  private readonly byDocument = new LruMap<string, Outline>(MAX_CACHED_DOCUMENTS);

  /** `answered` runs when a server's outline came after the text's had served. */
  constructor(private readonly answered: () => void) {}

  /** The function enclosing a (0-based) line of the document: its outline from the language server, or the text's. */
  async enclosing(document: vscode.TextDocument): Promise<(line: number) => { line: number; name: string } | undefined> {
    const key = document.uri.toString();
    const cached = this.byDocument.get(key);
    const outline: Outline = cached?.version === document.version ? cached : { version: document.version };
    this.byDocument.set(key, outline);
    if (!outline.ranges) await this.ask(document, outline);
    const ranges = outline.ranges;
    if (ranges)
      return (line) => {
        const inner = ranges
          .filter((r) => r.line <= line && r.endLine >= line)
          .sort((a, b) => a.line - b.line)
          .pop();
        return inner && { line: inner.line, name: inner.name };
      };
    outline.starts ??= functionStarts(document.getText());
    const starts = outline.starts;
    return (line) => enclosingFunction(starts, line);
  }

  /** Asks the server unless a request is out; waits for the answer only the first time for this version. */
  private async ask(document: vscode.TextDocument, outline: Outline): Promise<void> {
    if (!outline.asking) {
      outline.asking = functionRanges(document).then((ranges) => {
        outline.asking = undefined;
        outline.ranges = ranges;
        if (ranges && outline.waited) this.answered();
      });
    }
    if (outline.waited) return;
    await within(outline.asking, FIRST_WAIT_MS);
    outline.waited = true;
  }
}

class LatencyLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly functions: FunctionIndex;
  readonly onDidChangeCodeLenses: vscode.Event<void>;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly insights: CodeInsights,
    private readonly comparison: ActiveComparison,
    private readonly refresh: LensRefresh,
  ) {
    this.functions = new FunctionIndex(() => refresh.changed());
    this.onDidChangeCodeLenses = refresh.onDidChange;
    this.disposables = [
      insights.onDidChange(() => refresh.changed()),
      comparison.onDidChange(() => refresh.changed()),
      // The lens text and threshold are settings: the lenses shown were made with the old ones.
      vscode.workspace.onDidChangeConfiguration((e) => changed(e, 'codeLens') && refresh.changed()),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    return this.refresh.timed(() => this.lenses(document, token));
  }

  private async lenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (this.insights.locationsIn(document.uri.fsPath).length === 0) return [];
    const enclosing = await this.functions.enclosing(document);
    if (token.isCancellationRequested) return [];
    // The statistics are read after the outline's await: spans that arrived meanwhile are counted, never lost
    // to a lens made from the statistics before them.
    const functions = groupByFunction(this.insights.locationsIn(document.uri.fsPath), document.lineCount, enclosing);
    const minCalls = setting('codeLens.minCalls');
    const format = setting('codeLens.format') || DEFAULT_LENS_FORMAT;
    const deltas = deltaOf(this.comparison, document.uri.fsPath, enclosing);
    return functions
      .filter((f) => f.sketch.count >= minCalls)
      .map(
        (f) =>
          new vscode.CodeLens(new vscode.Range(f.line, 0, f.line, 0), {
            title: lensText(format, f.sketch, f.errorCount) + (deltas.get(f.line)?.title ?? ''),
            tooltip: `Trace Lens: ${f.sketch.count} spans of ${f.name || 'this code'} started between ${new Date(f.firstSeenMs).toLocaleString()} and ${new Date(f.lastSeenMs).toLocaleString()} (latency quantiles within 1%). Click for example traces.${deltas.get(f.line)?.tooltip ?? ''}`,
            command: 'traceLens.showExemplars',
            // Command arguments cross to the workbench as JSON: no bigint.
            arguments: [{ name: f.name, slowest: f.slowest && plain(f.slowest), latestFailing: f.latestFailing && plain(f.latestFailing) }],
          }),
      );
  }
}

/** The comparison's largest significant change per function (by the line the function starts on). */
type Enclosing = Awaited<ReturnType<FunctionIndex['enclosing']>>;

function deltaOf(comparison: ActiveComparison, file: string, enclosing: Enclosing): Map<number, { title: string; tooltip: string; size: number }> {
  const byLine = new Map<number, { title: string; tooltip: string; size: number }>();
  const report = comparison.report;
  if (!report) return byLine;
  for (const { row, location } of comparison.changesIn(file)) {
    const fn = enclosing(editorLine(location));
    if (!fn || Math.abs(row.change) <= (byLine.get(fn.line)?.size ?? -1)) continue;
    byLine.set(fn.line, { title: ` · ${lensDelta(row, report)}`, tooltip: `\n\nCompared: ${lensDeltaTooltip(row, report)}`, size: Math.abs(row.change) });
  }
  return byLine;
}

interface PlainExemplar {
  traceId: string;
  spanId: string;
  durationNs: number;
  endMs: number;
}

function plain(e: Exemplar): PlainExemplar {
  return { traceId: e.traceId, spanId: e.spanId, durationNs: e.durationNs, endMs: Number(e.endUnixNano / 1_000_000n) };
}

function openTraceLink(e: Exemplar): string {
  return `command:traceLens.openTrace?${encodeURIComponent(JSON.stringify([e.traceId, e.spanId]))}`;
}

class FailureHoverProvider implements vscode.HoverProvider {
  constructor(private readonly insights: CodeInsights) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const failures = this.insights.failuresIn(document.uri.fsPath).filter((f) => editorLine(f.location) === position.line);
    if (failures.length === 0) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['traceLens.openTrace'] };
    for (const f of failures) {
      const latest = f.latestFailing as (Exemplar & { message?: string; exceptionType?: string }) | undefined;
      const what = [latest?.exceptionType, latest?.message].filter(Boolean).join(': ') || 'failing span';
      md.appendMarkdown(`$(error) **${escapeMarkdown(what)}**\n\n${f.errorCount} failure${f.errorCount > 1 ? 's' : ''} here`);
      if (latest) md.appendMarkdown(`, last ${formatAge(plain(latest).endMs)} · [Open the latest failing trace](${openTraceLink(latest)})`);
      md.appendMarkdown('\n\n');
    }
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }
}

class ErrorGutter implements vscode.Disposable {
  private readonly decoration: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[];

  constructor(
    extensionUri: vscode.Uri,
    private readonly insights: CodeInsights,
  ) {
    this.decoration = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'error-gutter.svg'),
      gutterIconSize: 'contain',
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('traceLens.failingLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('traceLens.failingLineRuler'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
    this.disposables = [this.decoration, insights.onDidChange(() => this.paint()), vscode.window.onDidChangeVisibleTextEditors(() => this.paint())];
    this.paint();
  }

  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const lines = this.insights
        .failuresIn(editor.document.uri.fsPath)
        .map((f) => editorLine(f.location))
        .filter((l) => l < editor.document.lineCount);
      editor.setDecorations(
        this.decoration,
        lines.map((l) => new vscode.Range(l, 0, l, 0)),
      );
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Failing lines as Problems entries: what failed there and how often. */
function failureEntries(insights: CodeInsights): LineEntry[] {
  return insights.allFailures().map((f) => {
    const latest = f.latestFailing as (Exemplar & { message?: string; exceptionType?: string }) | undefined;
    const what = [latest?.exceptionType, latest?.message].filter(Boolean).join(': ') || 'failing spans';
    return {
      file: f.location.file,
      line: editorLine(f.location),
      message: `${what} (${f.errorCount} failure${f.errorCount > 1 ? 's' : ''} in traces)`,
      severity: vscode.DiagnosticSeverity.Warning,
    };
  });
}

export function registerCodeFeatures(
  extensionUri: vscode.Uri,
  insights: CodeInsights,
  comparison: ActiveComparison,
  lensRefresh: LensRefresh,
): vscode.Disposable[] {
  const files: vscode.DocumentSelector = { scheme: 'file' };
  const lenses = new LatencyLensProvider(insights, comparison, lensRefresh);
  return [
    lenses,
    vscode.languages.registerCodeLensProvider(files, lenses),
    vscode.languages.registerHoverProvider(files, new FailureHoverProvider(insights)),
    new ErrorGutter(extensionUri, insights),
    new LineDiagnostics('Trace Lens', insights.onDidChange, () => failureEntries(insights)),
    vscode.commands.registerCommand('traceLens.showExemplars', async (args: { name: string; slowest?: PlainExemplar; latestFailing?: PlainExemplar }) => {
      const items = [
        ...(args.slowest
          ? [{ label: `$(watch) Slowest: ${formatDuration(args.slowest.durationNs)}`, detail: args.slowest.traceId, exemplar: args.slowest }]
          : []),
        ...(args.latestFailing
          ? [{ label: `$(error) Latest failing, ${formatAge(args.latestFailing.endMs)}`, detail: args.latestFailing.traceId, exemplar: args.latestFailing }]
          : []),
      ];
      const picked =
        items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: `Trace Lens: example traces of ${args.name || 'this code'}` });
      if (picked) await vscode.commands.executeCommand('traceLens.openTrace', picked.exemplar.traceId, picked.exemplar.spanId);
    }),
    vscode.commands.registerCommand('traceLens.showUnresolvedCodeLocations', async () => {
      const unresolved = insights.unresolved();
      if (unresolved.length === 0)
        return void vscode.window.showInformationMessage('Trace Lens: every code clue in the spans held maps to a workspace file (or there are no spans yet).');
      const picked = await vscode.window.showQuickPick(
        unresolved.map((u) => ({ label: u.clue, description: `${u.count}×`, detail: u.reason, u })),
        { title: 'Trace Lens: code locations that could not be mapped', placeHolder: 'Pick one to add a path mapping for it' },
      );
      if (!picked) return;
      const path = picked.u.clue.replace(/:\d+ \(.*\)$|\s\(.*\)$/, '');
      const remote = await vscode.window.showInputBox({
        title: 'Remote path prefix (as the running system reports it)',
        value: path.slice(0, path.lastIndexOf('/') + 1) || path,
      });
      if (!remote) return;
      const [local] = (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, title: `Local folder for ${remote}` })) ?? [];
      if (!local) return;
      await vscode.workspace
        .getConfiguration('traceLens')
        .update('pathMappings', [...setting('pathMappings'), { remote, local: local.fsPath }], vscode.ConfigurationTarget.Workspace);
    }),
  ];
}
