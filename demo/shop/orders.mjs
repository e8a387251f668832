// Orders: prices the cart, charges the card through the payments service, and queues a receipt for a background
// worker. Three problems a trace shows: one query per item (N+1), retries of a busy payments service with no
// pause between them (a retry storm), and a receipt queue that drops the trace context (broken propagation).
import { ROOT_CONTEXT, context, SpanKind } from '@opentelemetry/api';
import { call, serve, sleep, startTelemetry, traced } from './telemetry.mjs';

const { tracer, log } = startTelemetry('orders');
const PAYMENTS = Number(process.env.PAYMENTS_PORT);

/** A database round trip, as a database client library's instrumentation records it. */
function query(sql, result) {
  return tracer.startActiveSpan(
    'SELECT products',
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.query.text': sql } },
    async (span) => {
      await sleep(12 + Math.random() * 10);
      span.end();
      return result();
    },
  );
}

/** One query per item: the slow path (an N+1 query pattern). */
async function priceItems(count) {
  return traced(tracer, 'priceItems', async () => {
    let total = 0;
    for (let i = 0; i < count; i++) {
      total += await query('SELECT price FROM products WHERE id = $1', () => 9.99);
    }
    return Math.round(total * 100) / 100;
  });
}

/** A busy payments service is asked again at once, up to five times: no backoff, so retries pile on. */
async function charge(card, amount) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(tracer, PAYMENTS, 'POST', `/charge?card=${card}&amount=${amount}`);
    } catch (error) {
      if (error.status !== 503 || attempt === 5) throw error;
    }
  }
}

/** Receipts are sent by a background worker from an in-process queue; the job carries no trace context. */
const receipts = [];
function queueReceipt(order) {
  receipts.push(order);
}
setInterval(() => {
  const order = receipts.shift();
  if (!order) return;
  // The worker starts from an empty context: its span begins a trace of its own, unlinked to the order's.
  context.with(ROOT_CONTEXT, () =>
    traced(
      tracer,
      'receipts process',
      async () => {
        await sleep(3);
        log('INFO', `receipt sent for ${order.id}`);
      },
      { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'in-process', 'messaging.destination.name': 'receipts' } },
    ),
  );
}, 200).unref();

async function placeOrder({ user, items, card }) {
  return traced(tracer, 'placeOrder', async () => {
    const amount = await priceItems(Number(items));
    await charge(card, amount);
    const id = `ord-${Math.floor(Math.random() * 1e6)}`;
    log('INFO', `order ${id} placed for ${user}: ${amount}`);
    queueReceipt({ id, user, amount });
    return { id, amount };
  });
}

serve(tracer, Number(process.env.ORDERS_PORT), { 'POST /orders': placeOrder });
