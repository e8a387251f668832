import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waterfallTabs } from './panelTabs';
import { until } from './until';
import type { TraceLensApi } from '../../src/extension/extension';

const EXTENSION_ID = 'trace-lens.trace-lens';

function workspaceFile(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, relative);
}

describe('Trace Lens in VS Code', () => {
  let api: TraceLensApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<TraceLensApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    api = await extension.activate();
  });

  it('activates and reports its activation time', () => {
    // Measured, not a placeholder: activate() did some work, and not the heavy kind (that waits for later).
    console.log(`Trace Lens activation: ${api.activationMs.toFixed(1)} ms`);
    assert.ok(api.activationMs > 0 && api.activationMs < 2000, `activation took ${api.activationMs} ms`);
  });

  it('registers every command, view and setting its package.json declares', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
    };
    const commands = await vscode.commands.getCommands(true);
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !commands.includes(id));
    assert.deepEqual(missing, []);
    // A view without a provider shows "no data provider": each declared view answers its focus command.
    for (const view of Object.values(manifest.contributes.views).flat()) await vscode.commands.executeCommand(`${view.id}.focus`);
    // Every walkthrough step's page ships with the extension.
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const steps = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { walkthroughs: { steps: { media: { markdown: string } }[] }[] } }
    ).contributes.walkthroughs.flatMap((w) => w.steps);
    for (const step of steps) await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, step.media.markdown));
  });

  it('opens a fixture trace file in a waterfall panel, and reuses the panel for the same trace', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.openAsTrace', workspaceFile('fixtures/zipkin/yelp.json'));
    // The panel opens while the file is read, and is titled by its trace once that is known.
    await until('a waterfall tab titled by its trace', () => waterfallTabs().find((tab) => /^Trace a03ee8ff/.test(tab.label)));
    await vscode.commands.executeCommand('traceLens.openAsTrace', workspaceFile('fixtures/zipkin/yelp.json'));
    assert.equal(waterfallTabs().length, 1);
  });

  it('refuses a JSON file that is not a trace without breaking, and keeps working after it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.openAsTrace', workspaceFile('not-a-trace.json'));
    // The panel opened while the file was read closes again (the tab list catches up a moment later).
    await until('no waterfall tab for the bad file', () => waterfallTabs().length === 0);
    await vscode.commands.executeCommand('traceLens.openAsTrace', workspaceFile('fixtures/jaeger/otlp/example_trace.json'));
    await until('a waterfall tab after the bad file', () => (waterfallTabs().length === 1 ? true : undefined));
  });
});
