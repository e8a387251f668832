// Hostile inputs shared by the adversarial tests and the full-size bench.
import { idPlace } from '../../src/core/model/ids';

export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

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
  return Buffer.from(
    JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }] }),
  );
}

/** One export: a trace with one span whose resource carries `resourceText` as an attribute (OTLP/JSON). */
export function exportWithResource(i: number, service: string, resourceText: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
            { key: 'big', value: { stringValue: resourceText } },
          ],
        },
        scopeSpans: [
          {
            spans: [
              {
                traceId: (i + 1).toString(16).padStart(32, '0'),
                spanId: '0000000000000001',
                name: 'op',
                kind: 2,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000001000000',
              },
            ],
          },
        ],
      },
    ],
  });
}

/**
 * `count` span ids made to share one place of the span-id table: its hash is public, and ids whose low half is a
 * constant xor the mix of their high half (idPlace(0, h, 32) is mix(h)) all land where that constant does.
 */
export function crowdedIds(count: number): string[] {
  const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return Array.from({ length: count }, (_, k) => hex8(k + 1) + hex8(0x5eed ^ idPlace(0, k + 1, 32)));
}

/** OTLP/JSON of one trace: a chain of `count` spans, each the parent of the next, with crowded ids. */
export function crowdedChain(count: number): Uint8Array {
  const ids = crowdedIds(count);
  const spans = ids.map((spanId, i) => ({
    traceId: TRACE,
    spanId,
    parentSpanId: i > 0 ? ids[i - 1] : undefined,
    name: 'op',
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n),
    endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(count) * 1000n),
  }));
  return Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }));
}
