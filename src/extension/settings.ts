// Every Trace Lens setting, typed, read in one place. Defaults live in package.json only: VS Code fills them in
// for a key a user never set, so no default is restated here.
import * as vscode from 'vscode';

export interface Settings {
  'receiver.enabled': boolean;
  'receiver.host': string;
  'receiver.port': number;
  'receiver.allowRemote': boolean;
  'receiver.maxBodyMiB': number;
  'receiver.zipkin.enabled': boolean;
  'receiver.zipkin.port': number;
  'store.maxSpans': number;
  'store.maxMiB': number;
  sources: unknown;
  'http.timeoutSeconds': number;
  'http.connectTimeoutSeconds': number;
  'http.maxResponseMiB': number;
  pathMappings: { remote?: string; local?: string }[];
  routeHandlers: Record<string, unknown>;
  'codeLens.minCalls': number;
  'codeLens.format': string;
  'diagnostics.enabled': boolean;
}

export function setting<K extends keyof Settings>(key: K): Settings[K] {
  return vscode.workspace.getConfiguration('traceLens').get<Settings[K]>(key) as Settings[K];
}

/** Whether a change touches any of these settings or sections (`'codeLens'` covers `codeLens.format`). */
export function changed(event: vscode.ConfigurationChangeEvent, ...keys: (keyof Settings | 'receiver' | 'store' | 'http' | 'codeLens')[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`traceLens.${key}`));
}
