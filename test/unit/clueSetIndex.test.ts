// The clue-set index: one number per distinct set in a digest, never one number for two different sets.
import { describe, expect, it } from 'vitest';
import type { CodeClue } from '../../src/core/code/codeClues';
import { ClueSetIndex, clueSetKey, MAX_INDEXED_SETS } from '../../src/core/stats/clueSetIndex';
import type { ClueSet } from '../../src/core/stats/spanDigest';

const route = (r: string, method?: string): CodeClue => ({ kind: 'route', route: r, method });
const file = (path: string, line?: number, fn?: string): CodeClue => ({ kind: 'file', path, line, function: fn, from: 'code.file.path' });
const stack = (path: string): CodeClue => ({ kind: 'stack', frames: [{ file: path, line: 3, library: false }], from: 'exception.stacktrace' });

/** Numbers as a digest gives them: the next free one for a set new to it. */
function numbering(index: ClueSetIndex) {
  const sets: ClueSet[] = [];
  const ids: number[] = [];
  return { sets, ids, numberOf: (set: ClueSet) => index.numberOf(set, (s, id) => (ids.push(id), sets.push(s) - 1)) };
}

describe('clue-set index', () => {
  const distinct: ClueSet[] = [
    { clues: [] },
    { clues: [route('/a')] },
    { clues: [route('/a', 'GET')] },
    { clues: [route('/a', 'POST')] },
    { clues: [{ kind: 'symbol', name: '/a' }] },
    { clues: [file('/a.ts')] },
    { clues: [file('/a.ts', 1)] },
    { clues: [file('/a.ts', 1, 'f')] },
    { clues: [file('/a.ts', 1, 'f'), { kind: 'symbol', name: 'f' }] },
    { clues: [{ kind: 'symbol', name: 'f' }, file('/a.ts', 1, 'f')] },
    { clues: [route('/a')], thrown: stack('/x.py') },
    { clues: [route('/a')], thrown: stack('/y.py') },
    { clues: [], thrown: route('/a') },
    // Span data is hostile: any character can be in a value, the separators of a joined key too.
    { clues: [route('b', 'a\u0000')] },
    { clues: [route('\u0000b', 'a')] },
    { clues: [file('/a.ts\u00001', undefined, 'f')] },
    { clues: [file('/a.ts', 1, 'f')], thrown: route('\u0001') },
    { clues: [route('\u0001'), file('/a.ts', 1, 'f')] },
  ];

  it('gives every distinct set its own number, and an equal set (a new object) the same one', () => {
    const { sets, numberOf } = numbering(new ClueSetIndex());
    expect(distinct.map(numberOf)).toEqual(distinct.map((_, i) => i));
    const copies = distinct.map((set) => structuredClone(set));
    expect(copies.reverse().map(numberOf)).toEqual(distinct.map((_, i) => i).reverse());
    expect(sets).toEqual(distinct);
    expect(new Set(distinct.map(clueSetKey)).size).toBe(distinct.length);
  });

  it('numbers afresh for each digest, keeping what it learned', () => {
    const index = new ClueSetIndex();
    numbering(index).numberOf(distinct[3]);
    index.restart();
    const next = numbering(index);
    expect([distinct[5], distinct[3], distinct[5]].map(next.numberOf)).toEqual([0, 1, 0]);
    expect(next.sets).toEqual([distinct[5], distinct[3]]);
  });

  it('never numbers an equal set twice in one digest, past its bound too, and starts over between digests', () => {
    const index = new ClueSetIndex();
    const first = numbering(index);
    const many = Array.from({ length: MAX_INDEXED_SETS + 10 }, (_, i) => ({ clues: [route(`/r${i}`)] }));
    const numbers = many.map(first.numberOf);
    expect(new Set(numbers).size).toBe(many.length);
    for (const [i, n] of numbers.entries()) expect(first.sets[n]).toBe(many[i]);
    // Equal sets, other objects: the same numbers, before the bound and past it.
    expect(first.numberOf({ clues: [route('/r0')] })).toBe(numbers[0]);
    expect(first.numberOf({ clues: [route(`/r${MAX_INDEXED_SETS + 5}`)] })).toBe(numbers[MAX_INDEXED_SETS + 5]);
    index.restart();
    const next = numbering(index);
    expect([many[7], { clues: [route('/r7')] }, many[8]].map(next.numberOf)).toEqual([0, 0, 1]);
  });

  it('gives an equal set the same id in every digest, and never gives an id to a second set, past its bound too', () => {
    const index = new ClueSetIndex();
    const first = numbering(index);
    distinct.forEach(first.numberOf);
    index.restart();
    const again = numbering(index);
    [...distinct].reverse().forEach((set) => again.numberOf(structuredClone(set)));
    expect(again.ids).toEqual([...first.ids].reverse());
    // Past the bound the keys start over: equal sets then get new ids, never one an earlier set had.
    const many = numbering(index);
    Array.from({ length: MAX_INDEXED_SETS }, (_, i) => many.numberOf({ clues: [route(`/many${i}`)] }));
    index.restart();
    const after = numbering(index);
    distinct.forEach(after.numberOf);
    const earlier = new Set([...first.ids, ...many.ids]);
    expect(after.ids.filter((id) => earlier.has(id))).toEqual([]);
    expect(new Set(after.ids).size).toBe(distinct.length);
  });
});
