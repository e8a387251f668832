import { describe, expect, it } from 'vitest';
import { parentIndexes, repeatsAnId } from '../../src/core/model/parentIndex';
import { buildSpan } from '../support/traceBuilder';

const spans = (...ids: [id: string, parent?: string][]) => ids.map(([spanId, parentSpanId]) => buildSpan({}, { spanId, parentSpanId }));

describe('span ids as a table', () => {
  it('tells a repeated id, in hex ids and in ids that are not', () => {
    expect(repeatsAnId(spans(['00000000000000a1'], ['00000000000000b2'], ['10000000000000a1']))).toBe(false);
    expect(repeatsAnId(spans(['00000000000000a1'], ['00000000000000b2'], ['00000000000000a1']))).toBe(true);
    expect(repeatsAnId(spans(['A1'], ['a1'], ['span-3']))).toBe(false);
    expect(repeatsAnId(spans(['A1'], ['span-3'], ['A1']))).toBe(true);
  });

  it('finds parents, a repeated id naming its last span', () => {
    const list = spans(['00000000000000a1'], ['00000000000000b2', '00000000000000a1'], ['00000000000000a1'], ['00000000000000c3', 'ffffffffffffffff']);
    expect([...parentIndexes(list)]).toEqual([-1, 2, -1, -1]);
  });
});
