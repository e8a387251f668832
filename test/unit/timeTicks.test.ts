// The waterfall's time axis: round steps in one unit, whatever the window.
import { describe, expect, it } from 'vitest';
import { timeTicks } from '../../src/core/waterfall/timeTicks';

const labels = (start: number, end: number) => timeTicks(start, end).ticks.map((t) => t.label);

describe('time ticks', () => {
  it('puts round steps in one unit over the whole trace', () => {
    expect(labels(0, 208e6)).toEqual(['0', '50 ms', '100 ms', '150 ms', '200 ms']);
    expect(labels(0, 3.4e9)).toEqual(['0', '1 s', '2 s', '3 s']);
    expect(labels(0, 850)).toEqual(['0', '200 ns', '400 ns', '600 ns', '800 ns']);
  });

  it('keeps decimals a step needs, and starts a zoomed window at its first round tick', () => {
    expect(labels(0, 1.2e6)).toEqual(['0', '0.5 ms', '1.0 ms']);
    expect(labels(0, 2.5e6)).toEqual(['0', '0.5 ms', '1.0 ms', '1.5 ms', '2.0 ms', '2.5 ms']);
    expect(labels(16.5e6, 93.5e6)).toEqual(['20 ms', '40 ms', '60 ms', '80 ms']);
  });

  it('asked for few (a narrow panel), still gives two ticks or more, never a step past the end', () => {
    const few = (end: number, count: number) => timeTicks(0, end, count).ticks.map((t) => t.label);
    expect(few(48e6, 2)).toEqual(['0', '25 ms']);
    expect(few(48e6, 3)).toEqual(['0', '20 ms', '40 ms']);
    expect(few(208e6, 2)).toEqual(['0', '200 ms']);
  });
});
