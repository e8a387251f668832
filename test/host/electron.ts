// The same host suite under @vscode/test-electron, for machines that can download VS Code (not this offline one).
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = join(__dirname, '..', '..', '..');
runTests({ extensionDevelopmentPath: root, extensionTestsPath: join(__dirname, 'index.js') }).catch((error: unknown) => {
  console.error(`electron host tests failed: ${String(error)}`);
  process.exit(1);
});
