// Work done in rounds that ask something of others (the language servers, through the window): one round at a
// time, and each at least a gap after the one before, however often rounds are asked for. Asked for meanwhile,
// the next round starts once the gap is over, once.

export class PacedRounds {
  private lastStartMs = -Infinity;
  /** When a round was asked for (the earliest, if several): Infinity when none is. */
  private dueMs = Infinity;
  private running = false;
  private disposed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly gapMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Asks for a round at `atMs` (now by default), or as soon after it as the gap allows. */
  request(atMs = this.now()): void {
    if (this.disposed) return;
    this.dueMs = Math.min(this.dueMs, atMs);
    this.arm();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.dueMs = Infinity;
  }

  private arm(): void {
    if (this.running || this.dueMs === Infinity) return;
    const startMs = Math.max(this.dueMs, this.lastStartMs + this.gapMs);
    clearTimeout(this.timer);
    if (startMs <= this.now()) return this.start();
    this.timer = setTimeout(() => this.start(), startMs - this.now());
  }

  private start(): void {
    this.timer = undefined;
    this.dueMs = Infinity;
    this.running = true;
    this.lastStartMs = this.now();
    void this.round()
      .catch(() => undefined)
      .finally(() => {
        this.running = false;
        this.arm();
      });
  }
}
