import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshPacer } from '../../src/core/timing/refreshPacer';

/**
 * VS Code's CodeLens controller as it is built (codelensController.ts in code-server 4.139): each announcement
 * (re)starts a wait as long as the file's last six requests took on average (at least 250 ms); when the wait ends,
 * the request before is cancelled and a new one starts; only an answered request draws lenses.
 */
class LensEditor {
  drawn = 0;
  lastDrawnMs = 0;
  asked = 0;
  private readonly durations: number[] = [];
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private running: { cancelled: boolean } | undefined;

  constructor(private readonly provider: (began: number) => { takesMs: number; done: (began: number) => void }) {}

  announce(): void {
    clearTimeout(this.scheduled);
    this.scheduled = setTimeout(() => this.request(), this.delay());
  }

  private delay(): number {
    if (!this.durations.length) return 250;
    return Math.max(250, this.durations.reduce((a, b) => a + b, 0) / this.durations.length);
  }

  private request(): void {
    if (this.running) this.running.cancelled = true;
    const run = { cancelled: false };
    this.running = run;
    this.asked++;
    const began = Date.now();
    const { takesMs, done } = this.provider(began);
    setTimeout(() => {
      done(began);
      if (run.cancelled) return;
      this.durations.push(Date.now() - began);
      if (this.durations.length > 6) this.durations.shift();
      this.drawn++;
      this.lastDrawnMs = Date.now();
    }, takesMs);
  }
}

/** Spans arrive every 300 ms for a minute; the first request waits 3 s on a language server still loading. */
function streamFor(ms: number, changed: () => void): void {
  for (let t = 0; t < ms; t += 300) setTimeout(changed, t);
}

describe('RefreshPacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a steady stream of changes, announced as they come, starves the lenses once one request was slow (the model of the failure)', () => {
    let requests = 0;
    const editor = new LensEditor(() => ({ takesMs: requests++ === 0 ? 3_000 : 20, done: () => undefined }));
    editor.announce();
    vi.advanceTimersByTime(3_500);
    expect(editor.drawn).toBe(1);
    streamFor(60_000, () => editor.announce());
    vi.advanceTimersByTime(60_000);
    expect(editor.drawn).toBe(1);
  });

  it('paced, the same stream is drawn again and again', () => {
    let requests = 0;
    let pacer: RefreshPacer | undefined = undefined;
    const editor = new LensEditor(() => ({ takesMs: requests++ === 0 ? 3_000 : 20, done: (began) => pacer?.answered(began) }));
    pacer = new RefreshPacer(() => editor.announce());
    const start = Date.now();
    pacer.changed();
    streamFor(60_000, () => pacer.changed());
    vi.advanceTimersByTime(60_000);
    // Every announcement answered, at most once a second, and the lenses never more than two seconds behind.
    expect(editor.drawn).toBe(editor.asked);
    expect(editor.drawn).toBeGreaterThan(20);
    expect(editor.drawn).toBeLessThanOrEqual(61);
    expect(editor.lastDrawnMs).toBeGreaterThan(start + 58_000);
    pacer.dispose();
  });

  it('announces a change at once when quiet, and no sooner than a second after the one before', () => {
    const announced: number[] = [];
    const pacer = new RefreshPacer(() => announced.push(Date.now()));
    const start = Date.now();
    pacer.changed();
    expect(announced).toEqual([start]);
    pacer.answered(start);
    pacer.changed();
    pacer.changed();
    expect(announced).toHaveLength(1);
    vi.advanceTimersByTime(999);
    expect(announced).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(announced).toEqual([start, start + 1_000]);
    pacer.dispose();
  });

  it('holds the next announcement until a request begun after the last one is answered, or ten seconds passed', () => {
    const announced: number[] = [];
    const pacer = new RefreshPacer(() => announced.push(Date.now()));
    const stale = pacer.begin();
    vi.advanceTimersByTime(1);
    pacer.changed();
    // A request that began before the announcement does not answer it.
    pacer.answered(stale);
    pacer.changed();
    vi.advanceTimersByTime(4_000);
    expect(announced).toHaveLength(1);
    const fresh = pacer.begin();
    pacer.answered(fresh);
    expect(announced).toHaveLength(2);
    pacer.changed();
    vi.advanceTimersByTime(9_999);
    expect(announced).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(announced).toHaveLength(3);
    pacer.dispose();
  });

  it('after a slow answer, announcements are twice its time apart', () => {
    const announced: number[] = [];
    const pacer = new RefreshPacer(() => announced.push(Date.now()));
    const start = Date.now();
    pacer.changed();
    const began = pacer.begin();
    vi.advanceTimersByTime(3_000);
    pacer.answered(began);
    pacer.changed();
    vi.advanceTimersByTime(2_999);
    expect(announced).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(announced).toEqual([start, start + 6_000]);
    pacer.dispose();
  });

  it('announces nothing when nothing changed', () => {
    const announce = vi.fn();
    const pacer = new RefreshPacer(announce);
    pacer.answered(pacer.begin());
    vi.advanceTimersByTime(20_000);
    expect(announce).not.toHaveBeenCalled();
    pacer.dispose();
  });
});
