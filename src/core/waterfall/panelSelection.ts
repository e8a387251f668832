// Which span a waterfall panel shows selected, kept on the extension's side: a hidden panel's page is destroyed
// and loads again when shown, and must come back on that span. The page says what it selected by asking for the
// span's details; a reveal (a trace id link with a span, Go to Span) asks for a span the page has not confirmed.
// Reading details takes a turn of the trace's worker, so an answer may come after a newer reveal: that older
// selection must not replace the revealed span (a page loading again would select the old one, and the reveal's
// message may have gone to the page that was destroyed).

export class PanelSelection {
  /** The span the page last confirmed it selected. */
  selected: string | undefined;
  /** The span a reveal asked for, until the page confirms a selection asked after it. */
  private revealed: string | undefined;
  private reveals = 0;

  reveal(spanId: string): void {
    this.revealed = spanId;
    this.reveals++;
  }

  /** The page asks for a span's details: what to hand back to `confirm` once they are read. */
  asked(): number {
    return this.reveals;
  }

  /** The page selected `spanId` (its details read): kept unless a reveal came after it was asked. */
  confirm(asked: number, spanId: string): void {
    if (asked !== this.reveals) return;
    this.selected = spanId;
    this.revealed = undefined;
  }

  /** The span a page loading again selects: the revealed one, else the confirmed one, else `opened`. */
  toRestore(opened?: string): string | undefined {
    return this.revealed ?? this.selected ?? opened;
  }
}
