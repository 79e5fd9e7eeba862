import { Injectable } from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';
import type { PoolClient, QueryResultRow } from 'pg';
import { SandboxDb } from '../infra/sandbox-db';
import type { CancelRequestView, LineItemView, OrderView } from './fulfillment.dto';
import type { MarketplaceOrderInput } from './marketplace-admin.dto';
import { MAX_RANGE_YEARS, type OrderFilter } from './order-filter';

/** The seller the sandbox marketplace sells for: every order's sellerId. */
export const SELLER_ID = 'stockbridge-seller';

const DEFAULT_SHIP_TO = {
  fullName: 'Sandbox Buyer',
  addressLine1: '2025 Hamilton Ave',
  city: 'San Jose',
  stateOrProvince: 'CA',
  postalCode: '95125',
  countryCode: 'US',
};

interface OrderRow {
  order_id: string;
  buyer_username: string;
  ship_to: typeof DEFAULT_SHIP_TO;
  currency: string;
  fulfillment_status: string;
  cancel_state: string;
  cancelled_date: Date | null;
  creation_date: Date;
  last_modified_date: Date;
}

interface LineRow {
  line_item_id: string;
  order_id: string;
  sku: string;
  title: string;
  quantity: number;
  unit_price: string;
}

interface CancelRow {
  cancel_id: string;
  order_id: string;
  initiator: string;
  reason: string;
  state: string;
  requested_date: Date;
  completed_date: Date | null;
}

const ORDER_COLUMNS =
  'order_id, buyer_username, ship_to, currency, fulfillment_status, cancel_state, cancelled_date, creation_date, last_modified_date';
const ORDERED = 'ORDER BY last_modified_date, order_id';

const money = (cents: number, currency: string) => ({ currency, value: (cents / 100).toFixed(2) });
const cents = (decimal: string) => Math.round(Number(decimal) * 100);

function toCancelRequest(c: CancelRow): CancelRequestView {
  return {
    cancelRequestId: c.cancel_id,
    cancelInitiator: c.initiator,
    cancelReason: c.reason,
    cancelRequestState: c.state,
    cancelRequestedDate: c.requested_date.toISOString(),
    ...(c.completed_date ? { cancelCompletedDate: c.completed_date.toISOString() } : {}),
  };
}

function toOrder(o: OrderRow, lines: LineRow[], cancels: CancelRow[]): OrderView {
  const lineItems: LineItemView[] = lines.map((l) => {
    const cost = money(cents(l.unit_price) * l.quantity, o.currency);
    return {
      lineItemId: l.line_item_id,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      lineItemCost: cost,
      total: cost,
      lineItemFulfillmentStatus: o.fulfillment_status,
      soldFormat: 'FIXED_PRICE',
      listingMarketplaceId: 'EBAY_US',
      purchaseMarketplaceId: 'EBAY_US',
    };
  });
  const subtotal = money(
    lines.reduce((sum, l) => sum + cents(l.unit_price) * l.quantity, 0),
    o.currency,
  );
  const { fullName, ...address } = o.ship_to;
  return {
    orderId: o.order_id,
    creationDate: o.creation_date.toISOString(),
    lastModifiedDate: o.last_modified_date.toISOString(),
    orderFulfillmentStatus: o.fulfillment_status,
    orderPaymentStatus: 'PAID',
    sellerId: SELLER_ID,
    buyer: { username: o.buyer_username },
    pricingSummary: { priceSubtotal: subtotal, total: subtotal },
    cancelStatus: {
      cancelState: o.cancel_state,
      ...(o.cancelled_date ? { cancelledDate: o.cancelled_date.toISOString() } : {}),
      cancelRequests: cancels.map(toCancelRequest),
    },
    fulfillmentStartInstructions: [
      {
        fulfillmentInstructionsType: 'SHIP_TO',
        shippingStep: {
          shipTo: { fullName, contactAddress: address },
          shippingCarrierCode: 'USPS',
          shippingServiceCode: 'USPSPriority',
        },
      },
    ],
    lineItems,
  };
}

/** The outcome of a seller's cancellation (eBay's CreateCancelResponse). */
export type SellerCancelOutcome =
  | { kind: 'cancelled'; cancelId: string }
  | { kind: 'not-eligible'; failureReason: string[] }
  | { kind: 'unknown-order' };

export interface OrderStats {
  orders: number;
  ordersCancelled: number;
}

/**
 * The marketplace's orders: bought by the test stand-in for buyers (POST /admin/marketplace/orders), read
 * through eBay's Fulfillment API, cancelled through its Post-Order API.
 */
@Injectable()
export class MarketplaceOrdersService {
  constructor(private readonly db: SandboxDb) {}

  /**
   * Creates each order, as buyers buying listed SKUs: never refused for want of quantity (the sale happens
   * whatever the seller last sent), but each sale lowers the item's quantity, not below 0, as eBay lowers
   * a listing's. A SKU that is not listed is 422 `unknown-sku` and nothing is created.
   */
  async create(orders: MarketplaceOrderInput[], now = new Date()): Promise<OrderView[]> {
    const oldest = new Date(now);
    oldest.setUTCFullYear(oldest.getUTCFullYear() - MAX_RANGE_YEARS);
    for (const o of orders) {
      const at = o.creationDate === undefined ? undefined : new Date(o.creationDate);
      if (at && (at > now || at < oldest))
        throw ProblemError.of(
          400,
          'validation-failed',
          `creationDate must be within the last ${MAX_RANGE_YEARS} years and not in the future.`,
        );
    }
    const skus = [...new Set(orders.flatMap((o) => o.lineItems.map((l) => l.sku)))].sort();
    return this.db.tx(async (sql) => {
      const items = new Map(
        (
          await sql.query<{ sku: string; title: string | null; price: string; currency: string }>(
            `SELECT sku, title, price, currency FROM sandbox_marketplace.inventory_items
              WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`,
            [skus],
          )
        ).rows.map((r) => [r.sku, r]),
      );
      const unknown = skus.filter((s) => !items.has(s));
      if (unknown.length > 0)
        throw ProblemError.of(
          422,
          'unknown-sku',
          `Not listed on the marketplace: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''}. Create the inventory items first (POST /admin/marketplace/inventory-items).`,
          { skus: unknown },
        );
      const ids: string[] = [];
      for (const o of orders) {
        const first = items.get(o.lineItems[0].sku)!;
        const inserted = await sql.query<{ order_id: string }>(
          `INSERT INTO sandbox_marketplace.orders
             (order_id, buyer_username, ship_to, currency, creation_date, last_modified_date)
           SELECT id, coalesce($1, 'buyer_' || n), $2::jsonb, $3, at, at
             FROM (SELECT nextval('sandbox_marketplace.order_number') AS n,
                          date_trunc('milliseconds', coalesce($4::timestamptz, now())) AS at) s,
                  LATERAL (SELECT '11-' || lpad(((n / 100000) % 100000)::text, 5, '0') || '-' ||
                                  lpad((n % 100000)::text, 5, '0') AS id) i
           RETURNING order_id`,
          [
            o.buyerUsername ?? null,
            JSON.stringify(o.shipTo ?? DEFAULT_SHIP_TO),
            first.currency,
            o.creationDate ?? null,
          ],
        );
        const orderId = inserted.rows[0].order_id;
        ids.push(orderId);
        await sql.query(
          `INSERT INTO sandbox_marketplace.line_items (line_item_id, order_id, line_no, sku, title, quantity, unit_price)
           SELECT (10000000000000 + nextval('sandbox_marketplace.line_item_number'))::text, $1, n, sku, title, quantity, price
             FROM unnest($2::text[], $3::text[], $4::int[], $5::numeric[]) WITH ORDINALITY AS v(sku, title, quantity, price, n)`,
          [
            orderId,
            o.lineItems.map((l) => l.sku),
            o.lineItems.map((l) => items.get(l.sku)!.title ?? l.sku),
            o.lineItems.map((l) => l.quantity),
            o.lineItems.map((l) => items.get(l.sku)!.price),
          ],
        );
      }
      await sql.query(
        `UPDATE sandbox_marketplace.inventory_items i SET quantity = greatest(i.quantity - v.sold, 0), updated_at = now()
           FROM (SELECT sku, sum(quantity)::int AS sold FROM unnest($1::text[], $2::int[]) AS l(sku, quantity) GROUP BY sku) v
          WHERE i.sku = v.sku`,
        [
          orders.flatMap((o) => o.lineItems.map((l) => l.sku)),
          orders.flatMap((o) => o.lineItems.map((l) => l.quantity)),
        ],
      );
      return this.load(sql, ids, true);
    });
  }

  /** A page of the orders the filter selects, by lastModifiedDate then orderId (getOrders). */
  async search(
    filter: OrderFilter,
    limit: number,
    offset: number,
  ): Promise<{ total: number; orders: OrderView[] }> {
    const column = filter.date === 'creation' ? 'creation_date' : 'last_modified_date';
    const where = `${column} >= $1 AND ($2::timestamptz IS NULL OR ${column} <= $2)
      AND ($3::text[] IS NULL OR fulfillment_status = ANY($3::text[]))`;
    const params = [filter.from, filter.to ?? null, filter.statuses ?? null];
    const [count, page] = await Promise.all([
      this.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM sandbox_marketplace.orders WHERE ${where}`,
        params,
      ),
      this.db.query<{ order_id: string }>(
        `SELECT order_id FROM sandbox_marketplace.orders WHERE ${where} ${ORDERED} LIMIT $4 OFFSET $5`,
        [...params, limit, offset],
      ),
    ]);
    const orders = await this.load(
      undefined,
      page.rows.map((r) => r.order_id),
      false,
    );
    return { total: Number(count.rows[0].n), orders };
  }

  /** The orders of these ids that exist, by lastModifiedDate then orderId; with their cancel requests or not. */
  byIds(ids: string[], withCancelRequests: boolean): Promise<OrderView[]> {
    return this.load(undefined, ids, withCancelRequests);
  }

  /**
   * A buyer asks to cancel (the test stand-in for buyers): the order's cancelState becomes IN_PROGRESS and
   * its lastModifiedDate now. 404 `order-not-found`; 409 `cancellation-exists` when a request exists.
   */
  async buyerCancelRequest(orderId: string, reason: string): Promise<OrderView> {
    return this.db.tx(async (sql) => {
      const order = await this.lockOrder(sql, orderId);
      if (!order)
        throw ProblemError.of(404, 'order-not-found', `Marketplace order ${orderId} does not exist.`);
      if (order.cancel_state !== 'NONE_REQUESTED')
        throw ProblemError.of(
          409,
          'cancellation-exists',
          `Order ${orderId} already has a cancellation (${order.cancel_state}).`,
        );
      await this.insertCancellation(sql, orderId, 'BUYER', reason, 'REQUESTED');
      await sql.query(
        `UPDATE sandbox_marketplace.orders SET cancel_state = 'IN_PROGRESS',
           last_modified_date = date_trunc('milliseconds', now()) WHERE order_id = $1`,
        [orderId],
      );
      return (await this.load(sql, [orderId], true))[0];
    });
  }

  /**
   * The seller cancels (Post-Order createCancellation): completed at once, the order CANCELED and its
   * lastModifiedDate now. An order with a cancellation already (the seller's, or a buyer's request) is not
   * eligible: CANCELLATION_EXIST, so a retry of a cancellation that went through changes nothing.
   */
  async sellerCancel(orderId: string, reason: string): Promise<SellerCancelOutcome> {
    return this.db.tx(async (sql) => {
      const order = await this.lockOrder(sql, orderId);
      if (!order) return { kind: 'unknown-order' };
      if (order.cancel_state !== 'NONE_REQUESTED')
        return { kind: 'not-eligible', failureReason: ['CANCELLATION_EXIST'] };
      const cancelId = await this.insertCancellation(sql, orderId, 'SELLER', reason, 'COMPLETED');
      await sql.query(
        `UPDATE sandbox_marketplace.orders SET cancel_state = 'CANCELED',
           cancelled_date = date_trunc('milliseconds', now()), last_modified_date = date_trunc('milliseconds', now())
         WHERE order_id = $1`,
        [orderId],
      );
      return { kind: 'cancelled', cancelId };
    });
  }

  async stats(): Promise<OrderStats> {
    const res = await this.db.query<{ orders: string; cancelled: string }>(
      `SELECT count(*) AS orders, count(*) FILTER (WHERE cancel_state = 'CANCELED') AS cancelled
         FROM sandbox_marketplace.orders`,
    );
    return { orders: Number(res.rows[0].orders), ordersCancelled: Number(res.rows[0].cancelled) };
  }

  private async lockOrder(sql: PoolClient, orderId: string): Promise<OrderRow | undefined> {
    const res = await sql.query<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM sandbox_marketplace.orders WHERE order_id = $1 FOR UPDATE`,
      [orderId],
    );
    return res.rows[0];
  }

  private async insertCancellation(
    sql: PoolClient,
    orderId: string,
    initiator: 'BUYER' | 'SELLER',
    reason: string,
    state: 'REQUESTED' | 'COMPLETED',
  ): Promise<string> {
    const res = await sql.query<{ cancel_id: string }>(
      `INSERT INTO sandbox_marketplace.cancellations
         (cancel_id, order_id, initiator, reason, state, requested_date, completed_date)
       VALUES ((5000000000 + nextval('sandbox_marketplace.cancel_number'))::text, $1, $2, $3, $4,
               date_trunc('milliseconds', now()),
               CASE WHEN $4 = 'COMPLETED' THEN date_trunc('milliseconds', now()) END)
       RETURNING cancel_id`,
      [orderId, initiator, reason, state],
    );
    return res.rows[0].cancel_id;
  }

  /** The orders of `ids` with their lines (and cancel requests), by lastModifiedDate then orderId. */
  private async load(
    sql: PoolClient | undefined,
    ids: string[],
    withCancelRequests: boolean,
  ): Promise<OrderView[]> {
    if (ids.length === 0) return [];
    const run = <R extends QueryResultRow>(text: string, values: unknown[]) =>
      sql ? sql.query<R>(text, values) : this.db.query<R>(text, values);
    // One after the other: a transaction's client runs one query at a time.
    const orders = await run<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM sandbox_marketplace.orders WHERE order_id = ANY($1::text[]) ${ORDERED}`,
      [ids],
    );
    const lines = await run<LineRow>(
      `SELECT line_item_id, order_id, sku, title, quantity, unit_price FROM sandbox_marketplace.line_items
        WHERE order_id = ANY($1::text[]) ORDER BY order_id, line_no`,
      [ids],
    );
    const cancels = withCancelRequests
      ? await run<CancelRow>(
          `SELECT cancel_id, order_id, initiator, reason, state, requested_date, completed_date
             FROM sandbox_marketplace.cancellations WHERE order_id = ANY($1::text[]) ORDER BY cancel_id`,
          [ids],
        )
      : { rows: [] as CancelRow[] };
    const group = <T extends { order_id: string }>(rows: T[]) => {
      const by = new Map<string, T[]>();
      for (const r of rows) by.set(r.order_id, [...(by.get(r.order_id) ?? []), r]);
      return by;
    };
    const linesBy = group(lines.rows);
    const cancelsBy = group(cancels.rows);
    return orders.rows.map((o) => toOrder(o, linesBy.get(o.order_id) ?? [], cancelsBy.get(o.order_id) ?? []));
  }
}
