// Settings a cloned repository must not be able to set: the size limits (machine-scoped) ignore the workspace's
// settings file, however large the value it holds.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { readReceiverSettings, readStoreLimits } from '../../src/extension/receiverSettings';
import { readHttpLimits } from '../../src/extension/sourceRegistry';
import { until } from './until';

const MIB = 1024 * 1024;

describe('Settings a workspace cannot lift', () => {
  const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.vscode', 'settings.json').fsPath;
  let original: string;

  before(async () => {
    original = readFileSync(file, 'utf8');
    const settings = JSON.parse(original);
    Object.assign(settings, {
      'traceLens.receiver.maxBodyMiB': 100_000,
      'traceLens.store.maxMiB': 100_000,
      'traceLens.store.maxSpans': 100_000_000,
      'traceLens.http.maxResponseMiB': 100_000,
      'traceLens.codeLens.minCalls': 7,
    });
    writeFileSync(file, JSON.stringify(settings, null, 2));
    // A workspace setting of an ordinary scope is read: once it is, the file has been taken in.
    await until('the workspace settings to be read', () => vscode.workspace.getConfiguration('traceLens.codeLens').get('minCalls') === 7 || undefined);
  });

  after(async () => {
    writeFileSync(file, original);
    await until('the workspace settings to be restored', () => vscode.workspace.getConfiguration('traceLens.codeLens').get('minCalls') !== 7 || undefined);
  });

  it('keeps the receiver body, store and backend answer limits at their defaults', () => {
    assert.equal(readReceiverSettings().maxBodyBytes, 32 * MIB);
    assert.deepEqual(readStoreLimits(), { maxSpans: 200_000, maxBytes: 256 * MIB });
    assert.equal(readHttpLimits().maxResponseBytes, 64 * MIB);
  });
});
