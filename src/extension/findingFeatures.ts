// Findings on the code: a CodeLens at the line each finding points at (the repeated call's, else the loop's or the
// failing span's), a hover there saying the same, optional Problems entries (traceLens.diagnostics.enabled), and
// the command that opens a finding's exemplar trace with its spans picked out.
import * as vscode from 'vscode';
import { formatAge } from '../core/analysis/formatAge';
import { formatDuration } from '../core/analysis/formatDuration';
import { editorLine } from '../core/code/codeLocation';
import { normalisePath } from '../core/code/pathMapping';
import type { FindingsStore, PlacedFinding } from './findingsStore';
import { fingerprintArgument, OPEN_FINDING_COMMAND } from './findingsView';
import { escapeMarkdown } from './markdown';
import { changed, setting } from './settings';
import type { WaterfallPanels } from './waterfallPanel';

const ICONS = { error: '$(error)', warning: '$(warning)', info: '$(info)' } as const;
const DIAGNOSTIC_SEVERITY = {
  error: vscode.DiagnosticSeverity.Warning,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function placedIn(findings: FindingsStore, file: string): (PlacedFinding & { location: NonNullable<PlacedFinding['location']> })[] {
  const path = normalisePath(file);
  return findings.placed().filter((p): p is PlacedFinding & { location: NonNullable<PlacedFinding['location']> } => p.location?.file === path);
}

function traces(count: number): string {
  return `${count} trace${count === 1 ? '' : 's'}`;
}

class FindingLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly findings: FindingsStore) {
    this.onDidChangeCodeLenses = findings.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return placedIn(this.findings, document.uri.fsPath)
      .filter((p) => editorLine(p.location) < document.lineCount)
      .map(({ group, location }) => {
        const line = editorLine(location);
        return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: `${ICONS[group.severity]} ${group.title} · ${traces(group.traces)} · Show trace`,
          tooltip: `Trace Lens finding in ${group.service}, last seen ${formatAge(group.lastSeenMs)}. Click to open an example trace with the finding's spans picked out.`,
          command: OPEN_FINDING_COMMAND,
          arguments: [group.fingerprint],
        });
      });
  }
}

class FindingHoverProvider implements vscode.HoverProvider {
  constructor(private readonly findings: FindingsStore) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const here = placedIn(this.findings, document.uri.fsPath).filter((p) => editorLine(p.location) === position.line);
    if (here.length === 0) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [OPEN_FINDING_COMMAND] };
    for (const { group } of here) {
      const link = `command:${OPEN_FINDING_COMMAND}?${encodeURIComponent(JSON.stringify([group.fingerprint]))}`;
      const saving = group.exemplars[0].savingNs ? ` A fix would save about ${formatDuration(group.exemplars[0].savingNs)} per request.` : '';
      md.appendMarkdown(`${ICONS[group.severity]} **${escapeMarkdown(group.title)}**\n\n`);
      md.appendMarkdown(
        `In ${traces(group.traces)} of ${escapeMarkdown(group.service)}, last ${formatAge(group.lastSeenMs)}.${saving} [Show trace](${link})\n\n`,
      );
    }
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }
}

/** Optional Problems entries: source "Trace Lens", the finding's kind as the code. */
class FindingDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('Trace Lens findings');
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly findings: FindingsStore) {
    this.disposables = [
      this.collection,
      findings.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => changed(e, 'diagnostics.enabled') && this.update()),
    ];
    this.update();
  }

  private update(): void {
    this.collection.clear();
    if (!setting('diagnostics.enabled')) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const { group, location } of this.findings.placed()) {
      if (!location) continue;
      const line = editorLine(location);
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
        `${group.title} (in ${traces(group.traces)})`,
        DIAGNOSTIC_SEVERITY[group.severity],
      );
      diagnostic.source = 'Trace Lens';
      diagnostic.code = group.kind;
      byFile.set(location.file, [...(byFile.get(location.file) ?? []), diagnostic]);
    }
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function registerFindingFeatures(findings: FindingsStore, panels: WaterfallPanels): vscode.Disposable[] {
  const files: vscode.DocumentSelector = { scheme: 'file' };
  return [
    vscode.languages.registerCodeLensProvider(files, new FindingLensProvider(findings)),
    vscode.languages.registerHoverProvider(files, new FindingHoverProvider(findings)),
    new FindingDiagnostics(findings),
    vscode.commands.registerCommand(OPEN_FINDING_COMMAND, async (given?: unknown) => {
      const fingerprint = fingerprintArgument(given);
      const group = findings.all().find((g) => g.fingerprint === fingerprint);
      if (!group) return void vscode.window.showWarningMessage('Trace Lens: that finding is no longer in the traces held.');
      const [exemplar] = group.exemplars;
      await vscode.commands.executeCommand('traceLens.openTrace', exemplar.traceId, exemplar.spanIds[0]);
      panels.pickFinding(exemplar.traceId, group.fingerprint);
    }),
  ];
}
