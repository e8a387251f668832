// Findings on the code: a CodeLens at the line each finding points at (the repeated call's, else the loop's or the
// failing span's), a hover there saying the same, optional Problems entries (traceLens.diagnostics.enabled), and
// the command that opens a finding's exemplar trace with its spans picked out.
import * as vscode from 'vscode';
import { formatAge } from '../core/analysis/formatAge';
import { formatDuration } from '../core/analysis/formatDuration';
import { editorLine, type CodeLocation } from '../core/code/codeLocation';
import { normalisePath } from '../core/code/pathMapping';
import type { PlacedFinding } from '../core/analysis/findings/placedFinding';
import type { FindingsStore } from './findingsStore';
import { fingerprintArgument, OPEN_FINDING_COMMAND } from './findingsView';
import { escapeMarkdown } from './markdown';
import { LineDiagnostics, type LineEntry } from './lineDiagnostics';
import type { WaterfallPanels } from './waterfallPanel';
import type { LensRefresh } from './lensRefresh';
import { counted } from '../core/analysis/counted';

const ICONS = { error: '$(error)', warning: '$(warning)', info: '$(info)' } as const;
const DIAGNOSTIC_SEVERITY = {
  error: vscode.DiagnosticSeverity.Warning,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

type Located = PlacedFinding & { location: CodeLocation };

function placedIn(findings: FindingsStore, file: string): Located[] {
  const path = normalisePath(file);
  return findings.placed().filter((p): p is Located => p.location?.file === path);
}

class FindingLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly findings: FindingsStore,
    private readonly refresh: LensRefresh,
  ) {
    this.onDidChangeCodeLenses = refresh.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    return this.refresh.timed(() => this.lenses(document));
  }

  private lenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return placedIn(this.findings, document.uri.fsPath)
      .filter((p) => editorLine(p.location) < document.lineCount)
      .map(({ group, location }) => {
        const line = editorLine(location);
        return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: `${ICONS[group.severity]} ${group.title} · ${counted(group.traces, 'trace')} · Show trace`,
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
        `In ${counted(group.traces, 'trace')} of ${escapeMarkdown(group.service)}, last ${formatAge(group.lastSeenMs)}.${saving} [Show trace](${link})\n\n`,
      );
    }
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }
}

/** Findings as Problems entries, the finding's kind as the code. */
function findingEntries(findings: FindingsStore): LineEntry[] {
  return findings.placed().flatMap(({ group, location }) =>
    location
      ? [
          {
            file: location.file,
            line: editorLine(location),
            message: `${group.title} (in ${counted(group.traces, 'trace')})`,
            severity: DIAGNOSTIC_SEVERITY[group.severity],
            code: group.kind,
          },
        ]
      : [],
  );
}

export function registerFindingFeatures(findings: FindingsStore, panels: WaterfallPanels, lensRefresh: LensRefresh): vscode.Disposable[] {
  const files: vscode.DocumentSelector = { scheme: 'file' };
  return [
    findings.onDidChange(() => lensRefresh.changed()),
    vscode.languages.registerCodeLensProvider(files, new FindingLensProvider(findings, lensRefresh)),
    vscode.languages.registerHoverProvider(files, new FindingHoverProvider(findings)),
    new LineDiagnostics('Trace Lens findings', findings.onDidChange, () => findingEntries(findings)),
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
