import { Injectable } from '@nestjs/common';
import { type Page, pageOf } from '@stockbridge/app-platform';
import type { FulfilmentLine } from '@stockbridge/canonical';
import { type OrderState, type OrderView, readOrder } from '@stockbridge/orders';
import { Db, type Sql } from '@stockbridge/persistence';
import type { FulfilmentLineState, FulfilmentOrder, FulfilmentStatus, NewOrder, PoolLocation } from './order';
import {
  type FulfilmentLineRow,
  type FulfilmentOrderRow,
  type PoolLocationRow,
  toDomain,
  toLine,
  toPoolLocation,
  toRow,
} from './order.mapper';

/** The name of the orders' list in its cursors (a cursor of another list is refused). */
export const ORDER_LIST = 'orders';

const SELECT_FULFILMENT_ORDER = `
  SELECT f.id, f.order_id, f.location, f.status, f.attempt, o.channel, o.ship_to_latitude, o.ship_to_longitude,
    o.correlation_id
  FROM fulfilment_orders f JOIN orders o ON o.id = f.order_id`;

/**
 * The orders' tables (orders, order_lines, fulfilment_orders, fulfilment_lines, fulfilment_reports) and what
 * sourcing and status reports read beside them; every write runs on the caller's connection (its transaction).
 * Locks are always taken order first, then its fulfilment orders.
 */
@Injectable()
export class OrderRepository {
  constructor(private readonly db: Db) {}

  /** The order with everything about it; null when it does not exist (for that channel). */
  find(id: string, channel?: string, sql: Sql = this.db): Promise<OrderView | null> {
    return readOrder(sql, id, channel);
  }

  /**
   * A page of orders (of that state and channel), newest first by `(created_at, id)`, starting after the key
   * `after` (the first page without it). Each order of the page is read whole (one read per order, as `find`).
   */
  async list(filter: {
    state?: string;
    channel?: string;
    limit: number;
    /** The sort key of the previous page's last item: created_at as PostgreSQL's text, and the id. */
    after: readonly string[] | null;
  }): Promise<Page<OrderView>> {
    const res = await this.db.query<{ id: string; sort_at: string }>(
      `SELECT id, created_at::text AS sort_at FROM orders
       WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR channel = $2)
         AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [
        filter.state ?? null,
        filter.channel ?? null,
        filter.limit + 1,
        filter.after?.[0] ?? null,
        filter.after?.[1] ?? null,
      ],
    );
    const page = pageOf(
      ORDER_LIST,
      res.rows,
      filter.limit,
      (r) => [r.sort_at, r.id],
      (r) => r.id,
    );
    const views = await Promise.all(page.items.map((id) => readOrder(this.db, id)));
    // An order deleted between the two reads is left out; the cursor still follows the rows read.
    return { items: views.filter((v): v is OrderView => v !== null), nextCursor: page.nextCursor };
  }

  async exists(sql: Sql, id: string): Promise<boolean> {
    return ((await sql.query(`SELECT 1 FROM orders WHERE id = $1`, [id])).rowCount ?? 0) > 0;
  }

  /** Locks the order (for that channel) and reads its state; null when it does not exist. */
  async lock(
    sql: Sql,
    id: string,
    channel?: string,
  ): Promise<{ state: OrderState; correlationId: string | null } | null> {
    const res = await sql.query<{ state: OrderState; correlation_id: string | null }>(
      `SELECT state, correlation_id FROM orders WHERE id = $1 AND ($2::text IS NULL OR channel = $2) FOR UPDATE`,
      [id, channel ?? null],
    );
    const row = res.rows[0];
    return row ? { state: row.state, correlationId: row.correlation_id } : null;
  }

  async state(sql: Sql, id: string): Promise<OrderState | null> {
    const res = await sql.query<{ state: OrderState }>(`SELECT state FROM orders WHERE id = $1`, [id]);
    return res.rows[0]?.state ?? null;
  }

  async insert(sql: Sql, order: NewOrder): Promise<void> {
    const row = toRow(order);
    await sql.query(
      `INSERT INTO orders (id, channel, reference, state, ship_to_latitude, ship_to_longitude, correlation_id)
       VALUES ($1, $2, $3, 'pending_validation', $4, $5, $6)`,
      [row.id, row.channel, row.reference, row.ship_to_latitude, row.ship_to_longitude, row.correlation_id],
    );
  }

  /** The order's lines, at the SKUs' current price and cost. */
  async insertLines(sql: Sql, orderId: string, lines: FulfilmentLine[]): Promise<void> {
    await sql.query(
      `INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents, unit_cost_cents)
       SELECT $1, d.sku, d.quantity, k.price_cents, k.cost_cents
       FROM unnest($2::text[], $3::int[]) AS d(sku, quantity) JOIN skus k ON k.sku = d.sku`,
      [orderId, lines.map((d) => d.sku), lines.map((d) => d.quantity)],
    );
  }

  /** Per SKU of the order: the unit price and cost it was sold at. */
  async unitValues(
    sql: Sql,
    orderId: string,
  ): Promise<Map<string, { priceCents: number; costCents: number }>> {
    const res = await sql.query<{ sku: string; unit_price_cents: string; unit_cost_cents: string }>(
      `SELECT sku, unit_price_cents, unit_cost_cents FROM order_lines WHERE order_id = $1`,
      [orderId],
    );
    return new Map(
      res.rows.map((r) => [
        r.sku,
        { priceCents: Number(r.unit_price_cents), costCents: Number(r.unit_cost_cents) },
      ]),
    );
  }

  /** Marks units of the order as never to ship. */
  async cancelUnits(sql: Sql, orderId: string, sku: string, quantity: number): Promise<void> {
    await sql.query(`UPDATE order_lines SET cancelled = cancelled + $3 WHERE order_id = $1 AND sku = $2`, [
      orderId,
      sku,
      quantity,
    ]);
  }

  /** The channel's pool with today's remaining ship capacity per location. */
  async pool(sql: Sql, channel: string): Promise<PoolLocation[]> {
    const res = await sql.query<PoolLocationRow>(
      `SELECT cl.location, l.type, cl.priority, l.latitude, l.longitude,
         CASE WHEN l.daily_ship_capacity IS NULL THEN NULL
              ELSE greatest(0, l.daily_ship_capacity - (SELECT count(*) FROM fulfilment_orders f
                     WHERE f.location = l.code AND f.created_at >= date_trunc('day', now())))::int END AS capacity_left
       FROM channel_locations cl JOIN locations l ON l.code = cl.location WHERE cl.channel = $1`,
      [channel],
    );
    return res.rows.map(toPoolLocation);
  }

  /** Locations where a fulfilment order of the order came up short. */
  async shortLocations(sql: Sql, orderId: string): Promise<string[]> {
    const res = await sql.query<{ location: string }>(
      `SELECT DISTINCT f.location FROM fulfilment_orders f JOIN fulfilment_lines l ON l.fulfilment_order_id = f.id
       WHERE f.order_id = $1 AND l.short_picked > 0`,
      [orderId],
    );
    return res.rows.map((r) => r.location);
  }

  async createFulfilmentOrder(
    sql: Sql,
    fo: { id: string; orderId: string; location: string; attempt: number; lines: FulfilmentLine[] },
  ): Promise<void> {
    await sql.query(
      `INSERT INTO fulfilment_orders (id, order_id, location, status, attempt) VALUES ($1, $2, $3, 'allocated', $4)`,
      [fo.id, fo.orderId, fo.location, fo.attempt],
    );
    await sql.query(
      `INSERT INTO fulfilment_lines (fulfilment_order_id, sku, quantity)
       SELECT $1, * FROM unnest($2::text[], $3::int[])`,
      [fo.id, fo.lines.map((l) => l.sku), fo.lines.map((l) => l.quantity)],
    );
  }

  /** The order a fulfilment order belongs to; null when there is no such fulfilment order. */
  async orderOf(sql: Sql, fulfilmentOrderId: string): Promise<string | null> {
    const res = await sql.query<{ order_id: string }>(
      `SELECT order_id FROM fulfilment_orders WHERE id = $1`,
      [fulfilmentOrderId],
    );
    return res.rows[0]?.order_id ?? null;
  }

  /** Locks a fulfilment order (its order must be locked first) and reads it. */
  async lockFulfilmentOrder(sql: Sql, id: string): Promise<FulfilmentOrder | null> {
    const res = await sql.query<FulfilmentOrderRow>(
      `${SELECT_FULFILMENT_ORDER} WHERE f.id = $1 FOR UPDATE OF f`,
      [id],
    );
    return res.rows[0] ? toDomain(res.rows[0]) : null;
  }

  /** Locks every fulfilment order of the order (the order must be locked first) and reads them. */
  async lockFulfilmentOrders(sql: Sql, orderId: string): Promise<FulfilmentOrder[]> {
    const res = await sql.query<FulfilmentOrderRow>(
      `${SELECT_FULFILMENT_ORDER} WHERE f.order_id = $1 FOR UPDATE OF f`,
      [orderId],
    );
    return res.rows.map(toDomain);
  }

  /** The order's fulfilment orders still only allocated here (not yet asked of the WMS). */
  async unreleased(sql: Sql, orderId: string): Promise<FulfilmentOrder[]> {
    const res = await sql.query<FulfilmentOrderRow>(
      `${SELECT_FULFILMENT_ORDER} WHERE f.order_id = $1 AND f.status = 'allocated'`,
      [orderId],
    );
    return res.rows.map(toDomain);
  }

  async lines(sql: Sql, fulfilmentOrderId: string): Promise<FulfilmentLineState[]> {
    const res = await sql.query<FulfilmentLineRow>(
      `SELECT sku, quantity, shipped, short_picked, cancelled, quantity - shipped - short_picked - cancelled AS open
       FROM fulfilment_lines WHERE fulfilment_order_id = $1 ORDER BY sku`,
      [fulfilmentOrderId],
    );
    return res.rows.map(toLine);
  }

  async setStatus(sql: Sql, fulfilmentOrderId: string, status: FulfilmentStatus): Promise<void> {
    await sql.query(
      `UPDATE fulfilment_orders SET status = $2, updated_at = clock_timestamp() WHERE id = $1`,
      [fulfilmentOrderId, status],
    );
  }

  /** Adds units to what became of a fulfilment order's line: shipped, short-picked or cancelled. */
  async addToLine(
    sql: Sql,
    fulfilmentOrderId: string,
    sku: string,
    outcome: 'shipped' | 'short_picked' | 'cancelled',
    quantity: number,
  ): Promise<void> {
    // The column comes from the union above, never from input.
    await sql.query(
      `UPDATE fulfilment_lines SET ${outcome} = ${outcome} + $3 WHERE fulfilment_order_id = $1 AND sku = $2`,
      [fulfilmentOrderId, sku, quantity],
    );
  }

  /** Claims a WMS report for a fulfilment order; false when it was applied before. */
  async claimReport(sql: Sql, key: string, fulfilmentOrderId: string, kind: string): Promise<boolean> {
    const res = await sql.query(
      `INSERT INTO fulfilment_reports (source_event_id, fulfilment_order_id, kind) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [key, fulfilmentOrderId, kind],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /** The order state a source's own status means (order_status_mappings); undefined when it has no mapping. */
  async mappedState(source: string, nativeStatus: string): Promise<string | undefined> {
    const res = await this.db.query<{ state: string }>(
      `SELECT state FROM order_status_mappings WHERE source = $1 AND native_status = $2`,
      [source, nativeStatus],
    );
    return res.rows[0]?.state;
  }
}
