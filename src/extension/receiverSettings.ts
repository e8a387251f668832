// The receiver's settings, read once into a typed value. `allowRemote` is application-scoped in package.json:
// a workspace's settings cannot open the receiver to the network; the size limits are machine-scoped: a cloned
// repository cannot lift them.
import * as vscode from 'vscode';
import type { SpanStoreLimits } from '../core/receiver/spanStore';
import { DEFAULT_PORTS } from '../core/receiver/traceReceiver';

export interface ReceiverSettings {
  enabled: boolean;
  host: string;
  port: number;
  allowRemote: boolean;
  maxBodyBytes: number;
  zipkinPort: number | undefined;
}

const MIB = 1024 * 1024;

export function readReceiverSettings(): ReceiverSettings {
  const c = vscode.workspace.getConfiguration('traceLens.receiver');
  return {
    enabled: c.get<boolean>('enabled', true),
    host: c.get<string>('host', '127.0.0.1').trim() || '127.0.0.1',
    port: c.get<number>('port', DEFAULT_PORTS.otlp),
    allowRemote: c.get<boolean>('allowRemote', false),
    maxBodyBytes: Math.max(1, c.get<number>('maxBodyMiB', 32)) * MIB,
    zipkinPort: c.get<boolean>('zipkin.enabled', false) ? c.get<number>('zipkin.port', DEFAULT_PORTS.zipkin) : undefined,
  };
}

export function readStoreLimits(): SpanStoreLimits {
  const c = vscode.workspace.getConfiguration('traceLens.store');
  return { maxSpans: Math.max(1000, c.get<number>('maxSpans', 200_000)), maxBytes: Math.max(16, c.get<number>('maxMiB', 256)) * MIB };
}

/** Sets the port where the user keeps their settings: globally, unless the workspace already overrides it. */
export async function saveReceiverPort(port: number): Promise<void> {
  const c = vscode.workspace.getConfiguration('traceLens.receiver');
  const inspected = c.inspect<number>('port');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update('port', port, target);
}
