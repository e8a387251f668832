// The extension-host test entry point (same contract as @vscode/test-electron): run every bundled *.test.js.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Plain lines: the workbench forwards extension-host console output to the runner, which prints it.
  // TRACE_LENS_HOST_GREP runs only the tests whose titles match (the extension host inherits the server's environment).
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: Mocha.reporters.Base, grep: process.env.TRACE_LENS_HOST_GREP });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js'))) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // One line a CI log reader understands, whatever the reporter printed.
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
      // No test at all is a broken build or a grep that matches nothing, never a pass.
      else if (!runner.stats?.passes) reject(new Error('no host test ran'));
      else resolve();
    });
    runner.on('pass', (test) => console.log(`  ✓ ${test.fullTitle()}`));
    runner.on('fail', (test, error) => console.log(`  ✗ ${test.fullTitle()}\n    ${String((error as Error).stack ?? error)}`));
  });
}
