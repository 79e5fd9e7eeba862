import { Injectable } from '@nestjs/common';
import { type Page, pageOf } from '@stockbridge/app-platform';
import { Db, type Sql } from '@stockbridge/ledger';
import type { ReturnableSku } from './return-rules';
import type { GradeLine, Rma, SkuQuantity } from './rma';
import type { UnitValue } from './grading';
import { type RmaRow, toDomain } from './rma.mapper';

/** Reads returns as RmaRow, with `extraColumns` (e.g. `, r.created_at::text AS sort_at`) after the columns of the row. */
const selectRma = (extraColumns = '') => `
  SELECT r.id, r.order_id, o.channel, r.source, r.external_ref, r.reason, r.status, r.location, r.created_at,
    r.updated_at${extraColumns},
    (SELECT coalesce(json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'received', l.received,
        'resell', l.resell, 'damaged', l.damaged, 'destroyed', l.destroyed) ORDER BY l.sku), '[]'::json)
      FROM rma_lines l WHERE l.rma_id = r.id) AS lines
  FROM rmas r JOIN orders o ON o.id = r.order_id`;

const SELECT_RMA = selectRma();

/** The name of the returns' list in its cursors (a cursor of another list is refused). */
export const RMA_LIST = 'returns';

/** What the order of a return holds per SKU. */
export interface OrderSku extends ReturnableSku, UnitValue {}

/** The returns' tables (rmas, rma_lines) and what they read of the order; every method runs on the given connection. */
@Injectable()
export class RmaRepository {
  constructor(private readonly db: Db) {}

  async find(id: string, sql: Sql = this.db): Promise<Rma | null> {
    const res = await sql.query<RmaRow>(`${SELECT_RMA} WHERE r.id = $1`, [id]);
    return res.rows[0] ? toDomain(res.rows[0]) : null;
  }

  /** Locks the return's row for the rest of the transaction (one transition at a time), then reads it. */
  async lock(sql: Sql, id: string): Promise<Rma | null> {
    const locked = await sql.query(`SELECT 1 FROM rmas WHERE id = $1 FOR UPDATE`, [id]);
    return locked.rowCount ? this.find(id, sql) : null;
  }

  async findByExternalRef(sql: Sql, source: string, externalRef: string): Promise<Rma | null> {
    const res = await sql.query<RmaRow>(`${SELECT_RMA} WHERE r.source = $1 AND r.external_ref = $2`, [
      source,
      externalRef,
    ]);
    return res.rows[0] ? toDomain(res.rows[0]) : null;
  }

  /**
   * A page of returns (of one order, with `orderId`), newest first by `(created_at, id)`, starting after the
   * key `after` (the first page without it).
   */
  async list(filter: {
    orderId: string | null;
    limit: number;
    /** The sort key of the previous page's last item: created_at as PostgreSQL's text, and the id. */
    after: readonly string[] | null;
  }): Promise<Page<Rma>> {
    const res = await this.db.query<RmaRow & { sort_at: string }>(
      `${selectRma(', r.created_at::text AS sort_at')}
       WHERE ($1::uuid IS NULL OR r.order_id = $1)
         AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3::timestamptz, $4::uuid))
       ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [filter.orderId, filter.limit + 1, filter.after?.[0] ?? null, filter.after?.[1] ?? null],
    );
    return pageOf(RMA_LIST, res.rows, filter.limit, (r) => [r.sort_at, r.id], toDomain);
  }

  /** Locks the order (returns of one order are opened one at a time, so their units are counted right). */
  async lockOrder(sql: Sql, orderId: string): Promise<{ channel: string } | null> {
    const res = await sql.query<{ channel: string }>(`SELECT channel FROM orders WHERE id = $1 FOR UPDATE`, [
      orderId,
    ]);
    return res.rows[0] ?? null;
  }

  /**
   * Per SKU of the order: units shipped (over all its fulfilment orders), units on its returns that are not
   * cancelled (leaving out `exceptRma`), and the unit price and cost it was sold at.
   */
  async orderSkus(
    sql: Sql,
    orderId: string,
    exceptRma: string | null = null,
  ): Promise<Map<string, OrderSku>> {
    const res = await sql.query<{
      sku: string;
      unit_price_cents: string;
      unit_cost_cents: string;
      shipped: string;
      returned: string;
    }>(
      `SELECT l.sku, l.unit_price_cents, l.unit_cost_cents,
         (SELECT coalesce(sum(fl.shipped), 0) FROM fulfilment_lines fl
            JOIN fulfilment_orders f ON f.id = fl.fulfilment_order_id
            WHERE f.order_id = l.order_id AND fl.sku = l.sku) AS shipped,
         (SELECT coalesce(sum(rl.quantity), 0) FROM rma_lines rl JOIN rmas r ON r.id = rl.rma_id
            WHERE r.order_id = l.order_id AND rl.sku = l.sku AND r.status <> 'cancelled'
              AND ($2::uuid IS NULL OR r.id <> $2)) AS returned
       FROM order_lines l WHERE l.order_id = $1`,
      [orderId, exceptRma],
    );
    return new Map(
      res.rows.map((r) => [
        r.sku,
        {
          shipped: Number(r.shipped),
          alreadyReturned: Number(r.returned),
          priceCents: Number(r.unit_price_cents),
          costCents: Number(r.unit_cost_cents),
        },
      ]),
    );
  }

  async channelExists(sql: Sql, code: string): Promise<boolean> {
    return ((await sql.query(`SELECT 1 FROM channels WHERE code = $1`, [code])).rowCount ?? 0) > 0;
  }

  async locationExists(sql: Sql, code: string): Promise<boolean> {
    return ((await sql.query(`SELECT 1 FROM locations WHERE code = $1`, [code])).rowCount ?? 0) > 0;
  }

  /** Inserts a new return; false when its (source, external reference) is taken (a concurrent twin). */
  async insert(
    sql: Sql,
    rma: {
      id: string;
      orderId: string;
      source: string;
      externalRef: string | null;
      reason: string;
      lines: SkuQuantity[];
    },
  ): Promise<boolean> {
    const res = await sql.query(
      `INSERT INTO rmas (id, order_id, source, external_ref, reason, status) VALUES ($1, $2, $3, $4, $5, 'open')
       ON CONFLICT (source, external_ref) DO NOTHING`,
      [rma.id, rma.orderId, rma.source, rma.externalRef, rma.reason],
    );
    if (!res.rowCount) return false;
    await sql.query(
      `INSERT INTO rma_lines (rma_id, sku, quantity) SELECT $1, * FROM unnest($2::text[], $3::int[])`,
      [rma.id, rma.lines.map((l) => l.sku), rma.lines.map((l) => l.quantity)],
    );
    return true;
  }

  async markReceived(sql: Sql, id: string, location: string, received: Map<string, number>): Promise<void> {
    await sql.query(
      `UPDATE rma_lines l SET received = v.received
       FROM unnest($2::text[], $3::int[]) AS v(sku, received) WHERE l.rma_id = $1 AND l.sku = v.sku`,
      [id, [...received.keys()], [...received.values()]],
    );
    await sql.query(
      `UPDATE rmas SET status = 'received', location = $2, updated_at = clock_timestamp() WHERE id = $1`,
      [id, location],
    );
  }

  async markGraded(sql: Sql, id: string, graded: GradeLine[]): Promise<void> {
    await sql.query(
      `UPDATE rma_lines l SET resell = v.resell, damaged = v.damaged, destroyed = v.destroy
       FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS v(sku, resell, damaged, destroy)
       WHERE l.rma_id = $1 AND l.sku = v.sku`,
      [
        id,
        graded.map((g) => g.sku),
        graded.map((g) => g.resell),
        graded.map((g) => g.damaged),
        graded.map((g) => g.destroy),
      ],
    );
    await sql.query(`UPDATE rmas SET status = 'graded', updated_at = clock_timestamp() WHERE id = $1`, [id]);
  }
}
