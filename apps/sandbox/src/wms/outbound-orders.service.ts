import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { type Page, pageOf, type Paging } from '../infra/paging';
import { SandboxDb } from '../infra/sandbox-db';
import { toEach } from '../infra/units';
import type {
  OutboundOrderStatusView,
  OutboundOrderView,
  OutboundStatus,
  ReleaseOutboundOrderInput,
} from './outbound-order.dto';
import { spread } from './spread';
import type { WmsOperation } from './wms-event';

export type ReleaseOutcome = { status: 201 | 200; body: OutboundOrderStatusView };

export type CancelOutcome =
  | { status: 200; body: OutboundOrderStatusView }
  | { status: 404; body: { error: 'ORDER_NOT_FOUND'; message: string } }
  | { status: 409; body: { error: 'ALREADY_SHIPPED'; message: string } };

/** A shipment or short pick for an order that was cancelled: the floor may not work on it any more. */
export class OutboundOrderCancelled extends Error {
  constructor(readonly orderRef: string) {
    super(`Outbound order ${orderRef} is cancelled`);
    this.name = 'OutboundOrderCancelled';
  }
}

interface OrderRow {
  order_ref: string;
  warehouse: string;
  status: OutboundStatus;
  created_at: Date;
  updated_at: Date;
  lines: OutboundOrderView['lines'];
}

const SELECT_ORDER = `
  SELECT o.order_ref, o.warehouse, o.status, o.created_at, o.updated_at,
         coalesce((SELECT json_agg(json_build_object(
                     'lineNo', l.line_no, 'itemCode', l.item_code, 'qty', l.qty, 'uom', l.uom,
                     'qtyEach', l.qty_each, 'shippedEach', l.shipped_each, 'shortEach', l.short_each)
                     ORDER BY l.line_no)
                     FROM sandbox_wms.outbound_lines l WHERE l.order_ref = o.order_ref), '[]'::json) AS lines
    FROM sandbox_wms.outbound_orders o`;

const toView = (r: OrderRow): OutboundOrderView => ({
  orderRef: r.order_ref,
  warehouse: r.warehouse,
  status: r.status,
  lines: r.lines,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * The WMS's outbound orders: released for picking once per reference, cancelled while nothing has shipped
 * under the reference, and followed by the floor's shipments and short picks (shipped and missing each per
 * line). The order row is locked by a cancellation and by every shipment or short pick for it, so
 * "cancelled" and "shipped" exclude each other.
 */
@Injectable()
export class OutboundOrderService {
  constructor(private readonly db: SandboxDb) {}

  /** Creates the order (201), or answers the stored one of the same reference (200) and changes nothing. */
  async release(input: ReleaseOutboundOrderInput): Promise<ReleaseOutcome> {
    return this.db.tx(async (sql) => {
      // A twin release waits here for the first one's commit, then finds its order.
      const inserted = await sql.query(
        `INSERT INTO sandbox_wms.outbound_orders (order_ref, warehouse, status) VALUES ($1, $2, 'RELEASED')
         ON CONFLICT (order_ref) DO NOTHING`,
        [input.orderRef, input.warehouse],
      );
      if (inserted.rowCount === 0) {
        const stored = await sql.query<{ status: OutboundStatus }>(
          'SELECT status FROM sandbox_wms.outbound_orders WHERE order_ref = $1',
          [input.orderRef],
        );
        return { status: 200, body: { orderRef: input.orderRef, status: stored.rows[0].status } };
      }
      await sql.query(
        `INSERT INTO sandbox_wms.outbound_lines (order_ref, line_no, item_code, qty, uom, qty_each)
         SELECT $1, n, i, q, u, e FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::bigint[]) AS l(n, i, q, u, e)`,
        [
          input.orderRef,
          input.lines.map((_, i) => i + 1),
          input.lines.map((l) => l.itemCode),
          input.lines.map((l) => l.qty),
          input.lines.map((l) => l.uom),
          input.lines.map((l) => toEach(l.qty, l.uom)),
        ],
      );
      return { status: 201, body: { orderRef: input.orderRef, status: 'RELEASED' } };
    });
  }

  /**
   * Cancels the order unless a SHIPMENT with its reference was recorded (409 ALREADY_SHIPPED); cancelling
   * a cancelled order answers 200 again.
   */
  async cancel(orderRef: string): Promise<CancelOutcome> {
    return this.db.tx(async (sql) => {
      const order = await sql.query<{ status: OutboundStatus }>(
        'SELECT status FROM sandbox_wms.outbound_orders WHERE order_ref = $1 FOR UPDATE',
        [orderRef],
      );
      if (!order.rows[0]) return notFound(orderRef);
      // Read after taking the lock: a shipment that held it first has committed its event by now.
      const shipped = await sql.query(
        `SELECT 1 FROM sandbox_wms.events WHERE event_type = 'SHIPMENT' AND body->>'orderRef' = $1 LIMIT 1`,
        [orderRef],
      );
      if ((shipped.rowCount ?? 0) > 0) {
        return {
          status: 409,
          body: {
            error: 'ALREADY_SHIPPED',
            message: `Units of order ${orderRef} have shipped; it can no longer be cancelled`,
          },
        };
      }
      if (order.rows[0].status !== 'CANCELLED') {
        await sql.query(
          `UPDATE sandbox_wms.outbound_orders SET status = 'CANCELLED', updated_at = now() WHERE order_ref = $1`,
          [orderRef],
        );
      }
      return { status: 200, body: { orderRef, status: 'CANCELLED' } };
    });
  }

  /**
   * Follows a floor operation on the order it names, inside the operation's transaction: a SHIPMENT adds
   * to the lines' shipped each and moves the order to PART_SHIPPED or SHIPPED, a SHORT_PICK adds to their
   * missing each. An operation for a cancelled order throws OutboundOrderCancelled (nothing is recorded);
   * one whose reference is no outbound order (an OMS order picked by hand) changes no order.
   */
  async follow(sql: PoolClient, op: WmsOperation): Promise<void> {
    if (op.orderRef === undefined || (op.eventType !== 'SHIPMENT' && op.eventType !== 'SHORT_PICK')) return;
    const order = await sql.query<{ status: OutboundStatus }>(
      'SELECT status FROM sandbox_wms.outbound_orders WHERE order_ref = $1 FOR UPDATE',
      [op.orderRef],
    );
    if (!order.rows[0]) return;
    if (order.rows[0].status === 'CANCELLED') throw new OutboundOrderCancelled(op.orderRef);
    const column = op.eventType === 'SHIPMENT' ? 'shipped_each' : 'short_each';
    const lines = await sql.query<{ line_no: number; room: string }>(
      `SELECT line_no, qty_each - shipped_each - CASE WHEN $3::boolean THEN short_each ELSE 0 END AS room
         FROM sandbox_wms.outbound_lines WHERE order_ref = $1 AND item_code = $2 ORDER BY line_no`,
      [op.orderRef, op.itemCode, op.eventType === 'SHORT_PICK'],
    );
    const parts = spread(
      toEach(op.qty, op.uom),
      lines.rows.map((l) => ({ lineNo: l.line_no, room: Number(l.room) })),
    );
    for (const [lineNo, each] of parts) {
      await sql.query(
        `UPDATE sandbox_wms.outbound_lines SET ${column} = ${column} + $3 WHERE order_ref = $1 AND line_no = $2`,
        [op.orderRef, lineNo, each],
      );
    }
    if (op.eventType === 'SHIPMENT') {
      await sql.query(
        `UPDATE sandbox_wms.outbound_orders o
            SET status = CASE WHEN EXISTS (SELECT 1 FROM sandbox_wms.outbound_lines l
                                            WHERE l.order_ref = o.order_ref AND l.shipped_each < l.qty_each)
                              THEN 'PART_SHIPPED' ELSE 'SHIPPED' END,
                updated_at = now()
          WHERE order_ref = $1`,
        [op.orderRef],
      );
    } else {
      await sql.query('UPDATE sandbox_wms.outbound_orders SET updated_at = now() WHERE order_ref = $1', [
        op.orderRef,
      ]);
    }
  }

  async get(orderRef: string): Promise<OutboundOrderView | undefined> {
    const res = await this.db.query<OrderRow>(`${SELECT_ORDER} WHERE o.order_ref = $1`, [orderRef]);
    return res.rows[0] ? toView(res.rows[0]) : undefined;
  }

  async list(
    filter: { status?: OutboundStatus; warehouse?: string },
    p: Paging,
  ): Promise<Page<OutboundOrderView>> {
    const where = `WHERE ($1::text IS NULL OR o.status = $1) AND ($2::text IS NULL OR o.warehouse = $2)`;
    const values = [filter.status ?? null, filter.warehouse ?? null];
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM sandbox_wms.outbound_orders o ${where}`,
        values,
      ),
      this.db.query<OrderRow>(
        `${SELECT_ORDER} ${where} ORDER BY o.created_at, o.order_ref LIMIT $3 OFFSET $4`,
        [...values, p.limit, p.offset],
      ),
    ]);
    return pageOf(p, Number(count.rows[0].n), rows.rows.map(toView));
  }
}

function notFound(orderRef: string): CancelOutcome {
  return {
    status: 404,
    body: { error: 'ORDER_NOT_FOUND', message: `Outbound order ${orderRef} does not exist` },
  };
}
