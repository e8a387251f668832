// Which rows are visible given the collapsed subtrees, and moves over that view. Pure (no DOM), O(n) per
// change: subtrees are contiguous in pre-order, so skipping a collapsed one is a jump to its subtreeEnd.
import type { WaterfallRows } from '../protocol/messages';

export class RowTree {
  readonly count: number;
  private readonly collapsed: Uint8Array;
  /** Visible rows in display order; only the first `visibleCount` entries are meaningful. */
  readonly visible: Int32Array;
  visibleCount = 0;
  /** Display position of each row, -1 while hidden under a collapsed ancestor. */
  private readonly position: Int32Array;
  /** Repeats folded into their first: 1 for each repeat hidden (with its subtree). */
  private readonly folded: Uint8Array;
  /** The rows of each folded group, by its first row (the one still shown). */
  private readonly groups = new Map<number, number[]>();

  constructor(private readonly rows: WaterfallRows) {
    this.count = rows.span.length;
    this.collapsed = new Uint8Array(this.count);
    this.visible = new Int32Array(this.count);
    this.position = new Int32Array(this.count);
    this.folded = new Uint8Array(this.count);
    this.recompute();
  }

  hasChildren(row: number): boolean {
    return this.rows.subtreeEnd[row] > row + 1;
  }

  isCollapsed(row: number): boolean {
    return this.collapsed[row] === 1;
  }

  /** Display position of `row`, or -1 when an ancestor is collapsed. */
  positionOf(row: number): number {
    return this.position[row];
  }

  /** Hidden descendants of a collapsed row (shown as a count on the row). */
  hiddenBelow(row: number): number {
    return this.rows.subtreeEnd[row] - row - 1;
  }

  private recompute(): void {
    this.position.fill(-1);
    let count = 0;
    for (let r = 0; r < this.count; r = this.collapsed[r] || this.folded[r] ? this.rows.subtreeEnd[r] : r + 1) {
      if (this.folded[r]) continue;
      this.position[r] = count;
      this.visible[count++] = r;
    }
    this.visibleCount = count;
  }

  setCollapsed(row: number, collapsed: boolean): boolean {
    if (!this.hasChildren(row) || this.isCollapsed(row) === collapsed) return false;
    this.collapsed[row] = collapsed ? 1 : 0;
    this.recompute();
    return true;
  }

  /** How many rows a folded group's first row stands for (0: it heads no group). */
  groupSize(row: number): number {
    return this.groups.get(row)?.length ?? 0;
  }

  /** Folds repeats (rows in tree order) into the first of them, or unfolds them. */
  setFolded(rows: ArrayLike<number>, fold: boolean): void {
    this.setFoldedMany([rows], fold);
  }

  /** Folds (or unfolds) many groups of repeats, laying the rows out once: a 100k-span trace can have thousands. */
  setFoldedMany(groups: readonly ArrayLike<number>[], fold: boolean): void {
    for (const rows of groups) {
      if (rows.length < 2) continue;
      for (let k = 1; k < rows.length; k++) this.folded[rows[k]] = fold ? 1 : 0;
      if (fold) this.groups.set(rows[0], Array.from(rows));
      else this.groups.delete(rows[0]);
    }
    this.recompute();
  }

  /** Shows the rows a folded group's first row stands for. */
  unfold(row: number): void {
    const group = this.groups.get(row);
    if (group) this.setFolded(group, false);
  }

  /** Shows a row hidden in collapsed subtrees (expanding its ancestors) or folded away (unfolding its group). */
  reveal(row: number): void {
    if (this.position[row] >= 0) return;
    for (let p = row; p >= 0; p = this.rows.parent[p]) {
      if (p !== row) this.collapsed[p] = 0;
      if (!this.folded[p]) continue;
      for (const [first, group] of this.groups) if (group.includes(p)) this.setFolded(this.groups.get(first)!, false);
    }
    this.recompute();
  }

  /** Rows deeper than `depth` levels below a root are hidden; Infinity expands everything. */
  collapseToDepth(depth: number): void {
    for (let r = 0; r < this.count; r++) this.collapsed[r] = this.rows.depth[r] >= depth - 1 && this.hasChildren(r) ? 1 : 0;
    this.recompute();
  }

  /** The first row after (or, backwards, before) `from` in tree order whose index `matches` holds. */
  static nextIn(matches: ArrayLike<number>, from: number, forward: boolean): number | undefined {
    if (matches.length === 0) return undefined;
    // Binary search: matches are sorted by row.
    let lo = 0;
    let hi = matches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (matches[mid] <= from) lo = mid + 1;
      else hi = mid;
    }
    if (forward) return matches[lo % matches.length];
    const before = lo - 1 - (lo > 0 && matches[lo - 1] === from ? 1 : 0);
    return matches[(before + matches.length) % matches.length];
  }
}
