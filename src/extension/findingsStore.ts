// The findings of every trace this window holds, grouped across traces: the receiver's (analysed in its thread
// once each trace settles), those of trace files (found in their worker), and those of traces loaded from a
// backend. Views, lenses and panels read it; it says when it changed (debounced), and where each group's code is.
import * as vscode from 'vscode';
import { FindingGroups, mergeGroups, type FindingGroup } from '../core/analysis/findings/findingGroups';
import { placeFindings, type PlacedFinding } from '../core/analysis/findings/placedFinding';
import type { FindingThresholds } from '../core/analysis/findings/thresholds';
import type { TraceFinding } from '../core/analysis/findings/traceFinding';
import type { CodeLocation } from '../core/code/codeLocation';
import type { ReceivedStore } from './receivedStore';
import { changed, readFindingThresholds } from './settings';

/** Findings come with each settled trace; views and lenses redraw at most this often (a row redrawn under the
 * pointer loses a click). */
const NOTIFY_DELAY_MS = 1000;

export class FindingsStore implements vscode.Disposable {
  /** The findings of traces this window holds (files, backends); the receiver's are grouped in its thread. */
  private readonly local = new FindingGroups();
  private receivedGroups: FindingGroup[] = [];
  private merged: FindingGroup[] | undefined;
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changedEmitter.event;
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private placedCache: PlacedFinding[] | undefined;
  private readonly disposables: vscode.Disposable[];
  thresholds: FindingThresholds = readFindingThresholds();

  constructor(
    private readonly received: ReceivedStore,
    private readonly locate: (clues: TraceFinding['anchorClues']) => CodeLocation | undefined,
  ) {
    void received.setFindingThresholds(this.thresholds).catch(() => undefined);
    this.disposables = [
      this.changedEmitter,
      received.onFindingGroups((groups) => {
        this.receivedGroups = groups;
        this.notify();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!changed(e, 'findings')) return;
        this.thresholds = readFindingThresholds();
        void received.setFindingThresholds(this.thresholds).catch(() => undefined);
      }),
    ];
  }

  /** A trace's findings, found in this window (a file's, a backend's). */
  set(traceId: string, findings: TraceFinding[]): void {
    // A received trace opened in a panel: the receiver's thread has counted its findings already.
    if (this.received.holds(traceId)) return;
    this.local.add(traceId, Date.now(), findings);
    this.notify();
  }

  remove(traceId: string): void {
    if (this.local.remove(traceId)) this.notify();
  }

  /** One trace's findings: this window's, else the receiver's (asked of its thread). */
  async ofTrace(traceId: string): Promise<TraceFinding[]> {
    const local = this.local.ofTrace(traceId);
    if (local.length || !this.received.holds(traceId)) return local;
    return this.received.findingsOf(traceId).catch(() => []);
  }

  /** How many groups there are. */
  get count(): number {
    return this.all().length;
  }

  all(): FindingGroup[] {
    this.merged ??= mergeGroups(this.receivedGroups, this.local.groups());
    return this.merged;
  }

  /** Each group with its place in the code (resolved once per change; the code statistics' index resolves it). */
  placed(): PlacedFinding[] {
    this.placedCache ??= placeFindings(this.all(), this.locate);
    return this.placedCache;
  }

  /** The code statistics changed: where they place a group may have too. Says so only when a place moved. */
  relocate(): void {
    if (!this.placedCache) return;
    const before = this.placedCache;
    this.placedCache = undefined;
    const after = this.placed();
    if (after.length !== before.length || after.some((p, i) => !sameLocation(p.location, before[i].location))) this.changedEmitter.fire();
  }
  private notify(): void {
    this.merged = undefined;
    this.placedCache = undefined;
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.changedEmitter.fire();
    }, NOTIFY_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.notifyTimer);
    for (const d of this.disposables) d.dispose();
  }
}

function sameLocation(a: CodeLocation | undefined, b: CodeLocation | undefined): boolean {
  return a?.file === b?.file && a?.line === b?.line && a?.function === b?.function;
}
