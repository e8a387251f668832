import * as vscode from 'vscode';

/** The waterfall panels open in the window, as their tabs. */
export function waterfallTabs(): number {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  return tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('traceLens.waterfall')).length;
}
