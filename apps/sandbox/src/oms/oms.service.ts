import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { type Page, pageOf, type Paging } from '../infra/paging';
import { SandboxDb } from '../infra/sandbox-db';
import type { CreateOmsOrderInput, OmsOrderView } from './oms.dto';
import { type OmsStatus, statusesLeadingTo } from './order-status';

export type CreateOrderOutcome = { status: 201 | 200; body: OmsOrderView };

export type UpdateOrderOutcome =
  | { status: 200; body: OmsOrderView }
  | { status: 404; body: { error: 'ORDER_NOT_FOUND'; message: string } }
  | { status: 409; body: { error: 'INVALID_STATUS_TRANSITION'; message: string; currentStatus: OmsStatus } };

export interface OmsStats {
  orderCalls: number;
  ordersCreated: number;
  orderDuplicates: number;
}

interface OrderRow {
  order_id: string;
  order_ref: string;
  channel: string;
  status: OmsStatus;
  lines: OmsOrderView['lines'];
  ship_to: OmsOrderView['shipTo'];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'order_id, order_ref, channel, status, lines, ship_to, created_at, updated_at';

const toOrder = (r: OrderRow): OmsOrderView => ({
  orderId: r.order_id,
  orderRef: r.order_ref,
  channel: r.channel,
  status: r.status,
  lines: r.lines,
  shipTo: r.ship_to,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The stand-in OMS: orders once per orderRef, with its own statuses. */
@Injectable()
export class OmsService {
  constructor(private readonly db: SandboxDb) {}

  /** Creates the order, or answers the existing one of the same orderRef (200); every call is counted. */
  async create(input: CreateOmsOrderInput): Promise<CreateOrderOutcome> {
    return this.db.tx(async (sql) => {
      const lines = input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
      const shipTo = input.shipTo ? { ...input.shipTo } : null;
      const inserted = await sql.query<OrderRow>(
        `INSERT INTO sandbox_oms.orders (order_id, order_ref, channel, status, lines, ship_to)
         VALUES ('OMS-' || lpad(nextval('sandbox_oms.order_number')::text, 6, '0'), $1, $2, 'NEW', $3::jsonb, $4::jsonb)
         ON CONFLICT (order_ref) DO NOTHING RETURNING ${COLUMNS}`,
        [input.orderRef, input.channel, JSON.stringify(lines), shipTo ? JSON.stringify(shipTo) : null],
      );
      const outcome: CreateOrderOutcome = inserted.rows[0]
        ? { status: 201, body: toOrder(inserted.rows[0]) }
        : { status: 200, body: (await findByRef(sql, input.orderRef))! };
      await sql.query(
        `INSERT INTO sandbox_oms.calls (kind, order_ref, order_id, status) VALUES ('create-order', $1, $2, $3)`,
        [input.orderRef, outcome.body.orderId, outcome.status],
      );
      return outcome;
    });
  }

  async get(orderId: string): Promise<OmsOrderView | undefined> {
    const res = await this.db.query<OrderRow>(
      `SELECT ${COLUMNS} FROM sandbox_oms.orders WHERE order_id = $1`,
      [orderId],
    );
    return res.rows[0] ? toOrder(res.rows[0]) : undefined;
  }

  /**
   * Orders by order id; with `updatedSince`, those changed at or after it, by change time (to the millisecond,
   * as `updatedAt` shows it) then orderRef, so a poller can page on with the last `updatedAt` it saw.
   */
  async list(
    filter: { orderRef?: string; status?: OmsStatus; updatedSince?: string },
    p: Paging,
  ): Promise<Page<OmsOrderView>> {
    const where =
      '($1::text IS NULL OR order_ref = $1) AND ($2::text IS NULL OR status = $2) AND ' +
      '($3::timestamptz IS NULL OR updated_at >= $3::timestamptz)';
    const order = filter.updatedSince ? "date_trunc('milliseconds', updated_at), order_ref" : 'order_id';
    const values = [filter.orderRef ?? null, filter.status ?? null, filter.updatedSince ?? null];
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>(`SELECT count(*) AS n FROM sandbox_oms.orders WHERE ${where}`, values),
      this.db.query<OrderRow>(
        `SELECT ${COLUMNS} FROM sandbox_oms.orders WHERE ${where} ORDER BY ${order} LIMIT $4 OFFSET $5`,
        [...values, p.limit, p.offset],
      ),
    ]);
    return pageOf(p, Number(count.rows[0].n), rows.rows.map(toOrder));
  }

  /** Moves an order to `status` in one conditional statement; a move the OMS does not allow is a 409. */
  async updateStatus(orderId: string, status: OmsStatus): Promise<UpdateOrderOutcome> {
    return this.db.tx(async (sql) => {
      const updated = await sql.query<OrderRow>(
        `UPDATE sandbox_oms.orders SET status = $2, updated_at = CASE WHEN status = $2 THEN updated_at ELSE now() END
          WHERE order_id = $1 AND status = ANY($3::text[]) RETURNING ${COLUMNS}`,
        [orderId, status, statusesLeadingTo(status)],
      );
      let outcome: UpdateOrderOutcome;
      if (updated.rows[0]) {
        outcome = { status: 200, body: toOrder(updated.rows[0]) };
      } else {
        const current = await sql.query<{ status: OmsStatus }>(
          'SELECT status FROM sandbox_oms.orders WHERE order_id = $1',
          [orderId],
        );
        outcome = current.rows[0]
          ? {
              status: 409,
              body: {
                error: 'INVALID_STATUS_TRANSITION',
                message: `Order ${orderId} cannot go from ${current.rows[0].status} to ${status}`,
                currentStatus: current.rows[0].status,
              },
            }
          : { status: 404, body: { error: 'ORDER_NOT_FOUND', message: `Order ${orderId} does not exist` } };
      }
      await sql.query(
        `INSERT INTO sandbox_oms.calls (kind, order_id, status) VALUES ('update-status', $1, $2)`,
        [orderId, outcome.status],
      );
      return outcome;
    });
  }

  async stats(): Promise<OmsStats> {
    const res = await this.db.query<Record<keyof OmsStats, string>>(
      `SELECT count(*) AS "orderCalls",
              count(*) FILTER (WHERE status = 201) AS "ordersCreated",
              count(*) FILTER (WHERE status = 200) AS "orderDuplicates"
         FROM sandbox_oms.calls WHERE kind = 'create-order'`,
    );
    const r = res.rows[0];
    return {
      orderCalls: Number(r.orderCalls),
      ordersCreated: Number(r.ordersCreated),
      orderDuplicates: Number(r.orderDuplicates),
    };
  }
}

async function findByRef(sql: PoolClient, orderRef: string): Promise<OmsOrderView | undefined> {
  const res = await sql.query<OrderRow>(`SELECT ${COLUMNS} FROM sandbox_oms.orders WHERE order_ref = $1`, [
    orderRef,
  ]);
  return res.rows[0] ? toOrder(res.rows[0]) : undefined;
}
