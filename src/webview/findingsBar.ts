// The findings bar above the rows: one button per finding of the trace ("N+1 query: 12 × SELECT … (210 ms)").
// Pressing one picks its spans out (highlighted, the first selected, N and Shift+N move among them); F and
// Shift+F move from finding to finding. Titles are span data: text only, never markup.
import type { WaterfallFinding } from '../protocol/messages';
import { el } from './dom';

const ICONS = { error: '✖', warning: '⚠', info: 'ℹ' } as const;

export class FindingsBar {
  readonly element = el('div', 'toolbar findings-bar');
  private findings: WaterfallFinding[] = [];
  private active = -1;
  /** A finding asked for before the findings arrived: picked when they do. */
  private wanted: string | undefined;

  constructor(private readonly picked: (finding: WaterfallFinding | undefined) => void) {
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

  private render(): void {
    this.element.hidden = this.findings.length === 0;
    const label = el('span', 'findings-label', `Findings (${this.findings.length})`);
    const buttons = this.findings.map((finding, index) => {
      const b = el('button', `finding finding-${finding.severity}`, `${ICONS[finding.severity]} ${finding.title}`);
      b.type = 'button';
      b.title = `${finding.title}\n${finding.rows.length} span(s): press to pick them out (F / Shift+F: next / previous finding)`;
      b.setAttribute('aria-pressed', String(index === this.active));
      b.addEventListener('click', () => this.activate(index));
      return b;
    });
    this.element.replaceChildren(label, ...buttons);
  }
}
