// What a trace worker makes of a file: small traces go back to the host whole (within a total), large ones stay,
// each with the story a picker and a hover show; copies travel in messages of bounded size.
import { describe, expect, it } from 'vitest';
import { COPY_SPAN_LIMIT, COPY_TOTAL_LIMIT, copyBatches, readTraceBytes } from '../../src/core/workers/traceFile';
import { encodeOtlpJson } from '../support/otelEncode';
import { syntheticTrace } from '../support/syntheticTrace';
import { buildTrace } from '../support/traceBuilder';

function id(n: number): string {
  return n.toString(16).padStart(32, '0');
}

describe('a trace file in a worker', () => {
  it('copies traces up to the span limit and holds larger ones, with each one’s story', () => {
    const bytes = encodeOtlpJson([syntheticTrace(COPY_SPAN_LIMIT, id(1)), syntheticTrace(COPY_SPAN_LIMIT + 1, id(2)), syntheticTrace(3, id(3))]);
    const file = readTraceBytes(bytes);
    if (!file.ok) throw new Error(file.error);
    expect(file.format).toBe('OTLP/JSON');
    const byId = new Map(file.entries.map((e) => [e.traceId, e]));
    expect(byId.get(id(1))).toMatchObject({ spanCount: COPY_SPAN_LIMIT, copied: true });
    expect(byId.get(id(2))).toMatchObject({ spanCount: COPY_SPAN_LIMIT + 1, copied: false });
    expect(byId.get(id(3))).toMatchObject({ spanCount: 3, copied: true });
    expect(byId.get(id(3))!.story.summary.rootService).toBe('frontend');
    expect(file.copies.map((t) => t.traceId).sort()).toEqual([id(1), id(3)]);
    expect([...file.held.keys()]).toEqual([id(2)]);
    expect(file.held.get(id(2))!.tree.order).toHaveLength(COPY_SPAN_LIMIT + 1);
  });

  it('stops copying at the total, holding the rest', () => {
    const count = COPY_TOTAL_LIMIT / 1000 + 2;
    const traces = Array.from({ length: count }, (_, i) => syntheticTrace(1000, id(i + 1)));
    const file = readTraceBytes(encodeOtlpJson(traces));
    if (!file.ok) throw new Error(file.error);
    expect(file.copies.reduce((n, t) => n + t.spans.length, 0)).toBe(COPY_TOTAL_LIMIT);
    expect(file.held.size).toBe(2);
    expect(file.entries.filter((e) => !e.copied).map((e) => e.traceId)).toEqual([...file.held.keys()]);
  });

  it('says what is wrong with a file that is no trace', () => {
    const file = readTraceBytes(new TextEncoder().encode('{"name": "package"}'));
    expect(file.ok).toBe(false);
    if (!file.ok) expect(file.error).toMatch(/not a trace/);
  });

  it('batches copies by spans, never splitting a trace', () => {
    const sized = (n: number) => buildTrace(Array.from({ length: n }, (_, i) => [String(i + 1), undefined, 0, 1] as [string, undefined, number, number]));
    const batches = copyBatches([sized(3), sized(2), sized(4), sized(1)], 5);
    expect(batches.map((b) => b.map((t) => t.spans.length))).toEqual([
      [3, 2],
      [4, 1],
    ]);
    expect(copyBatches([sized(7)], 5).map((b) => b.length)).toEqual([1]);
    expect(copyBatches([])).toEqual([]);
  });
});
