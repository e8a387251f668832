// Sample service code for Trace Lens tests: spans point at these functions and routes.
type Handler = (req: { params: Record<string, string> }) => Promise<unknown>;
const routes = new Map<string, Handler>();
export const router = { get: (path: string, handler: Handler) => routes.set(`GET ${path}`, handler) };

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
