// The receiver's settings, read once into a typed value. `allowRemote` and `answerQueries` are application-scoped
// in package.json: a workspace's settings cannot open the receiver to the network, nor its traces to reading; the
// size limits are machine-scoped: a cloned repository cannot lift them.
import * as vscode from 'vscode';
import type { SpanStoreLimits } from '../core/receiver/spanStore';
import { setting } from './settings';

const LOOPBACK = '127.0.0.1';

export interface ReceiverSettings {
  enabled: boolean;
  host: string;
  port: number;
  allowRemote: boolean;
  answerQueries: boolean;
  maxBodyBytes: number;
  zipkinPort: number | undefined;
}

const MIB = 1024 * 1024;

export function readReceiverSettings(): ReceiverSettings {
  return {
    enabled: setting('receiver.enabled'),
    host: setting('receiver.host').trim() || LOOPBACK,
    port: setting('receiver.port'),
    allowRemote: setting('receiver.allowRemote'),
    answerQueries: setting('receiver.answerQueries'),
    maxBodyBytes: Math.max(1, setting('receiver.maxBodyMiB')) * MIB,
    zipkinPort: setting('receiver.zipkin.enabled') ? setting('receiver.zipkin.port') : undefined,
  };
}

export function readStoreLimits(): SpanStoreLimits {
  return { maxSpans: Math.max(1000, setting('store.maxSpans')), maxBytes: Math.max(16, setting('store.maxMiB')) * MIB };
}

/** Sets the port where the user keeps their settings: globally, unless the workspace already overrides it. */
export async function saveReceiverPort(port: number): Promise<void> {
  const c = vscode.workspace.getConfiguration('traceLens.receiver');
  const inspected = c.inspect<number>('port');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update('port', port, target);
}
