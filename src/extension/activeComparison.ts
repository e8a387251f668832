// The comparison of two groups shown last (until cleared): the latency CodeLens of a function whose calls changed
// significantly in it says by how much, e.g. "p50 +38% vs 1.4.1". Only significant changes are ever shown.
import * as vscode from 'vscode';
import type { Compared } from '../core/analysis/compare/compareReport';
import type { GroupReport, GroupReportRow } from '../core/analysis/compare/reportTypes';
import type { CodeClue } from '../core/code/codeClues';
import type { CodeLocation } from '../core/code/codeLocation';
import { normalisePath } from '../core/code/pathMapping';

export interface PlacedChange {
  row: GroupReportRow;
  location: CodeLocation;
}

const SHOWN = new Set<GroupReportRow['verdict']>(['slower', 'faster', 'more-errors', 'fewer-errors']);

export class ActiveComparison implements vscode.Disposable {
  private compared: Compared<GroupReport> | undefined;
  /** Resolved when first asked after a change of the comparison or of the code mapping. */
  private placed: PlacedChange[] | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly locate: (clues: readonly CodeClue[]) => CodeLocation | undefined) {}

  get report(): GroupReport | undefined {
    return this.compared?.report;
  }

  set(compared: Compared<GroupReport>): void {
    this.compared = compared;
    this.placed = undefined;
    void vscode.commands.executeCommand('setContext', 'traceLens.comparing', true);
    this.changed.fire();
  }

  clear(): void {
    this.compared = undefined;
    this.placed = undefined;
    void vscode.commands.executeCommand('setContext', 'traceLens.comparing', false);
    this.changed.fire();
  }

  /** The code mapping changed: places are resolved again when next asked. */
  relocate(): void {
    if (this.compared) this.placed = undefined;
  }

  /** The significant changes whose calls are in this file. */
  changesIn(file: string): PlacedChange[] {
    if (!this.compared) return [];
    // Per place in the code: a function called from several paths has one change, not one per path.
    const { report, placeClues = [] } = this.compared;
    this.placed ??= report.places.flatMap((row, i) => {
      const location = SHOWN.has(row.verdict) && placeClues[i]?.length ? this.locate(placeClues[i]) : undefined;
      return location ? [{ row, location }] : [];
    });
    const path = normalisePath(file);
    return this.placed.filter((p) => p.location.file === path);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
