// Orders: prices the cart, then charges the card through the payments service.
import { SpanKind } from '@opentelemetry/api';
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

async function placeOrder({ user, items, card }) {
  return traced(tracer, 'placeOrder', async () => {
    const amount = await priceItems(Number(items));
    await call(tracer, PAYMENTS, 'POST', `/charge?card=${card}&amount=${amount}`);
    const id = `ord-${Math.floor(Math.random() * 1e6)}`;
    log('INFO', `order ${id} placed for ${user}: ${amount}`);
    return { id, amount };
  });
}

serve(tracer, Number(process.env.ORDERS_PORT), { 'POST /orders': placeOrder });
