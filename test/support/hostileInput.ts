// Hostile inputs shared by the adversarial tests and the full-size bench.

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
