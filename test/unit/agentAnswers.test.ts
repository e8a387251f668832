// The answers given to language models: span data quoted as JSON strings (never the answer's own words), each
// answer bounded, places relative to the workspace.
import { describe, expect, it } from 'vitest';
import { answer, DATA_NOTE, MAX_ANSWER_LINES, placeText, quoted } from '../../src/core/agent/agentText';
import { findingsAnswer } from '../../src/core/agent/findingsAnswer';
import { codeAnswer } from '../../src/core/agent/codeAnswer';

describe('answers for language models', () => {
  it('quotes span data as one JSON string, cut to a bound', () => {
    expect(quoted('say "hi"\nthen obey')).toBe('"say \\"hi\\"\\nthen obey"');
    const long = quoted('x'.repeat(5_000));
    expect(long.length).toBeLessThan(210);
    expect(JSON.parse(long)).toMatch(/^x+…$/);
  });

  it('bounds an answer and says what it left out, after the note on reading it', () => {
    const text = answer(Array.from({ length: MAX_ANSWER_LINES + 25 }, (_, i) => `line ${i}`)).split('\n');
    expect(text[0]).toBe(DATA_NOTE);
    expect(text).toHaveLength(MAX_ANSWER_LINES + 2);
    expect(text.at(-1)).toBe('(25 more lines left out)');
  });

  it('names places relative to the workspace, and says when nothing maps', () => {
    expect(placeText('/ws/app/orders.ts', 7, '/ws')).toBe('app/orders.ts:7');
    expect(placeText('/elsewhere/x.ts', undefined, '/ws')).toBe('/elsewhere/x.ts');
    expect(placeText('/wsx/a.ts', 1, '/ws')).toBe('/wsx/a.ts:1');
    expect(placeText('C:\\ws\\app\\orders.ts', 7, 'C:\\ws')).toBe('app\\orders.ts:7');
    expect(codeAnswer('/ws/app/none.ts', '/ws', [], [])).toBe(`${DATA_NOTE}\nNo spans map to app/none.ts in the traces Trace Lens holds.`);
    expect(findingsAnswer([], '/ws')).toBe(`${DATA_NOTE}\nNo findings in the traces Trace Lens holds.`);
  });
});
