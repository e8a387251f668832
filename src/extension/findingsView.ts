// The Findings view of the Trace Lens side bar: findings grouped by kind, then by fingerprint (one problem in many
// traces is one row), with how many traces have it, when it was last seen, its service and its place in the code.
// A click opens the code (or, with no place, the trace); "Open Trace" opens an exemplar with the finding selected.
import * as vscode from 'vscode';
import { placeLabel } from './codePlaces';
import { formatAge } from '../core/analysis/formatAge';
import { formatDuration } from '../core/analysis/formatDuration';
import { FINDING_KIND_LABELS, FINDING_KINDS, type FindingKind } from '../core/analysis/findings/finding';
import { editorLine } from '../core/code/codeLocation';
import type { PlacedFinding } from '../core/analysis/findings/placedFinding';
import { SETTLE_MS } from '../core/analysis/findings/settlingAnalysis';
import type { FindingsStore } from './findingsStore';
import { counted } from '../core/analysis/counted';

type Node = { kind: 'kind'; findingKind: FindingKind; placed: PlacedFinding[] } | { kind: 'finding'; placed: PlacedFinding };

const SEVERITY_ICONS = { error: 'error', warning: 'warning', info: 'info' } as const;

/** The command that shows a finding's exemplar trace with the finding's spans picked out. */
export const OPEN_FINDING_COMMAND = 'traceLens.findings.openTrace';

export class FindingsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[];

  /**
   * `tracesHeld`: how many traces the window holds (an empty view says whether there is nothing to look at);
   * `leftUnanalysed`: how many received traces left the store before the analysis reached them.
   */
  constructor(
    private readonly findings: FindingsStore,
    private readonly tracesHeld: () => number,
    private readonly leftUnanalysed: () => number,
  ) {
    this.view = vscode.window.createTreeView('traceLens.findings', { treeDataProvider: this, showCollapseAll: true });
    this.disposables = [this.changed, this.view, findings.onDidChange(() => this.refresh())];
    this.describe();
  }

  get message(): string | undefined {
    return this.view.message;
  }

  private refresh(): void {
    this.changed.fire();
    this.describe();
  }

  /** Traces came or went: the findings may not have changed, but the empty view's words may. */
  describe(): void {
    const count = this.findings.count;
    this.view.badge = count ? { value: count, tooltip: `${counted(count, 'finding')} in the traces held` } : undefined;
    // No findings is not the same as none looked for: the view says when traces went unexamined.
    const left = this.leftUnanalysed();
    const message = left
      ? `${counted(left, 'received trace')} left the store before ${left === 1 ? 'it was' : 'they were'} analysed: spans came faster than it keeps them until they settle (${SETTLE_MS / 1000} s after their last span). Raise traceLens.store.maxSpans or traceLens.store.maxMiB to have ${left === 1 ? 'it' : 'them'} analysed.`
      : undefined;
    // Set only when it changes: each setting is a message to the window, and this runs on every store change.
    if (message !== this.view.message) this.view.message = message;
    void vscode.commands.executeCommand('setContext', 'traceLens.tracesHeld', this.tracesHeld() > 0);
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'finding') return [];
    if (node?.kind === 'kind') return node.placed.map((placed) => ({ kind: 'finding', placed }));
    const placed = this.findings.placed();
    return FINDING_KINDS.map((findingKind) => ({ kind: 'kind' as const, findingKind, placed: placed.filter((p) => p.group.kind === findingKind) })).filter(
      (n) => n.placed.length > 0,
    );
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'kind') {
      const item = new vscode.TreeItem(FINDING_KIND_LABELS[node.findingKind], vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.placed.length}`;
      item.contextValue = 'findingKind';
      item.id = `kind:${node.findingKind}`;
      return item;
    }
    const { group, location } = node.placed;
    // Span data is hostile: it is shown as plain text, never as Markdown or HTML.
    const item = new vscode.TreeItem(group.title, vscode.TreeItemCollapsibleState.None);
    // The title changes with each new trace: a stable id keeps the row (and a click on it) the same finding.
    item.id = group.fingerprint;
    const place = location ? placeLabel(location) : 'no code location';
    item.description = `${counted(group.traces, 'trace')} · ${formatAge(group.lastSeenMs)} · ${group.service}`;
    item.tooltip = `${group.title}\n\n${group.service} · ${place}\nIn ${counted(group.traces, 'trace')} (${counted(group.occurrences, 'time')}), first seen ${formatAge(group.firstSeenMs)}, last ${formatAge(group.lastSeenMs)}${group.exemplars[0].savingNs ? `\nA fix would save about ${formatDuration(group.exemplars[0].savingNs)} per trace` : ''}`;
    item.iconPath = new vscode.ThemeIcon(SEVERITY_ICONS[group.severity]);
    item.contextValue = 'finding';
    item.command = location
      ? {
          command: 'vscode.open',
          title: 'Open Code',
          arguments: [vscode.Uri.file(location.file), { selection: new vscode.Range(editorLine(location), 0, editorLine(location), 0) }],
        }
      : { command: OPEN_FINDING_COMMAND, title: 'Open Trace', arguments: [node] };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The finding a command was given: a view node, or the fingerprint a lens or hover passes. */
export function fingerprintArgument(given: unknown): string | undefined {
  if (typeof given === 'string') return given;
  const node = given as Node | undefined;
  return node?.kind === 'finding' ? node.placed.group.fingerprint : undefined;
}
