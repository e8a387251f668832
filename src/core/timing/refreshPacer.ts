/**
 * Paces "the lenses changed" announcements to an editor that debounces them.
 *
 * VS Code waits, after each announcement, about as long as its last lens requests for that file took (at least
 * 250 ms, at most a minute) and starts that wait over on every announcement; a request still running is cancelled
 * by the next. Announced at a steady beat shorter than that wait (spans arriving every 300 ms, while a language
 * server still loading had made one request take 3 s), the lenses are never asked for and never drawn: the demo's
 * intermittent "no CodeLens at all".
 *
 * So an announcement waits until the one before it was answered by a request that started after it (or HOLD_MS
 * passed: an editor that lost focus asks nothing), and comes no sooner than GAP_MS, or twice the slowest recent
 * answer, after it.
 */
const GAP_MS = 1_000;
const HOLD_MS = 10_000;
/** VS Code averages a file's last six request times. */
const RECENT = 6;

export class RefreshPacer {
  private dirty = false;
  private announcedMs = -Infinity;
  /** An announcement not yet answered by a request that began after it. */
  private holding = false;
  private readonly durations: number[] = [];
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly announce: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Something the lenses show changed. */
  changed(): void {
    this.dirty = true;
    this.consider();
  }

  /** A lens request begins; returns what `answered` takes when it ends (answered or cancelled). */
  begin(): number {
    return this.now();
  }

  answered(beganMs: number): void {
    this.durations.push(this.now() - beganMs);
    if (this.durations.length > RECENT) this.durations.shift();
    if (!this.holding || beganMs < this.announcedMs) return;
    this.release();
  }

  dispose(): void {
    clearTimeout(this.gapTimer);
    clearTimeout(this.holdTimer);
  }

  private release(): void {
    this.holding = false;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.consider();
  }

  private gapMs(): number {
    return Math.max(GAP_MS, 2 * Math.max(0, ...this.durations));
  }

  private consider(): void {
    if (!this.dirty || this.holding || this.gapTimer) return;
    const wait = this.announcedMs + this.gapMs() - this.now();
    if (wait > 0) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        this.consider();
      }, wait);
      return;
    }
    this.dirty = false;
    this.holding = true;
    this.announcedMs = this.now();
    this.holdTimer = setTimeout(() => this.release(), HOLD_MS);
    this.announce();
  }
}
