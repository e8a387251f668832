// The comparison report panels: each shows one report (its own webview bundle, media/report.js, over a typed
// protocol). The host resolves each row's code clues to a workspace place; the page asks to open code or traces.
import * as vscode from 'vscode';
import type { Compared } from '../core/analysis/compare/compareReport';
import type { CodeClue } from '../core/code/codeClues';
import type { CodeLocation } from '../core/code/codeLocation';
import type { FromReport, RowPlace, ToReport } from '../protocol/reportMessages';
import { createBundlePanel } from './bundlePanel';
import { placeLabel, showPlace } from './codePlaces';

export const COMPARE_VIEW_TYPE = 'traceLens.compare';

type Locate = (clues: readonly CodeClue[]) => CodeLocation | undefined;

function rowPlace(location: CodeLocation | undefined): RowPlace {
  return location ? { label: placeLabel(location) } : null;
}

export class ComparePanels implements vscode.Disposable {
  private readonly panels = new Set<vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly locate: Locate,
  ) {}

  show(compared: Compared, title: string): vscode.WebviewPanel {
    const panel = createBundlePanel(this.extensionUri, {
      viewType: COMPARE_VIEW_TYPE,
      title,
      bundle: 'report',
      pageTitle: 'Comparison',
      loading: 'Loading the comparison…',
    });
    // Rows first, then the places (by function): the page names a code link by its index in that order.
    const locations = [...compared.clues, ...(compared.placeClues ?? [])].map((clues) => (clues.length ? this.locate(clues) : undefined));
    const message: ToReport = { type: 'report', report: compared.report, places: locations.map(rowPlace) };
    const disposables = [
      panel.webview.onDidReceiveMessage((m: FromReport) => void this.handle(m, panel, message, locations)),
      panel.onDidDispose(() => {
        this.panels.delete(panel);
        for (const d of disposables) d.dispose();
      }),
    ];
    this.panels.add(panel);
    return panel;
  }

  private async handle(m: FromReport, panel: vscode.WebviewPanel, report: ToReport, locations: (CodeLocation | undefined)[]): Promise<void> {
    switch (m?.type) {
      case 'ready':
        await panel.webview.postMessage(report);
        return;
      case 'openTrace':
        await vscode.commands.executeCommand('traceLens.openTrace', String(m.traceId), m.spanId === undefined ? undefined : String(m.spanId));
        return;
      case 'openCode': {
        const location = locations[Number(m.row)];
        if (!location) return;
        await showPlace(location, vscode.ViewColumn.One);
        return;
      }
    }
  }

  dispose(): void {
    for (const panel of [...this.panels]) panel.dispose();
  }
}
