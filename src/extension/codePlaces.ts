// A workspace place as every panel shows it ("src/orders.ts:12") and opens it: one label and one way to open.
import * as vscode from 'vscode';
import { editorLine, type CodeLocation } from '../core/code/codeLocation';

export function placeLabel(location: CodeLocation): string {
  return `${vscode.workspace.asRelativePath(location.file)}${location.line ? `:${location.line}` : ''}`;
}

/** Opens the file with the cursor at the place's line, in `column`. */
export async function showPlace(location: CodeLocation, column: vscode.ViewColumn): Promise<void> {
  const line = editorLine(location);
  await vscode.window.showTextDocument(vscode.Uri.file(location.file), { viewColumn: column, selection: new vscode.Range(line, 0, line, 0) });
}
