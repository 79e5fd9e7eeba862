import { Injectable, Logger } from '@nestjs/common';
import type { FulfilmentLine, FulfilmentReportedEvent } from '@stockbridge/canonical';
import { PermanentError } from '@stockbridge/messaging';
import { OrderLifecycle, Postings } from '@stockbridge/orders';
import { Db } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';
import { FulfilmentRequests } from './fulfilment-requests';
import {
  ALLOCATION_SOURCE,
  describeLines,
  type FulfilmentOrder,
  type FulfilmentStatus,
  merge,
} from './order';
import { OrderCancellationService } from './order-cancellation.service';
import { moveOrderStock } from './order-movements';
import { OrderSettlementService } from './order-settlement.service';
import { OrderSourcing } from './order-sourcing';
import { OrderRepository } from './order.repository';

/**
 * What the WMS reports about a fulfilment order, applied once per (kind, source event id): its release,
 * shipments (journaled, with their revenue and cost-of-goods postings), short picks (written off, the rest
 * sourced again or cancelled), its cancellation, or a refused cancellation. One transaction per report,
 * under the order's lock and then the fulfilment order's.
 */
@Injectable()
export class FulfilmentReportService {
  private readonly log = new Logger(FulfilmentReportService.name);

  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly sourcing: OrderSourcing,
    private readonly requests: FulfilmentRequests,
    private readonly cancellation: OrderCancellationService,
    private readonly settlement: OrderSettlementService,
  ) {}

  async report(event: FulfilmentReportedEvent): Promise<{ applied: boolean }> {
    const p = event.payload;
    return this.db.tx(async (sql) => {
      const orderId = await this.orders.orderOf(sql, p.fulfilmentOrderId);
      if (!orderId) {
        throw new PermanentError('validation', `Fulfilment order ${p.fulfilmentOrderId} does not exist.`, {
          fulfilmentOrderId: p.fulfilmentOrderId,
        });
      }
      // The order first, then the fulfilment order: every transaction locks in that order.
      await this.orders.lock(sql, orderId);
      if (!(await this.orders.claimReport(sql, `${p.kind}:${p.sourceEventId}`, p.fulfilmentOrderId, p.kind)))
        return { applied: false };
      const fo = (await this.orders.lockFulfilmentOrder(sql, p.fulfilmentOrderId))!;
      const correlationId = event.correlationId;
      switch (p.kind) {
        case 'released':
          if (fo.status === 'allocated') await this.orders.setStatus(sql, fo.id, 'released');
          // Cancelled here while its release was on the way: the WMS must drop it too.
          if (fo.status === 'cancelled') await this.requests.cancelReleased(sql, fo, correlationId);
          await this.follow(sql, fo.orderId, `WMS accepted fulfilment order ${fo.id} at ${fo.location}`);
          break;
        case 'shipped':
          await this.shipped(sql, fo, p.lines, p.sourceEventId, correlationId);
          break;
        case 'short-picked':
          await this.shortPicked(sql, fo, p.lines, p.sourceEventId, correlationId);
          break;
        case 'cancelled':
          await this.cancellation.cancelOpen(
            sql,
            fo,
            `WMS cancelled fulfilment order ${fo.id}`,
            correlationId,
          );
          break;
        case 'cancel-refused':
          if (fo.status === 'cancel_requested')
            await this.orders.setStatus(sql, fo.id, await this.shipStatus(sql, fo.id));
          this.log.warn(`WMS refused to cancel fulfilment order ${fo.id}: ${p.detail ?? 'no reason given'}`);
          await this.follow(
            sql,
            fo.orderId,
            `WMS refused to cancel fulfilment order ${fo.id}: ${p.detail ?? 'no reason'}`,
          );
          break;
      }
      return { applied: true };
    });
  }

  /** Ships the reported units that are open (journaled), books their revenue and cost of goods. */
  private async shipped(
    sql: PoolClient,
    fo: FulfilmentOrder,
    lines: FulfilmentLine[],
    sourceEventId: string,
    correlationId: string | null,
  ): Promise<void> {
    const open = new Map((await this.orders.lines(sql, fo.id)).map((l) => [l.sku, l]));
    const values = await this.orders.unitValues(sql, fo.orderId);
    const revenue: { sku: string; location: string; quantity: number; amountCents: number }[] = [];
    const cost: typeof revenue = [];
    for (const line of merge(lines)) {
      const l = open.get(line.sku);
      const q = Math.min(line.quantity, l?.open ?? 0);
      if (q < line.quantity) {
        this.log.warn(
          `WMS shipped ${line.quantity} ${line.sku} for fulfilment order ${fo.id} but only ${l?.open ?? 0} were open; the rest is left to reconciliation`,
        );
      }
      if (q === 0) continue;
      await moveOrderStock(
        sql,
        {
          kind: 'ship-allocated',
          sku: line.sku,
          location: fo.location,
          quantity: q,
          sourceEventId: `wms:${sourceEventId}:ship:${line.sku}`,
        },
        { orderId: fo.orderId, correlationId },
      );
      await this.orders.addToLine(sql, fo.id, line.sku, 'shipped', q);
      const value = values.get(line.sku);
      const at = { sku: line.sku, location: fo.location, quantity: q };
      revenue.push({ ...at, amountCents: q * (value?.priceCents ?? 0) });
      cost.push({ ...at, amountCents: q * (value?.costCents ?? 0) });
    }
    if (fo.status !== 'cancel_requested')
      await this.orders.setStatus(sql, fo.id, await this.shipStatus(sql, fo.id));
    if (revenue.length > 0) {
      const ctx = { source: ALLOCATION_SOURCE, correlationId, causationId: sourceEventId };
      const base = {
        channel: fo.channel,
        orderId: fo.orderId,
        rmaId: null,
        reference: fo.orderId,
        reason: null,
      };
      await Postings.request(
        sql,
        { ...base, postingKey: `revenue:${sourceEventId}`, kind: 'revenue', lines: revenue },
        ctx,
      );
      await Postings.request(
        sql,
        { ...base, postingKey: `cogs:${sourceEventId}`, kind: 'cost-of-goods', lines: cost },
        ctx,
      );
    }
    await this.follow(
      sql,
      fo.orderId,
      `WMS shipped ${describeLines(lines)} of fulfilment order ${fo.id} from ${fo.location}`,
    );
    await this.settlement.settleIfBooked(sql, fo.orderId);
  }

  /**
   * The WMS could not find some allocated units: they are written off at that location (a journaled
   * short-pick), and the remainder is sourced again from the other locations of the channel's pool; what no
   * location has is cancelled on the order, and the order's history says so even when its state stays.
   */
  private async shortPicked(
    sql: PoolClient,
    fo: FulfilmentOrder,
    lines: FulfilmentLine[],
    sourceEventId: string,
    correlationId: string | null,
  ): Promise<void> {
    const open = new Map((await this.orders.lines(sql, fo.id)).map((l) => [l.sku, l]));
    const short: FulfilmentLine[] = [];
    const ctx = { orderId: fo.orderId, correlationId };
    for (const line of merge(lines)) {
      const q = Math.min(line.quantity, open.get(line.sku)?.open ?? 0);
      if (q === 0) continue;
      await moveOrderStock(
        sql,
        {
          kind: 'short-pick',
          sku: line.sku,
          location: fo.location,
          quantity: q,
          sourceEventId: `wms:${sourceEventId}:short-pick:${line.sku}`,
        },
        ctx,
      );
      await this.orders.addToLine(sql, fo.id, line.sku, 'short_picked', q);
      short.push({ sku: line.sku, quantity: q });
    }
    if (short.length === 0) return;
    const remaining = await this.orders.lines(sql, fo.id);
    if (remaining.every((l) => l.open === 0)) {
      const shippedAny = remaining.some((l) => l.shipped > 0);
      await this.orders.setStatus(sql, fo.id, shippedAny ? 'shipped' : 'short_closed');
    }
    if (fo.status === 'cancel_requested') {
      // The order is being cancelled: what was short is not sourced again, it is cancelled with the rest.
      for (const u of short) await this.orders.cancelUnits(sql, fo.orderId, u.sku, u.quantity);
      await this.followAndRecord(
        sql,
        fo.orderId,
        `short pick at ${fo.location} during cancellation: ${describeLines(short)} not found`,
      );
      return;
    }
    // Re-source what was short, away from every location that already came up short for this order.
    const tried = new Set(await this.orders.shortLocations(sql, fo.orderId));
    const plan = await this.sourcing.plan(sql, fo.channel, short, fo.shipTo, new Map(), tried);
    const placed = await this.sourcing.allocate(sql, plan.assignments, fo.attempt + 1, new Map(), ctx);
    for (const u of plan.unfilled) await this.orders.cancelUnits(sql, fo.orderId, u.sku, u.quantity);
    const cause =
      `short pick at ${fo.location}: ${describeLines(short)} not found` +
      (placed.length ? `; re-sourced to ${placed.join(', ')}` : '') +
      (plan.unfilled.length ? `; no location has ${describeLines(plan.unfilled)}: cancelled` : '');
    if (plan.unfilled.length > 0) await this.followAndRecord(sql, fo.orderId, cause);
    else await this.follow(sql, fo.orderId, cause);
    await this.requests.releaseUnreleased(sql, fo.orderId, correlationId);
  }

  /** What a fulfilment order's lines say its status is, once it is no longer waiting for a cancellation. */
  private async shipStatus(sql: PoolClient, foId: string): Promise<FulfilmentStatus> {
    const lines = await this.orders.lines(sql, foId);
    const shipped = lines.reduce((s, l) => s + l.shipped, 0);
    const open = lines.reduce((s, l) => s + l.open, 0);
    if (open === 0) return shipped > 0 ? 'shipped' : 'short_closed';
    return shipped > 0 ? 'partially_shipped' : 'released';
  }

  private async follow(sql: PoolClient, orderId: string, cause: string): Promise<void> {
    await OrderLifecycle.follow(sql, orderId, cause, ALLOCATION_SOURCE);
  }

  /** Follows, and records the cause even when the state stays (units were cancelled all the same). */
  private async followAndRecord(sql: PoolClient, orderId: string, cause: string): Promise<void> {
    await OrderLifecycle.followAndRecord(sql, orderId, cause, ALLOCATION_SOURCE);
  }
}
