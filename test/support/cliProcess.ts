// The CLI as a user runs it: bundled once per test file, then run as a real node process. The run is async so a
// server in the test's own process (a proxy, a fake backend) can answer while the CLI waits.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function buildCli(): Promise<string> {
  const cli = join(mkdtempSync(join(tmpdir(), 'trace-lens-cli-')), 'cli.js');
  await build({
    entryPoints: [join(__dirname, '..', '..', 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: cli,
    logLevel: 'silent',
  });
  return cli;
}

export function runCli(cli: string, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
