import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { assertNever } from '../infra/assert-never';
import { type Page, pageOf, type Paging } from '../infra/paging';
import { SandboxDb } from '../infra/sandbox-db';
import { toEach } from '../infra/units';
import { SandboxConfig } from '../sandbox.config';
import { OutboundOrderCancelled, OutboundOrderService } from './outbound-orders.service';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import type { WmsEventBody, WmsEventType, WmsOperation } from './wms-event';
import type { WmsEventSummaryView, WmsInventoryView } from './wms.dto';

export type WmsOutcome =
  | { status: 201; body: { eventId: string; seq: number } }
  | { status: 409; body: { error: 'INSUFFICIENT_STOCK' | 'ORDER_CANCELLED'; message: string } }
  | { status: 422; body: { error: 'SAME_WAREHOUSE'; message: string } };

export interface WmsStats {
  eventsCreated: number;
  deliveryAttempts: number;
  deliveriesSucceeded: number;
  deliveriesFailed: number;
  outboundOrders: number;
}

class InsufficientStock extends Error {}

/** The stand-in WMS: inventory per warehouse and item code in each, and an event per operation. */
@Injectable()
export class WmsService implements OnModuleInit {
  constructor(
    private readonly db: SandboxDb,
    private readonly dispatcher: WebhookDispatcher,
    private readonly config: SandboxConfig,
    private readonly outbound: OutboundOrderService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.SANDBOX_WMS_WEBHOOK_URL && this.config.SANDBOX_WMS_WEBHOOK_SECRET) {
      await this.setSubscription(this.config.SANDBOX_WMS_WEBHOOK_URL, this.config.SANDBOX_WMS_WEBHOOK_SECRET);
    }
  }

  /**
   * Changes the inventory, follows the outbound order the operation names, and records the event in one
   * transaction, then wakes the dispatcher. Stock never goes negative: a shortage changes nothing and
   * records no event; neither does a shipment or short pick for a cancelled outbound order.
   */
  async record(op: WmsOperation): Promise<WmsOutcome> {
    if (op.eventType === 'TRANSFER' && op.toWarehouse === op.warehouse) {
      return {
        status: 422,
        body: { error: 'SAME_WAREHOUSE', message: 'A transfer needs two different warehouses' },
      };
    }
    let created: { eventId: string; seq: number };
    try {
      created = await this.db.tx(async (sql) => {
        await this.outbound.follow(sql, op);
        await this.changeInventory(sql, op);
        return this.insertEvent(sql, op);
      });
    } catch (err) {
      if (err instanceof InsufficientStock) {
        return { status: 409, body: { error: 'INSUFFICIENT_STOCK', message: err.message } };
      }
      if (err instanceof OutboundOrderCancelled) {
        return { status: 409, body: { error: 'ORDER_CANCELLED', message: err.message } };
      }
      throw err;
    }
    this.dispatcher.trigger();
    return { status: 201, body: created };
  }

  private async changeInventory(sql: PoolClient, op: WmsOperation): Promise<void> {
    const each = toEach(op.qty, op.uom);
    const type: WmsEventType = op.eventType;
    switch (type) {
      case 'RECEIPT':
      case 'ADJUSTMENT':
        return add(sql, op.warehouse, op.itemCode, each);
      case 'PICK':
        // Picked stock is still in the building until it ships.
        return;
      case 'SHIPMENT':
        return add(sql, op.warehouse, op.itemCode, -each);
      case 'SHORT_PICK':
        // The units are not in the building: whatever of them the WMS believed it had is gone (never below 0).
        await sql.query(
          `UPDATE sandbox_wms.inventory SET qty_each = qty_each - LEAST(qty_each, $3)
            WHERE item_code = $1 AND warehouse = $2`,
          [op.itemCode, op.warehouse, each],
        );
        return;
      case 'CYCLE_COUNT':
        await sql.query(
          `INSERT INTO sandbox_wms.inventory (item_code, warehouse, qty_each) VALUES ($1, $2, $3)
           ON CONFLICT (item_code, warehouse) DO UPDATE SET qty_each = EXCLUDED.qty_each`,
          [op.itemCode, op.warehouse, each],
        );
        return;
      case 'TRANSFER': {
        // Rows in warehouse order, so that opposite transfers of one item cannot deadlock.
        const changes: [string, number][] = [
          [op.warehouse, -each],
          [op.toWarehouse!, each],
        ];
        changes.sort(([a], [b]) => (a < b ? -1 : 1));
        for (const [warehouse, delta] of changes) await add(sql, warehouse, op.itemCode, delta);
        return;
      }
      default:
        assertNever(type);
    }
  }

  private async insertEvent(sql: PoolClient, op: WmsOperation): Promise<{ eventId: string; seq: number }> {
    const next = await sql.query<{ seq: string }>(
      `SELECT nextval(pg_get_serial_sequence('sandbox_wms.events', 'seq')) AS seq`,
    );
    const seq = Number(next.rows[0].seq);
    const body: WmsEventBody = {
      eventId: randomUUID(),
      eventType: op.eventType,
      sequence: seq,
      occurredAt: new Date().toISOString(),
      warehouse: op.warehouse,
      itemCode: op.itemCode,
      qty: op.qty,
      uom: op.uom,
      ...(op.toWarehouse !== undefined ? { toWarehouse: op.toWarehouse } : {}),
      ...(op.reasonCode !== undefined ? { reasonCode: op.reasonCode } : {}),
      ...(op.orderRef !== undefined ? { orderRef: op.orderRef } : {}),
    };
    const raw = JSON.stringify(body);
    await sql.query(
      'INSERT INTO sandbox_wms.events (seq, event_id, event_type, body, raw) VALUES ($1, $2, $3, $4::jsonb, $4)',
      [seq, body.eventId, body.eventType, raw],
    );
    return { eventId: body.eventId, seq };
  }

  async inventory(warehouse: string | undefined, p: Paging): Promise<Page<WmsInventoryView>> {
    const [count, rows] = await Promise.all([
      this.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM sandbox_wms.inventory WHERE $1::text IS NULL OR warehouse = $1',
        [warehouse ?? null],
      ),
      this.db.query<{ warehouse: string; item_code: string; qty_each: string }>(
        `SELECT warehouse, item_code, qty_each FROM sandbox_wms.inventory
          WHERE $1::text IS NULL OR warehouse = $1 ORDER BY warehouse, item_code LIMIT $2 OFFSET $3`,
        [warehouse ?? null, p.limit, p.offset],
      ),
    ]);
    return pageOf(
      p,
      Number(count.rows[0].n),
      rows.rows.map((r) => ({ warehouse: r.warehouse, itemCode: r.item_code, qtyEach: Number(r.qty_each) })),
    );
  }

  async setSubscription(url: string, secret: string): Promise<void> {
    await this.db.query(
      `INSERT INTO sandbox_wms.subscription (id, url, secret) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret`,
      [url, secret],
    );
    this.dispatcher.trigger();
  }

  async subscriptionUrl(): Promise<string | null> {
    const res = await this.db.query<{ url: string }>('SELECT url FROM sandbox_wms.subscription WHERE id = 1');
    return res.rows[0]?.url ?? null;
  }

  async events(delivered: boolean | undefined, limit: number): Promise<WmsEventSummaryView[]> {
    const res = await this.db.query<{
      seq: string;
      event_id: string;
      event_type: WmsEventType;
      delivered_at: Date | null;
      attempts: number;
      last_error: string | null;
    }>(
      `SELECT seq, event_id, event_type, delivered_at, attempts, last_error FROM sandbox_wms.events
        WHERE $1::boolean IS NULL OR (delivered_at IS NOT NULL) = $1 ORDER BY seq LIMIT $2`,
      [delivered ?? null, limit],
    );
    return res.rows.map((r) => ({
      seq: Number(r.seq),
      eventId: r.event_id,
      eventType: r.event_type,
      deliveredAt: r.delivered_at?.toISOString() ?? null,
      attempts: r.attempts,
      lastError: r.last_error,
    }));
  }

  async stats(): Promise<WmsStats> {
    const res = await this.db.query<Record<keyof WmsStats, string>>(
      `SELECT (SELECT count(*) FROM sandbox_wms.events) AS "eventsCreated",
              (SELECT count(*) FROM sandbox_wms.outbound_orders) AS "outboundOrders",
              count(*) AS "deliveryAttempts",
              count(*) FILTER (WHERE status BETWEEN 200 AND 299) AS "deliveriesSucceeded",
              count(*) FILTER (WHERE status IS NULL OR status NOT BETWEEN 200 AND 299) AS "deliveriesFailed"
         FROM sandbox_wms.deliveries`,
    );
    const r = res.rows[0];
    return {
      eventsCreated: Number(r.eventsCreated),
      deliveryAttempts: Number(r.deliveryAttempts),
      deliveriesSucceeded: Number(r.deliveriesSucceeded),
      deliveriesFailed: Number(r.deliveriesFailed),
      outboundOrders: Number(r.outboundOrders),
    };
  }

  /** Absolute inventory per item and warehouse, set without an event (see the admin endpoint). */
  async setInventory(rows: { warehouse: string; itemCode: string; qtyEach: number }[]): Promise<number> {
    await this.db.query(
      `INSERT INTO sandbox_wms.inventory (item_code, warehouse, qty_each)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (item_code, warehouse) DO UPDATE SET qty_each = excluded.qty_each`,
      [rows.map((r) => r.itemCode), rows.map((r) => r.warehouse), rows.map((r) => r.qtyEach)],
    );
    return rows.length;
  }
}

/** One atomic statement per change; a decrease below zero throws InsufficientStock (and the transaction rolls back). */
async function add(sql: PoolClient, warehouse: string, itemCode: string, delta: number): Promise<void> {
  if (delta >= 0) {
    await sql.query(
      `INSERT INTO sandbox_wms.inventory (item_code, warehouse, qty_each) VALUES ($1, $2, $3)
       ON CONFLICT (item_code, warehouse) DO UPDATE SET qty_each = sandbox_wms.inventory.qty_each + EXCLUDED.qty_each`,
      [itemCode, warehouse, delta],
    );
    return;
  }
  const res = await sql.query(
    `UPDATE sandbox_wms.inventory SET qty_each = qty_each + $3
      WHERE item_code = $1 AND warehouse = $2 AND qty_each + $3 >= 0`,
    [itemCode, warehouse, delta],
  );
  if (res.rowCount === 0)
    throw new InsufficientStock(`Not enough ${itemCode} in ${warehouse} for ${-delta} each`);
}
