// Latency CodeLens on the function that encloses where spans point (document symbols, or a text outline where
// no language extension answers), and the error gutter with its hover on lines where failing spans failed.
import * as vscode from 'vscode';
import { formatAge } from '../core/analysis/formatAge';
import { LruMap } from '../core/cache/lruMap';
import { enclosingFunction, functionStarts } from '../core/code/functionOutline';
import { groupByFunction, type FunctionStats } from '../core/stats/functionStats';
import { DEFAULT_LENS_FORMAT, lensText } from '../core/stats/lensText';
import { editorLine } from '../core/code/codeLocation';
import type { Exemplar, LocationStats } from '../core/stats/codeStats';
import { formatDuration } from '../core/analysis/formatDuration';
import type { CodeInsights } from './codeInsights';
import { escapeMarkdown } from './markdown';
import { changed, setting } from './settings';
import { FUNCTION_KINDS } from './symbolPlacer';

const MAX_CACHED_DOCUMENTS = 50;

function flatten(symbols: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children)]);
}

/** TypeScript's outline lists anonymous callbacks ("traced() callback", "<function>"): a lens belongs to a named function. */
const ANONYMOUS = /^<.*>$| callback$/;

async function functionRanges(document: vscode.TextDocument): Promise<{ name: string; range: vscode.Range }[] | undefined> {
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri);
  const functions = flatten(symbols ?? []).filter((s) => FUNCTION_KINDS.has(s.kind) && 'range' in s && !ANONYMOUS.test(s.name));
  return functions.length ? functions.map((f) => ({ name: f.name, range: f.range })) : undefined;
}

/** Groups location statistics by the enclosing function: document symbols first, a text outline otherwise. */
async function byFunction(document: vscode.TextDocument, locations: LocationStats[]): Promise<FunctionStats[]> {
  const ranges = await functionRanges(document);
  if (ranges) {
    return groupByFunction(locations, document.lineCount, (line) => {
      const inner = ranges.filter((r) => r.range.start.line <= line && r.range.end.line >= line).sort((a, b) => a.range.start.line - b.range.start.line).pop();
      return inner && { line: inner.range.start.line, name: inner.name };
    });
  }
  const outline = outlineOf(document);
  return groupByFunction(locations, document.lineCount, (line) => enclosingFunction(outline, line));
}

/** The text outline of the last few documents, per version: new span data does not re-read the text. */
const outlines = new LruMap<string, { version: number; starts: ReturnType<typeof functionStarts> }>(20);
function outlineOf(document: vscode.TextDocument): ReturnType<typeof functionStarts> {
  const key = document.uri.toString();
  const cached = outlines.get(key);
  if (cached?.version === document.version) return cached.starts;
  const starts = functionStarts(document.getText());
  outlines.set(key, { version: document.version, starts });
  return starts;
}

class LatencyLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly cache = new LruMap<string, { version: number; generation: number; lenses: vscode.CodeLens[] }>(MAX_CACHED_DOCUMENTS);
  private readonly changedLenses = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changedLenses.event;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly insights: CodeInsights) {
    this.disposables = [
      this.changedLenses,
      insights.onDidChange(() => this.changedLenses.fire()),
      // The lens text and threshold are settings: the cached lenses were made with the old ones.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!changed(e, 'codeLens')) return;
        this.cache.clear();
        this.changedLenses.fire();
      }),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version && cached.generation === this.insights.generation) return cached.lenses;
    const locations = this.insights.locationsIn(document.uri.fsPath);
    if (locations.length === 0) return [];
    const minCalls = setting('codeLens.minCalls');
    const format = setting('codeLens.format') || DEFAULT_LENS_FORMAT;
    const functions = await byFunction(document, locations);
    if (token.isCancellationRequested) return [];
    const lenses = functions
      .filter((f) => f.sketch.count >= minCalls)
      .map((f) => new vscode.CodeLens(new vscode.Range(f.line, 0, f.line, 0), {
        title: lensText(format, f.sketch, f.errorCount),
        tooltip: `Trace Lens: ${f.sketch.count} spans of ${f.name || 'this code'} started between ${new Date(f.firstSeenMs).toLocaleString()} and ${new Date(f.lastSeenMs).toLocaleString()} (latency quantiles within 1%). Click for example traces.`,
        command: 'traceLens.showExemplars',
        // Command arguments cross to the workbench as JSON: no bigint.
        arguments: [{ name: f.name, slowest: f.slowest && plain(f.slowest), latestFailing: f.latestFailing && plain(f.latestFailing) }],
      }));
    this.cache.set(key, { version: document.version, generation: this.insights.generation, lenses });
    return lenses;
  }
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

  constructor(extensionUri: vscode.Uri, private readonly insights: CodeInsights) {
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
      const lines = this.insights.failuresIn(editor.document.uri.fsPath).map((f) => editorLine(f.location)).filter((l) => l < editor.document.lineCount);
      editor.setDecorations(this.decoration, lines.map((l) => new vscode.Range(l, 0, l, 0)));
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Optional (traceLens.diagnostics.enabled): failing lines in the Problems panel, source "Trace Lens". */
class FailureDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('Trace Lens');
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly insights: CodeInsights) {
    this.disposables = [
      this.collection,
      insights.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => changed(e, 'diagnostics.enabled') && this.update()),
    ];
    this.update();
  }

  private update(): void {
    this.collection.clear();
    if (!setting('diagnostics.enabled')) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of this.insights.allFailures()) {
      const latest = f.latestFailing as (Exemplar & { message?: string; exceptionType?: string }) | undefined;
      const what = [latest?.exceptionType, latest?.message].filter(Boolean).join(': ') || 'failing spans';
      const line = editorLine(f.location);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `${what} (${f.errorCount} failure${f.errorCount > 1 ? 's' : ''} in traces)`, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'Trace Lens';
      const list = byFile.get(f.location.file) ?? [];
      list.push(diagnostic);
      byFile.set(f.location.file, list);
    }
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function registerCodeFeatures(extensionUri: vscode.Uri, insights: CodeInsights): vscode.Disposable[] {
  const files: vscode.DocumentSelector = { scheme: 'file' };
  const lenses = new LatencyLensProvider(insights);
  return [
    lenses,
    vscode.languages.registerCodeLensProvider(files, lenses),
    vscode.languages.registerHoverProvider(files, new FailureHoverProvider(insights)),
    new ErrorGutter(extensionUri, insights),
    new FailureDiagnostics(insights),
    vscode.commands.registerCommand('traceLens.showExemplars', async (args: { name: string; slowest?: PlainExemplar; latestFailing?: PlainExemplar }) => {
      const items = [
        ...(args.slowest ? [{ label: `$(watch) Slowest: ${formatDuration(args.slowest.durationNs)}`, detail: args.slowest.traceId, exemplar: args.slowest }] : []),
        ...(args.latestFailing ? [{ label: `$(error) Latest failing, ${formatAge(args.latestFailing.endMs)}`, detail: args.latestFailing.traceId, exemplar: args.latestFailing }] : []),
      ];
      const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: `Trace Lens: example traces of ${args.name || 'this code'}` });
      if (picked) await vscode.commands.executeCommand('traceLens.openTrace', picked.exemplar.traceId, picked.exemplar.spanId);
    }),
    vscode.commands.registerCommand('traceLens.showUnresolvedCodeLocations', async () => {
      const unresolved = insights.unresolved();
      if (unresolved.length === 0) return void vscode.window.showInformationMessage('Trace Lens: every code clue in the spans held maps to a workspace file (or there are no spans yet).');
      const picked = await vscode.window.showQuickPick(unresolved.map((u) => ({ label: u.clue, description: `${u.count}×`, detail: u.reason, u })), { title: 'Trace Lens: code locations that could not be mapped', placeHolder: 'Pick one to add a path mapping for it' });
      if (!picked) return;
      const path = picked.u.clue.replace(/:\d+ \(.*\)$|\s\(.*\)$/, '');
      const remote = await vscode.window.showInputBox({ title: 'Remote path prefix (as the running system reports it)', value: path.slice(0, path.lastIndexOf('/') + 1) || path });
      if (!remote) return;
      const [local] = (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, title: `Local folder for ${remote}` })) ?? [];
      if (!local) return;
      await vscode.workspace.getConfiguration('traceLens').update('pathMappings', [...setting('pathMappings'), { remote, local: local.fsPath }], vscode.ConfigurationTarget.Workspace);
    }),
  ];
}
