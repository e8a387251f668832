// "Copy MCP Server Configuration for Agents": what an agent outside the editor (a command-line agent, another
// editor) puts in its MCP settings to read what this window's receiver holds: the CLI this extension ships, run by
// this editor's own runtime (no Node.js needed), as `trace-lens mcp --source receiver`, anchored to the workspace.
import * as vscode from 'vscode';
import type { ReceiverController } from './receiverController';
import { setting } from './settings';

const COPY_MCP_CONFIG_COMMAND = 'traceLens.copyMcpConfig';

/** The `mcpServers` entry most MCP clients take (Claude Code, Cursor, VS Code's own mcp.json uses `servers`). */
function mcpServerConfig(cliPath: string, receiverUrl: string, root: string | undefined): object {
  return {
    mcpServers: {
      'trace-lens': {
        command: process.execPath,
        args: [cliPath, 'mcp', '--source', 'receiver', '--url', receiverUrl, ...(root ? ['--root', root] : [])],
        // The editor's runtime runs the CLI as plain Node.js (Electron reads this; Node ignores it).
        env: { ELECTRON_RUN_AS_NODE: '1' },
      },
    },
  };
}

export function registerMcpConfigCommand(extensionUri: vscode.Uri, receiver: ReceiverController): vscode.Disposable {
  return vscode.commands.registerCommand(COPY_MCP_CONFIG_COMMAND, async () => {
    const state = receiver.state;
    const url = state.kind === 'listening' ? state.endpoint : `http://127.0.0.1:${setting('receiver.port')}`;
    const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    await vscode.env.clipboard.writeText(JSON.stringify(mcpServerConfig(cli, url, root), null, 2));
    if (setting('receiver.answerQueries')) {
      void vscode.window.showInformationMessage("Trace Lens: copied the MCP server configuration; paste it into your agent's MCP settings.");
      return;
    }
    // Not waited for: the copy is done, and the choice is the user's whenever they make it.
    void vscode.window
      .showInformationMessage(
        'Trace Lens: copied the MCP server configuration. The agent reads the receiver’s traces only once traceLens.receiver.answerQueries is on (anyone on this machine could then read them).',
        'Turn It On',
      )
      .then((choice) => {
        if (choice) void vscode.workspace.getConfiguration('traceLens.receiver').update('answerQueries', true, vscode.ConfigurationTarget.Global);
      });
  });
}
