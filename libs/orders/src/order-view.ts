import type { Sql } from '@stockbridge/persistence';
import type { OrderState } from './lifecycle';

/** An order as the process API shows it: lines, fulfilment orders, every transition, postings. */
export interface OrderView {
  id: string;
  channel: string;
  reference: string | null;
  state: OrderState;
  createdAt: string;
  updatedAt: string;
  lines: { sku: string; quantity: number; unitPriceCents: number; shipped: number; cancelled: number }[];
  fulfilmentOrders: {
    id: string;
    location: string;
    status: string;
    attempt: number;
    lines: { sku: string; quantity: number; shipped: number; shortPicked: number; cancelled: number }[];
  }[];
  transitions: {
    from: OrderState | null;
    to: OrderState;
    cause: string;
    source: string;
    nativeStatus: string | null;
    at: string;
  }[];
  postings: {
    postingKey: string;
    kind: string;
    amountCents: number;
    status: string;
    reasonCode: string | null;
    erpReference: string | null;
  }[];
}

/** Reads one order with everything about it in one statement; null when it does not exist (for the channel). */
export async function readOrder(db: Sql, id: string, channel?: string): Promise<OrderView | null> {
  const res = await db.query<{ view: OrderView }>(
    `SELECT json_build_object(
       'id', o.id, 'channel', o.channel, 'reference', o.reference, 'state', o.state,
       'createdAt', o.created_at, 'updatedAt', o.updated_at,
       'lines', (SELECT coalesce(json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity,
            'unitPriceCents', l.unit_price_cents, 'cancelled', l.cancelled,
            'shipped', (SELECT coalesce(sum(fl.shipped), 0) FROM fulfilment_lines fl
                          JOIN fulfilment_orders f ON f.id = fl.fulfilment_order_id
                          WHERE f.order_id = o.id AND fl.sku = l.sku)) ORDER BY l.sku), '[]'::json)
          FROM order_lines l WHERE l.order_id = o.id),
       'fulfilmentOrders', (SELECT coalesce(json_agg(json_build_object('id', f.id, 'location', f.location,
            'status', f.status, 'attempt', f.attempt,
            'lines', (SELECT json_agg(json_build_object('sku', fl.sku, 'quantity', fl.quantity, 'shipped', fl.shipped,
                        'shortPicked', fl.short_picked, 'cancelled', fl.cancelled) ORDER BY fl.sku)
                      FROM fulfilment_lines fl WHERE fl.fulfilment_order_id = f.id))
            ORDER BY f.created_at, f.location), '[]'::json)
          FROM fulfilment_orders f WHERE f.order_id = o.id),
       'transitions', (SELECT coalesce(json_agg(json_build_object('from', t.from_state, 'to', t.to_state,
            'cause', t.cause, 'source', t.source, 'nativeStatus', t.native_status, 'at', t.at) ORDER BY t.id), '[]'::json)
          FROM order_transitions t WHERE t.order_id = o.id),
       'postings', (SELECT coalesce(json_agg(json_build_object('postingKey', p.posting_key, 'kind', p.kind,
            'amountCents', p.amount_cents, 'status', p.status, 'reasonCode', p.reason_code,
            'erpReference', p.erp_reference) ORDER BY p.created_at, p.posting_key), '[]'::json)
          FROM financial_postings p WHERE p.order_id = o.id)
     ) AS view
     FROM orders o WHERE o.id = $1 AND ($2::text IS NULL OR o.channel = $2)`,
    [id, channel ?? null],
  );
  const view = res.rows[0]?.view;
  if (!view) return null;
  // json_build_object renders timestamps without a zone designator normalisation; make them ISO 8601.
  view.createdAt = new Date(view.createdAt).toISOString();
  view.updatedAt = new Date(view.updatedAt).toISOString();
  for (const t of view.transitions) t.at = new Date(t.at).toISOString();
  for (const p of view.postings) p.amountCents = Number(p.amountCents);
  for (const l of view.lines) {
    l.unitPriceCents = Number(l.unitPriceCents);
    l.shipped = Number(l.shipped);
  }
  return view;
}
