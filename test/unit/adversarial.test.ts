// Hostile input, bounded in time and memory: what an attack run found (issue 15), at small sizes that finish in
// seconds. Costs are compared as ratios within one run (a quadratic path is hundreds of times slower than the
// linear one at these sizes; the machine's speed cancels out). The full-size runs are in `npm run bench`.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeTraces } from '../../src/core/formats/decode';
import { toOtlpJson } from '../../src/core/formats/otlpJsonWriter';
import { SpanStore } from '../../src/core/receiver/spanStore';
import { OTHER_SERVICES, TraceReceiver } from '../../src/core/receiver/traceReceiver';
import { send } from '../support/httpClient';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** OTLP/JSON with `count` spans of one trace; `sameId` gives them all one span id (different starts). */
export function manySpans(count: number, sameId: boolean): Uint8Array {
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: TRACE,
    spanId: (sameId ? 1 : i + 1).toString(16).padStart(16, '0'),
    name: 'op',
    kind: 2,
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n),
    endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n + 500n),
  }));
  return Buffer.from(JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }] }));
}

function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

describe('many spans sharing one span id cost about what as many distinct spans cost', () => {
  const N = 16_000;

  it('decoding (the file reader, the receiver, show)', () => {
    const distinct = manySpans(N, false);
    const same = manySpans(N, true);
    decodeTraces(distinct); // warm up
    const distinctMs = timed(() => decodeTraces(distinct));
    let traces: ReturnType<typeof decodeTraces> | undefined;
    const sameMs = timed(() => (traces = decodeTraces(same)));
    expect(traces?.ok && traces.traces[0].spans.length).toBe(N);
    expect(traces?.ok && new Set(traces.traces[0].spans.map((s) => s.spanId)).size).toBe(N);
    expect(sameMs / distinctMs).toBeLessThan(8);
  });

  it('storing them over many batches, and reading the trace back', () => {
    const batches = (sameId: boolean) => Array.from({ length: 16 }, (_, b) => {
      const decoded = decodeTraces(manySpans(N / 16, sameId));
      if (!decoded.ok) throw new Error(decoded.error);
      // Each batch its own starts: shift them so no two batches repeat a span.
      for (const span of decoded.traces[0].spans) span.startNs += b * 1_000_000_000;
      for (const span of decoded.traces[0].spans) if (!sameId) span.spanId = (b * N + Number.parseInt(span.spanId, 16)).toString(16).padStart(16, '0');
      return decoded.traces;
    });
    const run = (sameId: boolean) => {
      const input = batches(sameId);
      const store = new SpanStore({ maxSpans: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER });
      const ms = timed(() => {
        for (const traces of input) store.add(traces);
        store.getTrace(TRACE);
      });
      store.dispose();
      return { ms, spans: store.size.spans };
    };
    run(false);
    const distinct = run(false);
    const same = run(true);
    expect(same.spans).toBe(N);
    expect(same.ms / distinct.ms).toBeLessThan(8);
  });

  it('a round trip through the OTLP writer keeps them', () => {
    const decoded = decodeTraces(manySpans(100, true));
    expect(decoded.ok && toOtlpJson(decoded.traces[0]).resourceSpans.length).toBe(1);
  });
});

describe('compressed input is bounded by what it expands to relative to its size', () => {
  it('refuses a file that expands a thousandfold before taking the memory (the CLI and Open Trace File read this way)', () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
    const outcome = decodeTraces(bomb);
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/^gzip input expands beyond 67,108,864 bytes \(more than 100 times its [\d,]+ bytes, or over the limit\); refused$/) });
  });

  it('still reads a normally compressed trace', () => {
    const outcome = decodeTraces(gzipSync(manySpans(2000, false)));
    expect(outcome.ok && outcome.traces[0].spans.length).toBe(2000);
  });
});

/** One export: a trace with one span whose resource carries `resourceBytes` of attribute text. */
function exportWithResource(i: number, service: string, resourceBytes: number): string {
  return JSON.stringify({ resourceSpans: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }, { key: 'big', value: { stringValue: 'x'.repeat(resourceBytes) } }] },
    scopeSpans: [{ spans: [{ traceId: (i + 1).toString(16).padStart(32, '0'), spanId: '0000000000000001', name: 'op', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000001000000' }] }],
  }] });
}

describe('memory the store and the receiver hold is what their limits count', () => {
  it('counts resource attributes against the store\'s byte limit, so exports with huge resources are evicted', () => {
    const store = new SpanStore({ maxSpans: 1_000_000, maxBytes: 16 * 1024 * 1024 });
    for (let i = 0; i < 40; i++) {
      const decoded = decodeTraces(Buffer.from(exportWithResource(i, 'svc', 1024 * 1024)));
      if (!decoded.ok) throw new Error(decoded.error);
      store.add(decoded.traces);
    }
    expect(store.size.bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(store.size.evictedTraces).toBeGreaterThan(20);
    store.dispose();
  });

  it('keeps per-service counters bounded however many service names a sender invents', async () => {
    const receiver = new TraceReceiver(new SpanStore(), { protocol: 'otlp', host: '127.0.0.1', port: 0 });
    const port = await receiver.start();
    try {
      for (let i = 0; i < 400; i++) {
        const reply = await send(`http://127.0.0.1:${port}/v1/traces`, { headers: { 'Content-Type': 'application/json' }, body: exportWithResource(i, `svc-${i}-${'n'.repeat(1000)}`, 0) });
        expect(reply.status).toBe(200);
      }
      expect(receiver.counts.services.size).toBe(257);
      expect(receiver.counts.services.get(OTHER_SERVICES)).toBe(400 - 256);
      expect(Math.max(...[...receiver.counts.services.keys()].map((k) => k.length))).toBeLessThanOrEqual(201);
    } finally {
      await receiver.stop();
    }
  });
});
