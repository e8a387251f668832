// Rounds of questions to others (the language servers): one at a time, a gap apart however often asked for.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PacedRounds } from '../../src/core/timing/pacedRounds';

const GAP = 3000;

/** Rounds that each take `takesMs`, recording when they started (ms since the test began). */
function rounds(takesMs = 0) {
  const started: number[] = [];
  const t0 = Date.now();
  const paced = new PacedRounds(async () => {
    started.push(Date.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, takesMs));
  }, GAP);
  return { started, paced };
}

describe('paced rounds', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first round at once, and rounds asked for meanwhile once, a gap after it', async () => {
    const { started, paced } = rounds();
    paced.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]);
    for (let ms = 0; ms < 2500; ms += 100) {
      paced.request();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(started).toEqual([0, GAP]);
  });

  it('never starts a round while one runs, and starts the one asked for meanwhile when it ends', async () => {
    const { started, paced } = rounds(5000);
    paced.request();
    await vi.advanceTimersByTimeAsync(4000);
    paced.request();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(started).toEqual([0, 5000]);
  });

  it('runs a round asked for later at its time, unless one is asked for sooner', async () => {
    const { started, paced } = rounds();
    paced.request(Date.now() + 8000);
    await vi.advanceTimersByTimeAsync(7000);
    expect(started).toEqual([]);
    paced.request(Date.now() + 500);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(started).toEqual([7500]);
  });

  it('runs no round once disposed', async () => {
    const { started, paced } = rounds();
    paced.request(Date.now() + 1000);
    paced.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(started).toEqual([]);
  });
});
