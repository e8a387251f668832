// Sample service code for Trace Lens tests: spans point at these functions and routes.
import { Router } from './router';

export const router = new Router();

export async function loadCart(cartId: string): Promise<string[]> {
  const rows = await db.query('SELECT sku FROM cart_items WHERE cart_id = $1', [cartId]);
  return rows.map((r) => r.sku);
}

export async function placeOrder(cartId: string): Promise<string> {
  const items = await loadCart(cartId);
  if (items.length === 0) throw new Error('empty cart');
  return submit(items);
}

router.get('/orders/:id', async (req) => {
  return placeOrder(req.params.id);
});

declare const db: { query(sql: string, args: unknown[]): Promise<{ sku: string }[]> };
declare function submit(items: string[]): Promise<string>;
