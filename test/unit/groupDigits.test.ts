import { describe, expect, it } from 'vitest';
import { groupDigits } from '../../src/core/analysis/groupDigits';

describe('groupDigits', () => {
  it('writes counts as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 999, 1000, 1031, 20_000, 100_000, 999_999, 1_000_000, 1_234_567_890, -1, -1234, 2 ** 53 - 1])
      expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
  });
});
