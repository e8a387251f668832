// The code index from its inputs alone, in plain Node: what Go to Code and the CodeLens get for a span, with
// the workspace's files, path mappings, file texts and language-server placements each changing the answer.
import { describe, expect, it } from 'vitest';
import type { Span, Trace } from '../../src/core/model/trace';
import { CodeIndex, type CodeIndexInputs } from '../../src/core/stats/codeIndex';

const FILES = ['/ws/app/billing/service.py', '/ws/app/orders.py', '/ws/src/checkout.ts'];
const TEXTS: Record<string, string> = {
  '/ws/app/billing/service.py': 'import x\n\n\ndef refund(order):\n    pass\n\n\ndef charge(amount):\n    if amount < 0:\n        raise ValueError()\n',
};

function span(id: number, attributes: Span['attributes'], failure?: { stack: string }): Span {
  return {
    traceId: '0'.repeat(31) + id.toString(16),
    spanId: id.toString(16).padStart(16, '0'),
    name: `op${id}`,
    kind: 'server',
    startNs: 0,
    durationNs: 1_000_000 * id,
    status: failure ? { code: 'error', message: 'declined' } : { code: 'unset' },
    attributes,
    events: failure ? [{ name: 'exception', offsetNs: 0, attributes: { 'exception.type': 'ValueError', 'exception.stacktrace': failure.stack } }] : [],
    links: [],
    resource: { serviceName: 'shop', attributes: {} },
  };
}

function trace(s: Span): Trace {
  return { traceId: s.traceId, startUnixNano: 1_700_000_000_000_000_000n, spans: [s], warnings: [] };
}

const stack = (file: string, line: number) => `Traceback (most recent call last):\n  File "${file}", line ${line}, in charge\nValueError: declined`;

function index(inputs: Partial<CodeIndexInputs> = {}, traces: Trace[] = []): CodeIndex {
  return new CodeIndex({ files: FILES, readText: (f) => TEXTS[f], ...inputs }, traces);
}

describe("CodeIndex.locate: where a span's code is, and where it failed", () => {
  it('maps a container path onto the workspace through a path mapping, and only with it when the name is ambiguous', () => {
    const s = span(1, { 'code.file.path': '/srv/app/orders.py', 'code.line.number': 3 });
    expect(index({ mappings: [{ remote: '/srv/', local: '/ws/' }] }).locate(s).code).toEqual({ file: '/ws/app/orders.py', line: 3, function: undefined });
    // Without the mapping the unique base name still matches by suffix.
    expect(index().locate(s).code?.file).toBe('/ws/app/orders.py');
    expect(index({ files: ['/ws/a/orders.py', '/ws/b/orders.py'] }).locate(span(2, { 'code.file.path': '/srv/orders.py' })).code).toBeUndefined();
  });

  it('names the failing line apart from the code when the exception was thrown elsewhere, and not when it is the same line', () => {
    const elsewhere = span(3, { 'code.file.path': '/ws/src/checkout.ts', 'code.line.number': 10 }, { stack: stack('/srv/app/billing/service.py', 10) });
    expect(index().locate(elsewhere)).toEqual({
      code: { file: '/ws/src/checkout.ts', line: 10, function: undefined },
      failure: { file: '/ws/app/billing/service.py', line: 10, function: 'charge' },
    });
    const same = span(4, { 'code.file.path': '/ws/app/billing/service.py', 'code.line.number': 10 }, { stack: stack('/ws/app/billing/service.py', 10) });
    expect(index().locate(same).failure).toBeUndefined();
    expect(index().locate(same).code?.line).toBe(10);
  });

  it("finds a module-qualified function only with its file's text at hand", () => {
    const s = span(5, { 'code.function.name': 'app.billing.service.charge' });
    expect(index().locate(s).code).toEqual({ file: '/ws/app/billing/service.py', line: 8, function: 'app.billing.service.charge' });
    expect(index({ readText: () => undefined }).locate(s).code).toBeUndefined();
  });

  it("takes a language server's placement for a name the text search cannot place", () => {
    const s = span(6, { 'code.function.name': 'checkout.api.placeOrder' });
    expect(index().locate(s).code).toBeUndefined();
    const placed = { file: '/ws/src/checkout.ts', line: 11, function: 'checkout.api.placeOrder' };
    expect(index({ symbol: (name) => (name === 'checkout.api.placeOrder' ? placed : undefined) }).locate(s).code).toEqual(placed);
  });
});

describe('CodeIndex.stats: the traces it was built with, counted where their spans map', () => {
  it('counts every trace given, lists names for the language servers, and counts them once placed', () => {
    const traces = [1, 2, 3].map((i) => trace(span(i, { 'code.function.name': 'checkout.api.placeOrder' })));
    const unplaced = index({}, traces).stats;
    expect(unplaced.locations()).toEqual([]);
    expect(unplaced.unresolvedFunctions()).toEqual(['checkout.api.placeOrder']);
    expect(unplaced.unresolved()[0]).toMatchObject({ clue: 'function checkout.api.placeOrder', count: 3 });
    const placed = index({ symbol: () => ({ file: '/ws/src/checkout.ts', line: 11 }) }, traces).stats;
    expect(placed.locationsIn('/ws/src/checkout.ts').map((l) => [l.location.line, l.sketch.count])).toEqual([[11, 3]]);
    expect(placed.unresolvedFunctions()).toEqual([]);
  });

  it('puts a failure on the line that threw, with the count a hover shows', () => {
    const failing = [7, 8].map((i) =>
      trace(span(i, { 'code.file.path': '/ws/src/checkout.ts', 'code.line.number': 4 }, { stack: stack('/app/billing/service.py', 10) })),
    );
    const { stats } = index({}, failing);
    expect(stats.failures().map((f) => [f.location.file, f.location.line, f.errorCount])).toEqual([['/ws/app/billing/service.py', 10, 2]]);
    expect(stats.locationsIn('/ws/src/checkout.ts')[0].errorCount).toBe(2);
  });
});
