// The findings bar above the rows: one button per finding of the trace ("N+1 query: 12 × SELECT … (210 ms)").
// Pressing one picks its spans out (highlighted, the first selected, N and Shift+N move among them); F and
// Shift+F move from finding to finding. Titles are span data: text only, never markup.
import type { WaterfallFinding } from '../protocol/messages';
import { el } from './dom';
import { counted } from '../core/analysis/counted';

const ICONS = { error: '✖', warning: '⚠', info: 'ℹ' } as const;
/** Findings whose spans are repeats of one call under one parent: they can be folded into one row. */
const REPEATS = new Set(['n-plus-one-query', 'calls-in-loop', 'retry-storm']);

export class FindingsBar {
  readonly element = el('div', 'toolbar findings-bar');
  private findings: WaterfallFinding[] = [];
  private active = -1;
  /** A finding asked for before the findings arrived: picked when they do. */
  private wanted: string | undefined;
  private readonly folded = new Set<string>();

  constructor(
    private readonly picked: (finding: WaterfallFinding | undefined) => void,
    private readonly fold: (finding: WaterfallFinding, folded: boolean) => void,
  ) {
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', 'Findings in this trace (F, Shift+F)');
    this.element.hidden = true;
  }

  show(findings: WaterfallFinding[]): void {
    const activeFingerprint = this.findings[this.active]?.fingerprint;
    this.findings = findings;
    this.active = findings.findIndex((f) => f.fingerprint === activeFingerprint);
    this.render();
    if (this.wanted !== undefined) this.pick(this.wanted);
  }

  pick(fingerprint: string): void {
    const index = this.findings.findIndex((f) => f.fingerprint === fingerprint);
    this.wanted = index < 0 ? fingerprint : undefined;
    if (index >= 0 && index !== this.active) this.activate(index);
  }

  /** The next (or previous) finding, round the list. */
  step(forward: boolean): void {
    const n = this.findings.length;
    if (n === 0) return;
    this.activate(this.active < 0 ? (forward ? 0 : n - 1) : (this.active + (forward ? 1 : n - 1)) % n);
  }

  /** Forgets the picked finding (a search took its place). */
  release(): void {
    if (this.active < 0) return;
    this.active = -1;
    this.render();
  }

  private activate(index: number): void {
    this.active = index === this.active ? -1 : index;
    this.render();
    this.picked(this.findings[this.active]);
  }

  /** Folds the finding's repeats into one row ("× 12"), or shows them again. */
  private foldButton(finding: WaterfallFinding): HTMLButtonElement {
    const folded = this.folded.has(finding.fingerprint);
    const b = el('button', 'fold', folded ? `unfold × ${finding.rows.length}` : `fold × ${finding.rows.length}`);
    b.type = 'button';
    b.title = folded ? 'Show each repeat on its own row' : `Fold the ${finding.rows.length} repeats into one row`;
    b.setAttribute('aria-pressed', String(folded));
    b.addEventListener('click', () => {
      if (folded) this.folded.delete(finding.fingerprint);
      else this.folded.add(finding.fingerprint);
      this.fold(finding, !folded);
      this.render();
    });
    return b;
  }

  private render(): void {
    this.element.hidden = this.findings.length === 0;
    const label = el('span', 'findings-label', `Findings (${this.findings.length})`);
    const buttons = this.findings.flatMap((finding, index) => {
      const b = el('button', `finding finding-${finding.severity}`, `${ICONS[finding.severity]} ${finding.title}`);
      b.type = 'button';
      b.title = `${finding.title}\n${counted(finding.rows.length, 'span')}: press to pick them out (F / Shift+F: next / previous finding)`;
      b.setAttribute('aria-pressed', String(index === this.active));
      b.addEventListener('click', () => this.activate(index));
      return REPEATS.has(finding.kind) && finding.rows.length > 1 ? [b, this.foldButton(finding)] : [b];
    });
    this.element.replaceChildren(label, ...buttons);
  }
}
