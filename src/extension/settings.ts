// Every Trace Lens setting, typed, read in one place. Defaults live in package.json only: VS Code fills them in
// for a key a user never set, so no default is restated here.
import * as vscode from 'vscode';
import type { PathMapping } from '../core/code/pathMapping';
import type { FindingKind } from '../core/analysis/findings/finding';
import { DEFAULT_THRESHOLDS, type FindingThresholds } from '../core/analysis/findings/thresholds';

export interface Settings {
  'receiver.enabled': boolean;
  'receiver.host': string;
  'receiver.port': number;
  'receiver.allowRemote': boolean;
  'receiver.answerQueries': boolean;
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
  'findings.disabled': FindingKind[];
}

/** The numeric thresholds are settings of the same names under `traceLens.findings.`. */
type ThresholdKey = Exclude<keyof FindingThresholds, 'disabled'>;

/** The detectors' thresholds as the user set them (every one has a default in package.json). */
export function readFindingThresholds(): FindingThresholds {
  const section = vscode.workspace.getConfiguration('traceLens.findings');
  const thresholds = { ...DEFAULT_THRESHOLDS, disabled: setting('findings.disabled') ?? [] };
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as (keyof FindingThresholds)[]) {
    if (key === 'disabled') continue;
    const value = section.get<number>(key);
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) thresholds[key as ThresholdKey] = value;
  }
  return thresholds;
}

export function setting<K extends keyof Settings>(key: K): Settings[K] {
  return vscode.workspace.getConfiguration('traceLens').get<Settings[K]>(key) as Settings[K];
}

/** Whether a change touches any of these settings or sections (`'codeLens'` covers `codeLens.format`). */
export function changed(
  event: vscode.ConfigurationChangeEvent,
  ...keys: (keyof Settings | 'receiver' | 'store' | 'http' | 'codeLens' | 'findings')[]
): boolean {
  return keys.some((key) => event.affectsConfiguration(`traceLens.${key}`));
}

function substitute(path: string, folder: vscode.WorkspaceFolder | undefined): string {
  return folder ? path.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath) : path;
}

/** `traceLens.pathMappings`, then the mappings of launch configurations (Node's remoteRoot/localRoot, Python's pathMappings). */
export function readPathMappings(): PathMapping[] {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const mappings: PathMapping[] = [];
  for (const m of setting('pathMappings')) {
    if (m.remote && m.local) mappings.push({ remote: m.remote, local: substitute(m.local, folder) });
  }
  for (const c of vscode.workspace.getConfiguration('launch').get<Record<string, unknown>[]>('configurations', [])) {
    if (typeof c.remoteRoot === 'string' && typeof c.localRoot === 'string') mappings.push({ remote: c.remoteRoot, local: substitute(c.localRoot, folder) });
    for (const m of Array.isArray(c.pathMappings) ? (c.pathMappings as { remoteRoot?: string; localRoot?: string }[]) : []) {
      if (m.remoteRoot && m.localRoot) mappings.push({ remote: m.remoteRoot, local: substitute(m.localRoot, folder) });
    }
  }
  return mappings;
}
