// Optional Problems-panel entries (traceLens.diagnostics.enabled), source "Trace Lens": one collection per kind of
// entry (failing lines, findings), rebuilt whenever what they list changes or the setting is switched.
import * as vscode from 'vscode';
import { changed, setting } from './settings';

export interface LineEntry {
  file: string;
  /** 0-based. */
  line: number;
  message: string;
  severity: vscode.DiagnosticSeverity;
  code?: string;
}

export class LineDiagnostics implements vscode.Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  private readonly disposables: vscode.Disposable[];

  constructor(
    name: string,
    onDidChange: vscode.Event<void>,
    private readonly entries: () => LineEntry[],
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(name);
    this.disposables = [
      this.collection,
      onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => changed(e, 'diagnostics.enabled') && this.update()),
    ];
    this.update();
  }

  private update(): void {
    this.collection.clear();
    if (!setting('diagnostics.enabled')) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const entry of this.entries()) {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(entry.line, 0, entry.line, Number.MAX_SAFE_INTEGER), entry.message, entry.severity);
      diagnostic.source = 'Trace Lens';
      if (entry.code) diagnostic.code = entry.code;
      byFile.set(entry.file, [...(byFile.get(entry.file) ?? []), diagnostic]);
    }
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
