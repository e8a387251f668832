// The route worker's answer, computed in-process from real files on disk: what the extension receives from the
// worker thread (the thread itself is exercised by the VS Code host tests).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerRouteRequest } from '../../src/core/code/routes/routeWorker';

describe('answerRouteRequest', () => {
  it('reads the files from disk, skips files over the size limit and files that cannot be read, and counts the files with routes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-lens-routes-'));
    const app = join(dir, 'app.py');
    const big = join(dir, 'big.py');
    writeFileSync(app, 'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/health")\ndef health():\n    pass\n');
    writeFileSync(big, `from flask import Flask\napp = Flask(__name__)\n\n@app.get("/big")\ndef big():\n    pass\n${'#'.repeat(2000)}\n`);
    const answer = answerRouteRequest({ id: 7, files: [app, big, join(dir, 'missing.py')], roots: [dir], maxTextBytes: 1000 });
    if ('error' in answer) throw new Error(answer.error);
    expect(answer.id).toBe(7);
    expect(answer.files).toBe(1);
    expect(answer.declarations.map((d) => [d.template, d.file, d.line, d.handler, d.secondary])).toEqual([['/health', app, 5, 'health', false]]);
  });

  it('answers a request it cannot read with the error, under the request id', () => {
    expect(answerRouteRequest({ id: 8, files: [42 as unknown as string], roots: [], maxTextBytes: 1000 })).toEqual({
      id: 8,
      error: expect.stringMatching(/endsWith/),
    });
  });
});
