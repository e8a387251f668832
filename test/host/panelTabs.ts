import * as vscode from 'vscode';

/** The tabs of the panels of one kind open in the window. */
function panelTabs(viewType: string): vscode.Tab[] {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  return tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType));
}

export const waterfallTabs = (): vscode.Tab[] => panelTabs('traceLens.waterfall');
export const compareTabs = (): vscode.Tab[] => panelTabs('traceLens.compare');
/** The waterfall panels' titles. */
export const waterfallTitles = (): string[] => waterfallTabs().map((tab) => tab.label);
