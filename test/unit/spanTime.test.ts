// Absolute times as OTLP/JSON writes them: decimal nanosecond strings, exact, up to 2^63 - 1 ns.
import { describe, expect, it } from 'vitest';
import { DECIMAL_RADIX, splitNanos, splitToBigInt } from '../../src/core/model/spanTime';

const exact = (text: string) => {
  const split = splitNanos(text);
  return split && splitToBigInt(split, DECIMAL_RADIX);
};

describe('decimal nanosecond strings', () => {
  it('read exactly, up to 2^63 - 1 ns and not past it, leading zeros or not', () => {
    expect(exact('1763900000123456789')).toBe(1_763_900_000_123_456_789n);
    expect(exact('9223372036854775807')).toBe(9_223_372_036_854_775_807n);
    expect(exact('09223372036854775807')).toBe(9_223_372_036_854_775_807n);
    expect(exact('00000000000000000042')).toBe(42n);
    expect(exact('123')).toBe(123n);
    for (const past of ['9223372036854775808', '9300000000000000000', '10000000000000000000', '09223372036854775808', '99999999999999999999'])
      expect(splitNanos(past), past).toBeUndefined();
  });

  it('refuse what is not decimal digits', () => {
    for (const bad of ['', '-1', '1e18', ' 1', '1.5', '123456789012345678901']) expect(splitNanos(bad), bad).toBeUndefined();
  });
});
