// A generated trace shaped like production ones: a few services calling each other, HTTP and DB spans with
// typical attribute sets, some events and errors. Deterministic for a given size.
import type { Attributes, Resource, Span, Trace } from '../../src/core/model/trace';

const SERVICES = ['frontend', 'checkout', 'cart', 'payments', 'inventory', 'shipping', 'email', 'recommendation'];

/**
 * Strings as a receiver's spans hold them: its protobuf decoder keeps one copy of each string up to 48 bytes
 * (protobufReader's table), so spans share their names and short values. Benchmarks on a fresh string per
 * span would measure hashing each one the first time it is looked up, which decoded spans do not cost.
 */
const shared = new Map<string, string>();
function decoded(text: string): string {
  if (text.length > 48) return text;
  let one = shared.get(text);
  if (one === undefined) shared.set(text, (one = text));
  return one;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export function syntheticTrace(spanCount: number, traceId = '4bf92f3577b34da6a3ce929d0e0e4736'): Trace {
  const resources: Resource[] = SERVICES.map((name, i) => ({
    serviceName: name,
    serviceVersion: `1.${i}.0`,
    attributes: {
      'service.name': name,
      'service.version': `1.${i}.0`,
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.name': 'opentelemetry',
      'host.name': `${name}-7f9c-${i}`,
    },
  }));
  const spans: Span[] = [];
  // A wide, moderately deep tree: each span has up to 6 children, laid out inside its parent.
  const queue: { index: number; start: number; duration: number; depth: number }[] = [];
  const add = (parent: number, start: number, duration: number, depth: number) => {
    const i = spans.length;
    const service = resources[(i * 7 + depth) % resources.length];
    const isDb = depth > 2 && i % 3 === 0;
    const attributes: Attributes = isDb
      ? {
          'db.system': 'postgresql',
          'db.name': 'orders',
          'db.statement': `SELECT id, status, total FROM orders WHERE customer_id = $1 AND id = ${i}`,
          'server.address': 'db.internal',
          'server.port': 5432,
        }
      : {
          'http.request.method': i % 5 ? 'GET' : 'POST',
          'http.route': decoded(`/api/v1/${service.serviceName}/{id}`),
          'http.response.status_code': i % 97 === 0 ? 500 : 200,
          'server.address': decoded(`${service.serviceName}.internal`),
          'code.function.name': decoded(`handle${depth}_${i % 50}`),
          'code.file.path': decoded(`/app/src/${service.serviceName}/handler${i % 50}.ts`),
        };
    const failed = i % 97 === 0;
    spans.push({
      traceId,
      spanId: hex(i + 1, 16),
      parentSpanId: parent >= 0 ? hex(parent + 1, 16) : undefined,
      name: isDb ? 'SELECT orders' : decoded(`${attributes['http.request.method']} /api/v1/${service.serviceName}/{id}`),
      kind: isDb ? 'client' : depth % 2 ? 'server' : 'client',
      startNs: start,
      durationNs: duration,
      status: failed ? { code: 'error', message: 'upstream returned 500' } : { code: 'unset' },
      attributes,
      events: failed
        ? [
            {
              name: 'exception',
              offsetNs: Math.floor(duration / 2),
              attributes: {
                'exception.type': 'Error',
                'exception.message': 'upstream returned 500',
                'exception.stacktrace': `Error: upstream returned 500\n    at handle (/app/src/${service.serviceName}/handler.ts:42:11)`,
              },
            },
          ]
        : [],
      links: [],
      resource: service,
    });
    queue.push({ index: i, start, duration, depth });
  };
  add(-1, 0, 5_000_000_000, 0);
  for (let q = 0; q < queue.length && spans.length < spanCount; q++) {
    const { index, start, duration, depth } = queue[q];
    const children = Math.min(6, spanCount - spans.length);
    const slot = Math.floor(duration / (children + 1));
    for (let c = 0; c < children; c++) add(index, start + 1000 + c * slot, Math.max(1000, Math.floor(slot * 0.9)), depth + 1);
  }
  return { traceId, startUnixNano: 1_763_900_000_123_456_789n, spans, warnings: [] };
}

/** `traceCount` traces of `spansPerTrace` spans each, with distinct ids derived from `seed`: one export batch. */
export function syntheticBatch(seed: number, traceCount: number, spansPerTrace: number): Trace[] {
  return Array.from({ length: traceCount }, (_, i) => syntheticTrace(spansPerTrace, hex(seed * 4096 + i + 1, 32)));
}
