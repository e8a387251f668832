// Trace-id recognition against a corpus of 222 log lines in the formats real loggers, proxies and SDKs write
// (JSON loggers, Spring, Python, .NET, Go, Rails, syslog, nginx, Envoy, HTTP headers of every propagator,
// Datadog, GCP, AWS X-Ray) and look-alikes that must not match (git SHAs, UUIDs, hashes, keys, timestamps).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast, bestTraceId, recogniseTraceIds } from '../../src/core/ids/traceIdRecogniser';

const CORPUS = readFileSync(join(__dirname, '..', 'corpus', 'trace-id-lines.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const tab = l.indexOf('\t');
    const expected = l.slice(0, tab);
    return { expected: expected === '-' ? [] : expected.split(','), line: l.slice(tab + 1).replace(/\\t/g, '\t') };
  });

function ids(line: string): string[] {
  return recogniseTraceIds(line)
    .filter((m) => atLeast(m.confidence, 'medium'))
    .map((m) => m.traceId);
}

describe('trace-id recognition', () => {
  it('finds ≥ 95% of the ids in the corpus with ≥ 99% precision at medium confidence and above', () => {
    let expectedCount = 0;
    let truePositives = 0;
    let found = 0;
    const misses: string[] = [];
    for (const { expected, line } of CORPUS) {
      const got = ids(line);
      expectedCount += expected.length;
      found += got.length;
      const hits = got.filter((id) => expected.includes(id));
      truePositives += hits.length;
      if (hits.length !== expected.length || got.length !== hits.length) misses.push(`expected [${expected}] got [${got}]: ${line.slice(0, 140)}`);
    }
    const recall = truePositives / expectedCount;
    const precision = truePositives / found;
    console.log(
      `corpus: ${CORPUS.length} lines, ${expectedCount} ids; recall ${(recall * 100).toFixed(1)}%, precision ${(precision * 100).toFixed(1)}%${misses.length ? `\n${misses.join('\n')}` : ''}`,
    );
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.99);
  });

  it('reports kind, range and confidence', () => {
    const line = '{"traceId":"00-6b35fff85b3f858c02b0708bfb60140d-9d6589c16618f21d-00","status":401}';
    const [match] = recogniseTraceIds(line);
    expect(match).toEqual({ kind: 'traceparent', start: 12, end: 67, traceId: '6b35fff85b3f858c02b0708bfb60140d', confidence: 'high' });
    expect(line.slice(match.start, match.end)).toBe('00-6b35fff85b3f858c02b0708bfb60140d-9d6589c16618f21d-00');
  });

  it("joins Datadog's decimal low half with _dd.p.tid (the documented example)", () => {
    const [match] = recogniseTraceIds('x-datadog-trace-id: 14734487376766342168  x-datadog-tags: _dd.p.tid=67ce898700000000');
    expect(match).toMatchObject({ kind: 'datadog', traceId: '67ce898700000000cc7b6a33d7a29418', confidence: 'high' });
  });

  it('picks the id a pasted text most likely means', () => {
    expect(bestTraceId('md5 d41d8cd98f00b204e9800998ecf8427f then traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
    expect(bestTraceId('  A03EE8FFF1DCD9B9  ')).toBeUndefined();
    expect(bestTraceId('d61b4e4af1032e0aae279d12f3ab0159')).toBe('d61b4e4af1032e0aae279d12f3ab0159');
  });

  it('offers bare 32-hex only at low confidence, and not for undashed v4 UUIDs', () => {
    expect(recogniseTraceIds('saw d61b4e4af1032e0aae279d12f3ab0159 in the log')).toEqual([]);
    expect(recogniseTraceIds('saw d61b4e4af1032e0aae279d12f3ab0159 in the log', { includeLow: true })).toEqual([
      { kind: 'bare', start: 4, end: 36, traceId: 'd61b4e4af1032e0aae279d12f3ab0159', confidence: 'low' },
    ]);
    expect(recogniseTraceIds('id 550e8400e29b41d4a716446655440000', { includeLow: true })).toEqual([]);
  });
});
