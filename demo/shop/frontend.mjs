// The storefront: GET /checkout asks the orders service to place the order.
import { call, serve, startTelemetry, traced } from './telemetry.mjs';

const { tracer, log } = startTelemetry('frontend');
const ORDERS = Number(process.env.ORDERS_PORT);

async function checkout({ user = 'guest', items = '3', card = 'visa' }) {
  return traced(tracer, 'checkout', async (span) => {
    span.setAttribute('app.user.id', user);
    log('INFO', `checkout started for ${user} with ${items} items`);
    try {
      const order = await call(tracer, ORDERS, 'POST', `/orders?user=${user}&items=${items}&card=${card}`);
      log('INFO', `checkout done: order ${order.id}`);
      return order;
    } catch (error) {
      log('ERROR', `checkout failed for ${user}: ${error.message}`);
      throw error;
    }
  });
}

serve(tracer, Number(process.env.FRONTEND_PORT), { 'GET /checkout': checkout });
