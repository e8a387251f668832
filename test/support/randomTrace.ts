// Traces of random shape for tests that compare two ways of reading the same trace.
import type { Resource, Span, SpanKind, Trace } from '../../src/core/model/trace';

/** A small deterministic generator (mulberry32), so a failing round can be run again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESOURCES: Resource[] = [
  { serviceName: 'orders', attributes: { 'service.name': 'orders' } },
  { serviceName: 'payments', serviceVersion: '2.1.0', attributes: { 'service.name': 'payments', 'service.version': '2.1.0' } },
  { serviceName: 'unknown_service', attributes: { 'host.name': 'box' } },
  { serviceName: 'cart', attributes: { 'service.name': 'cart' } },
];
const KINDS: SpanKind[] = ['internal', 'server', 'client', 'producer', 'consumer'];
const NAMES = ['GET /orders/{id}', 'SELECT orders', 'charge', 'publish order.created', 'render', 'retry'];

/**
 * A trace of random shape: several roots, fan-outs and chains, children that outrun their parents, starts that tie
 * (coarse times), failures, events, services in no order, and (every fifth) a resource message per span. Client→server
 * pairs fit their client, except in every third trace: there some servers lie outside their client (clock skew),
 * before it, after it, or longer than it, and skewed servers nest; and in every fourth, some spans' parents are
 * not in the file (a partial trace).
 */
export function randomTrace(seed: number, count: number): Trace {
  const skewed = seed % 3 === 1;
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const traceId = (seed + 1).toString(16).padStart(32, 'a');
  const spans: Span[] = [];
  for (let i = 0; i < count; i++) {
    const parent = i === 0 || next() < 0.04 ? undefined : spans[Math.floor(next() * i)];
    let kind = pick(KINDS);
    const startNs = parent ? parent.startNs + Math.floor((next() * parent.durationNs) / 1000) * 1000 : Math.floor(next() * 50) * 1000;
    let durationNs = Math.floor(next() * 4_000_000);
    const served = parent?.kind === 'client' && kind === 'server';
    let start = startNs;
    if (served && skewed && next() < 0.5) start += Math.floor((next() - 0.5) * 8_000) * 1000;
    else if (served) durationNs = Math.floor(next() * (parent.startNs + parent.durationNs - startNs));
    if (served && durationNs < 0) kind = 'internal';
    const status = next() < 0.1 ? { code: 'error' as const, message: 'failed' } : next() < 0.2 ? { code: 'ok' as const } : { code: 'unset' as const };
    const events = Array.from({ length: next() < 0.2 ? 1 + Math.floor(next() * 3) : 0 }, (_, k) => ({
      name: `event ${k}`,
      offsetNs: Math.floor(next() * Math.max(1, durationNs)),
      attributes: { k },
    }));
    spans.push({
      traceId,
      spanId:
        (i + 1).toString(16).padStart(4, '0') +
        Math.floor(next() * 2 ** 32)
          .toString(16)
          .padStart(12, '0'),
      parentSpanId: seed % 4 === 2 && parent && next() < 0.05 ? `feed${i.toString(16).padStart(12, '0')}` : parent?.spanId,
      name: pick(NAMES),
      kind,
      startNs: start,
      durationNs: Math.max(0, durationNs),
      status,
      attributes: { 'http.route': '/orders/{id}', 'retry.count': i % 3 },
      events,
      links: [],
      // Every fifth trace gives each span a resource object of its own: one ResourceSpans per span on the wire.
      resource: seed % 5 ? pick(RESOURCES) : { ...pick(RESOURCES) },
    });
  }
  return { traceId, startUnixNano: 1_763_900_000_123_456_789n, spans, warnings: [] };
}
