// The sources this window can ask, rebuilt when `traceLens.sources`, the HTTP settings or a stored credential
// change. Credentials live in VS Code's SecretStorage under the source's name, never in settings.
import * as vscode from 'vscode';
import { closeConnections, type HttpLimits } from '../core/sources/httpClient';
import { createSource, describeSources, parseSourceConfigs, type Credentials, type SourceConfig } from '../core/sources/sourceConfig';
import { OpenedTraces } from '../core/sources/openedTraces';
import { changed, setting } from './settings';
import type { TraceSource } from '../core/sources/traceSource';

const SECRET_PREFIX = 'traceLens.source.';

/** Machine-scoped in package.json (the size cap): a cloned repository cannot make the editor accept 100 GB answers. */
export function readHttpLimits(): HttpLimits {
  return {
    connectTimeoutMs: Math.max(0.1, setting('http.connectTimeoutSeconds')) * 1000,
    totalTimeoutMs: Math.max(0.1, setting('http.timeoutSeconds')) * 1000,
    maxResponseBytes: Math.max(1, setting('http.maxResponseMiB')) * 1024 * 1024,
    retries: 2,
  };
}

export class SourceRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The configured sources were read again (settings or credentials changed). */
  readonly onDidChange = this.changed.event;
  private configs: SourceConfig[] = [];
  private remote: TraceSource[] = [];
  private readonly local: TraceSource;
  /** Traces opened from files this session, asked right after the receiver. */
  readonly opened = new OpenedTraces();
  private readonly disposables: vscode.Disposable[];
  private reading: Promise<void> = Promise.resolve();

  constructor(
    /** The receiver's store, asked first. */
    store: TraceSource,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.local = store;
    this.disposables = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (changed(e, 'sources', 'http')) this.reload();
      }),
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) this.reload();
      }),
    ];
    this.reload();
  }

  private reload(): void {
    this.reading = this.reading.then(() => this.read());
  }

  /** The settings the sources were built from: compared on every use, as a remote window's settings can arrive after activation without a change event. */
  private readFrom = '';

  private currentSettings(): string {
    return JSON.stringify([setting('sources'), readHttpLimits()]);
  }

  private async read(): Promise<void> {
    this.readFrom = this.currentSettings();
    const { sources, problems } = parseSourceConfigs(setting('sources'));
    for (const problem of problems) this.log.warn(problem);
    if (problems.length)
      void vscode.window.showWarningMessage(
        `Trace Lens: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more, see the Trace Lens log)` : ''}`,
      );
    const limits = readHttpLimits();
    this.log.info(describeSources(sources));
    this.configs = sources;
    this.remote = await Promise.all(sources.map(async (config) => createSource(config, await this.credentials(config.name), limits)));
    this.changed.fire();
  }

  /** Every source in lookup order: the local receiver, opened files, then `traceLens.sources` as written. */
  async all(): Promise<TraceSource[]> {
    await this.reading;
    if (this.currentSettings() !== this.readFrom) {
      this.reload();
      await this.reading;
    }
    return [this.local, this.opened, ...this.remote];
  }

  async names(): Promise<string[]> {
    await this.all();
    return this.configs.map((c) => c.name);
  }

  private async credentials(name: string): Promise<Credentials> {
    const raw = await this.secrets.get(SECRET_PREFIX + name);
    if (!raw) return { kind: 'none' };
    try {
      return JSON.parse(raw) as Credentials;
    } catch {
      this.log.warn(`stored credentials for source "${name}" are unreadable; set them again`);
      return { kind: 'none' };
    }
  }

  async setCredentials(name: string, credentials: Credentials): Promise<void> {
    if (credentials.kind === 'none') await this.secrets.delete(SECRET_PREFIX + name);
    else await this.secrets.store(SECRET_PREFIX + name, JSON.stringify(credentials));
  }

  dispose(): void {
    void closeConnections();
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
