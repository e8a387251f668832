import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/core/analysis/formatCount';

describe('formatCount', () => {
  it('writes counts as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 999, 1000, 1031, 20_000, 100_000, 999_999, 1_000_000, 1_234_567_890, -1, -1234, 2 ** 53 - 1])
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
});
