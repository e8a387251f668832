// The Sources view of the Trace Lens side bar: the built-in receiver (where it listens, how many spans it holds)
// and each configured backend, with its health once checked and its actions. Add Source… asks the kind, URL
// (prefilled with the usual port), name and tenant, checks the connection, and saves it to the user's settings.
import * as vscode from 'vscode';
import { createSource, parseSourceConfigs, SOURCE_KINDS } from '../core/sources/sourceConfig';
import { SOURCE_LABELS, type Health, type SourceKind, type TraceSource } from '../core/sources/traceSource';
import type { ReceiverController } from './receiverController';
import { setting } from './settings';
import type { SourceRegistry } from './sourceRegistry';

type Node = { kind: 'receiver' } | { kind: 'backend'; source: TraceSource };

const USUAL_URLS: Record<SourceKind, string> = { jaeger: 'http://localhost:16686', tempo: 'http://localhost:3200', zipkin: 'http://localhost:9411' };

export class SourcesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private backends: TraceSource[] = [];
  private readonly health = new Map<string, Health | 'checking'>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly receiver: ReceiverController,
    private readonly registry: SourceRegistry,
  ) {
    const storeChanged = receiver.store.onChanged(() => this.changed.fire());
    this.disposables = [
      this.changed,
      vscode.window.createTreeView('traceLens.sources', { treeDataProvider: this }),
      { dispose: () => storeChanged.dispose() },
      receiver.onDidChangeState(() => this.changed.fire()),
      registry.onDidChange(() => void this.load()),
      vscode.commands.registerCommand('traceLens.sources.check', (node?: Node) => node?.kind === 'backend' && this.check(node.source)),
      vscode.commands.registerCommand('traceLens.addSource', () => this.addSource()),
    ];
    void this.load();
  }

  private async load(): Promise<void> {
    this.backends = (await this.registry.all()).filter((s) => s.kind !== 'receiver');
    void vscode.commands.executeCommand('setContext', 'traceLens.hasBackends', this.backends.length > 0);
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    return node ? [] : [{ kind: 'receiver' }, ...this.backends.map((source) => ({ kind: 'backend' as const, source }))];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'receiver') {
      const state = this.receiver.state;
      const item = new vscode.TreeItem('Built-in OTLP receiver');
      const spans = this.receiver.store.size;
      item.description =
        state.kind === 'listening'
          ? `${state.endpoint} · ${spans.spans} spans in ${spans.traces} traces`
          : state.kind === 'failed'
            ? state.message
            : state.kind === 'off'
              ? 'off (traceLens.receiver.enabled)'
              : 'starting';
      item.iconPath = new vscode.ThemeIcon(state.kind === 'listening' ? 'radio-tower' : state.kind === 'failed' ? 'warning' : 'circle-slash');
      item.contextValue = 'receiver';
      item.tooltip = "Point your app's OpenTelemetry exporter here (Copy OTLP Endpoint Settings).";
      return item;
    }
    const { source } = node;
    const health = this.health.get(source.name);
    const item = new vscode.TreeItem(source.name);
    item.description =
      health === 'checking' ? 'checking…' : health ? health.detail : `${SOURCE_LABELS[source.kind as SourceKind] ?? source.kind} · not checked yet`;
    item.iconPath = new vscode.ThemeIcon(
      health === 'checking' ? 'loading~spin' : !health ? 'plug' : health.ok ? 'pass' : 'error',
      health && health !== 'checking' && !health.ok ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    item.tooltip = health && health !== 'checking' ? health.detail : 'Check the connection (the action on this row)';
    item.contextValue = 'backend';
    item.command = { command: 'traceLens.sources.check', title: 'Check', arguments: [node] };
    return item;
  }

  private async check(source: TraceSource): Promise<void> {
    this.health.set(source.name, 'checking');
    this.changed.fire();
    this.health.set(source.name, await source.health(AbortSignal.timeout(15_000)));
    this.changed.fire();
  }

  private async addSource(): Promise<void> {
    const kind = await vscode.window.showQuickPick(
      SOURCE_KINDS.map((k) => ({ label: SOURCE_LABELS[k], backend: k })),
      { title: 'Trace Lens: Add Source', placeHolder: 'Which backend?' },
    );
    if (!kind) return;
    const url = await vscode.window.showInputBox({
      title: `Add ${kind.label}`,
      prompt: 'Base URL of its query API',
      value: USUAL_URLS[kind.backend],
      ignoreFocusOut: true,
      validateInput: (text) => parseSourceConfigs([{ kind: kind.backend, url: text }]).problems[0]?.replace('traceLens.sources[0]: ', '') ?? undefined,
    });
    if (!url) return;
    const name = await vscode.window.showInputBox({
      title: `Add ${kind.label}`,
      prompt: 'A name for it (shown in pickers; credentials are stored under it)',
      value: kind.label,
      ignoreFocusOut: true,
    });
    if (!name) return;
    const tenant = await vscode.window.showInputBox({
      title: `Add ${kind.label}`,
      prompt: `Tenant, if ${kind.label} runs with multi-tenancy (leave empty otherwise)`,
      ignoreFocusOut: true,
    });
    if (tenant === undefined) return;
    const config = { name, kind: kind.backend, url: url.trim(), ...(tenant.trim() ? { tenant: tenant.trim() } : {}) };
    const health = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Trace Lens: checking ${url}…` }, () =>
      createSource({ ...config, headers: {} }).health(AbortSignal.timeout(15_000)),
    );
    if (!health.ok) {
      const save = 'Save Anyway';
      const answer = await vscode.window.showWarningMessage(`Trace Lens: ${health.detail}`, { modal: true, detail: 'The source was not saved.' }, save);
      if (answer !== save) return;
    }
    // Machine-scoped: saved to the user's (or, in a remote window, the remote machine's) settings.
    const sources = Array.isArray(setting('sources')) ? (setting('sources') as unknown[]) : [];
    await vscode.workspace.getConfiguration('traceLens').update('sources', [...sources, config], vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(
      `Trace Lens: added ${name} (${health.ok ? health.detail : 'not reachable yet'}). Set credentials from its row if it needs them.`,
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
