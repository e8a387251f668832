// The Traces view of the Trace Lens side bar: received, opened and loaded traces, newest (or slowest) first,
// live, failures marked, filtered by typed words and grouped on demand. A click opens the waterfall.
import * as vscode from 'vscode';
import { formatAge } from '../core/analysis/formatAge';
import { formatDuration } from '../core/analysis/formatDuration';
import {
  groupRows,
  matchesFilter,
  parseTraceFilter,
  rowFromTrace,
  sortRows,
  type GroupBy,
  type RowGroup,
  type SortBy,
  type TraceFilter,
  type TraceRow,
} from '../core/analysis/traceListing';
import type { ReceivedStore } from './receivedStore';
import type { OpenedTraces } from '../core/sources/openedTraces';
import { counted } from '../core/analysis/counted';

type Node = { kind: 'group'; group: RowGroup } | { kind: 'trace'; row: TraceRow };

/** How often the list follows the receiver's changes. */
const FOLLOW_MS = 1_000;

/** More rows than this are not listed: the view says how many it left out. */
const MAX_ROWS = 500;

export class TracesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private filter: TraceFilter | undefined;
  private sortBy: SortBy = 'newest';
  private groupBy: GroupBy = 'none';
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[];
  private followTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: ReceivedStore,
    private readonly opened: OpenedTraces,
  ) {
    // Two rows selected compare with each other (Compare with… on either).
    this.view = vscode.window.createTreeView('traceLens.traces', { treeDataProvider: this, showCollapseAll: true, canSelectMany: true });
    // The receiver changes a few times a second under load: the list follows at most once a second, so a row is
    // not redrawn under a click (a click on a row being redrawn is lost).
    const storeChanged = store.onChanged(() => {
      this.followTimer ??= setTimeout(() => {
        this.followTimer = undefined;
        this.refresh();
      }, FOLLOW_MS);
    });
    this.disposables = [
      { dispose: () => clearTimeout(this.followTimer) },
      this.changed,
      this.view,
      { dispose: () => storeChanged.dispose() },
      vscode.commands.registerCommand('traceLens.traces.filter', () => this.askFilter()),
      vscode.commands.registerCommand('traceLens.traces.clearFilter', () => this.setFilter(undefined)),
      vscode.commands.registerCommand('traceLens.traces.sort', () => this.askSort()),
      vscode.commands.registerCommand('traceLens.traces.group', () => this.askGroup()),
      vscode.commands.registerCommand('traceLens.traces.copyId', (node?: Node) => node?.kind === 'trace' && vscode.env.clipboard.writeText(node.row.traceId)),
    ];
    this.describe();
  }

  /** Opened or loaded traces changed (they have no event of their own). */
  refresh(): void {
    this.changed.fire();
    this.describe();
  }

  private async rows(): Promise<TraceRow[]> {
    const received: TraceRow[] = (await this.store.list()).map((t) => ({ ...t, origin: 'received' }));
    const held = new Set(received.map((r) => r.traceId));
    const opened = this.opened
      .all()
      .filter((t) => !held.has(t.traceId))
      .map(rowFromTrace);
    const all = [...received, ...opened];
    return sortRows(this.filter ? all.filter((r) => matchesFilter(r, this.filter!)) : all, this.sortBy);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'group') return node.group.rows.slice(0, MAX_ROWS).map((row) => ({ kind: 'trace', row }));
    if (node) return [];
    const rows = await this.rows().catch(() => []);
    if (this.groupBy !== 'none') return groupRows(rows, this.groupBy).map((group) => ({ kind: 'group', group }));
    return rows.slice(0, MAX_ROWS).map((row) => ({ kind: 'trace', row }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const { group } = node;
      const item = new vscode.TreeItem(group.key, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${counted(group.rows.length, 'trace')}${group.errorCount ? `, ${group.errorCount} failing` : ''}`;
      item.iconPath = new vscode.ThemeIcon(
        group.errorCount ? 'error' : 'symbol-namespace',
        group.errorCount ? new vscode.ThemeColor('errorForeground') : undefined,
      );
      return item;
    }
    const { row } = node;
    const item = new vscode.TreeItem(row.rootName ? `${row.rootService}: ${row.rootName}` : `${row.services.join(', ')} (root not received yet)`);
    item.description = `${formatDuration(row.durationNs)} · ${row.spanCount} spans${row.errorCount ? ` · ${row.errorCount} failed` : ''} · ${row.origin === 'received' ? formatAge(row.updatedAt) : 'opened'}`;
    item.tooltip = `${row.traceId}\n${item.description}`;
    item.iconPath = new vscode.ThemeIcon(
      row.errorCount ? 'error' : 'pass',
      row.errorCount ? new vscode.ThemeColor('errorForeground') : new vscode.ThemeColor('testing.iconPassed'),
    );
    item.contextValue = 'trace';
    item.id = `${row.origin}:${row.traceId}`;
    item.command = { command: 'traceLens.openTrace', title: 'Open Waterfall', arguments: [row.traceId] };
    return item;
  }

  private describe(): void {
    const parts = [
      this.filter?.text,
      this.sortBy === 'slowest' ? 'slowest first' : undefined,
      this.groupBy !== 'none' ? `by ${this.groupBy}` : undefined,
    ].filter(Boolean);
    this.view.description = parts.join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'traceLens.traces.filtered', this.filter !== undefined);
  }

  private setFilter(filter: TraceFilter | undefined): void {
    this.filter = filter && filter.text ? filter : undefined;
    this.refresh();
  }

  private async askFilter(): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: 'Trace Lens: Filter Traces',
      prompt: 'Words match the root service or operation; also service=NAME, op=TEXT, errors, >250ms',
      placeHolder: 'checkout errors >250ms',
      value: this.filter?.text ?? '',
      validateInput: (value) => {
        const parsed = parseTraceFilter(value);
        return typeof parsed === 'string' ? parsed : undefined;
      },
    });
    if (text === undefined) return;
    const parsed = parseTraceFilter(text);
    if (typeof parsed !== 'string') this.setFilter(parsed);
  }

  private async askSort(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Newest first', by: 'newest' as const },
        { label: 'Slowest first', by: 'slowest' as const },
      ],
      { title: 'Trace Lens: Sort Traces' },
    );
    if (!picked) return;
    this.sortBy = picked.by;
    this.refresh();
  }

  private async askGroup(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'No grouping', by: 'none' as const },
        { label: 'By service', by: 'service' as const },
        { label: 'By operation', by: 'operation' as const },
      ],
      { title: 'Trace Lens: Group Traces' },
    );
    if (!picked) return;
    this.groupBy = picked.by;
    this.refresh();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
