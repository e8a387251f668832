// Runs the mocha suite in test/host inside the extension host of a real VS Code (code-server), the same
// contract as @vscode/test-electron: the workbench loads the extension in development mode and calls the
// suite's run(); the exit code comes back through window.codeAutomationExit.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startVsCode } from './codeServer.mjs';
import { printExtensionLog } from './workbench.mjs';

const suite = join(ROOT, 'dist', 'test', 'host', 'index.js');
if (!existsSync(suite)) {
  console.error('host tests: dist/test/host/index.js is missing; run `npm run build` first');
  process.exit(1);
}
const vscode = await startVsCode({ smokeTestDriver: true });
let exitCode = 1;
try {
  const remote = (path) => `vscode-remote://127.0.0.1:${vscode.port}${path}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(suite)],
  ]);
  const exited = new Promise((resolve) => vscode.page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
  vscode.page.on('console', (msg) => {
    // The workbench forwards the extension host's console here, prefixed with a style marker.
    const text = msg.text().replace(/^%c\s*\w+\s+color: #\w+\s*/, '');
    if (/^\s*(✓|✗|\d+ passed|Trace Lens|Error)/.test(text)) console.log(text);
  });
  await vscode.page.goto(`${vscode.url}/?folder=${encodeURIComponent(vscode.workspace)}&payload=${encodeURIComponent(payload)}`);
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 180_000));
  const result = await Promise.race([exited, timeout]);
  if (result === 'timeout') console.error('host tests: no result within 180 s');
  else exitCode = Number(result);
  // What the extension did, for a failure that only happens sometimes.
  if (exitCode !== 0) printExtensionLog(vscode.run);
} finally {
  await vscode.stop();
}
console.log(`host tests: exit code ${exitCode}`);
process.exit(exitCode);
