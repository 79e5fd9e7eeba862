import { Injectable, Logger } from '@nestjs/common';
import type { GeoPoint, ReservationConfirmedEvent } from '@stockbridge/canonical';
import { LedgerError, type ReservationView, Reservations } from '@stockbridge/ledger';
import { Inbox, PermanentError } from '@stockbridge/messaging';
import { OrderLifecycle } from '@stockbridge/orders';
import { Db } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';
import { ALLOCATION_SOURCE, byLocation, describeLines, merge } from './order';
import { FulfilmentRequests } from './fulfilment-requests';
import { moveOrderStock } from './order-movements';
import { heldKey, type HeldUnits, OrderSourcing } from './order-sourcing';
import { OrderRepository } from './order.repository';

/**
 * Placing an order: a confirmed reservation becomes an order (same id), sourced to fulfilment orders per
 * location, its held units allocated (reserved → allocated in the ledger), what sourcing placed elsewhere
 * released from the hold, and the release asked of the WMS. One transaction: the order's rows, the journaled
 * movements and the outgoing events commit together.
 */
@Injectable()
export class OrderPlacementService {
  private readonly log = new Logger(OrderPlacementService.name);

  constructor(
    private readonly db: Db,
    private readonly inbox: Inbox,
    private readonly reservations: Reservations,
    private readonly orders: OrderRepository,
    private readonly sourcing: OrderSourcing,
    private readonly requests: FulfilmentRequests,
  ) {}

  /** Turns a confirmed reservation into an order; once per event (inbox) and once per reservation (order id). */
  async place(event: ReservationConfirmedEvent): Promise<{ orderId: string; created: boolean }> {
    const p = event.payload;
    const orderId = p.reservationId;
    return this.db.tx(async (sql) => {
      if (!(await this.inbox.claim(sql, ALLOCATION_SOURCE, event))) return { orderId, created: false };
      if (await this.orders.exists(sql, orderId)) return { orderId, created: false };

      const r = await this.reservation(orderId, p.channel);
      if (r.status !== 'confirmed') {
        throw new PermanentError(
          'validation',
          `Reservation ${orderId} is ${r.status}, not confirmed: no order is placed.`,
        );
      }
      const heldLines = r.lines;
      const shipTo: GeoPoint | null = r.shipTo ?? p.shipTo ?? null;

      await this.orders.insert(sql, {
        id: orderId,
        channel: r.channel,
        reference: r.reference,
        shipTo,
        correlationId: event.correlationId,
      });
      await OrderLifecycle.record(
        sql,
        {
          orderId,
          to: 'pending_validation',
          cause: `reservation ${orderId} confirmed on channel ${r.channel}`,
          source: r.channel,
        },
        null,
      );
      const demand = merge(heldLines.map((l) => ({ sku: l.sku, quantity: l.quantity })));
      await this.orders.insertLines(sql, orderId, demand);
      await this.transition(sql, orderId, 'reserved', `${describeLines(heldLines)} held by the reservation`);

      const held: HeldUnits = new Map();
      for (const l of heldLines)
        held.set(heldKey(l.location, l.sku), (held.get(heldKey(l.location, l.sku)) ?? 0) + l.quantity);
      let plan = await this.sourcing.plan(sql, r.channel, demand, shipTo, held, new Set());
      if (plan.unfilled.length > 0) {
        // The held units always cover the order; a policy that cannot place it (e.g. store capacity used up
        // since) ships from where the units are held.
        this.log.warn(
          `Sourcing left ${describeLines(plan.unfilled)} of order ${orderId} unplaced; shipping from the held locations`,
        );
        plan = { assignments: byLocation(heldLines), unfilled: [] };
      }
      const ctx = { orderId, correlationId: event.correlationId };
      const placed = await this.sourcing.allocate(sql, plan.assignments, 1, held, ctx);
      for (const [key, units] of held) {
        if (units <= 0) continue;
        const [location, sku] = key.split('|');
        await moveOrderStock(
          sql,
          {
            kind: 'release-held',
            sku,
            location,
            quantity: units,
            sourceEventId: `order:${orderId}:release-held:${location}:${sku}`,
          },
          ctx,
        );
      }
      await this.transition(sql, orderId, 'allocated', `sourced to ${placed.join(', ')}`);
      await this.requests.releaseUnreleased(sql, orderId, event.correlationId);
      return { orderId, created: true };
    });
  }

  /** The reservation an order is placed from; one that does not exist can never become an order. */
  private async reservation(id: string, channel: string): Promise<ReservationView> {
    try {
      return await this.reservations.get(id, channel);
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'reservation-not-found')
        throw new PermanentError('validation', `Reservation ${id} of channel ${channel} does not exist.`);
      throw err;
    }
  }

  private async transition(
    sql: PoolClient,
    orderId: string,
    to: 'reserved' | 'allocated',
    cause: string,
  ): Promise<void> {
    await OrderLifecycle.transition(sql, { orderId, to, cause, source: ALLOCATION_SOURCE });
  }
}
