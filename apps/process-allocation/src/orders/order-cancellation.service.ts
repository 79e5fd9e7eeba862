import { Injectable } from '@nestjs/common';
import { OrderLifecycle, type OrderState, type OrderView } from '@stockbridge/orders';
import { Db } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';
import { FulfilmentRequests } from './fulfilment-requests';
import { ALLOCATION_SOURCE, type FulfilmentOrder } from './order';
import { OrderError, orderNotFound } from './order.error';
import { moveOrderStock } from './order-movements';
import { OrderRepository } from './order.repository';

/** The states in which an order still has units that have not shipped. */
const CANCELLABLE: readonly OrderState[] = [
  'pending_validation',
  'reserved',
  'allocated',
  'released',
  'partially_shipped',
];

/**
 * Cancelling what has not shipped: allocated fulfilment orders give their units back at once; released ones
 * are asked of the WMS (their units come back when it confirms, through the fulfilment reports).
 */
@Injectable()
export class OrderCancellationService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly requests: FulfilmentRequests,
  ) {}

  /** Cancels the order (of that channel); cancelling a cancelled order succeeds. */
  async cancel(orderId: string, by: string, channel?: string): Promise<OrderView> {
    await this.db.tx(async (sql) => {
      const order = await this.orders.lock(sql, orderId, channel);
      if (!order) throw orderNotFound(orderId);
      if (order.state === 'cancelled') return;
      if (!CANCELLABLE.includes(order.state)) {
        throw new OrderError(
          'order-not-cancellable',
          `Order "${orderId}" is ${order.state}: shipped units cannot be cancelled (open a return instead).`,
        );
      }
      const fos = await this.orders.lockFulfilmentOrders(sql, orderId);
      const asked: FulfilmentOrder[] = [];
      for (const fo of fos) {
        if (fo.status === 'allocated') {
          await this.cancelOpen(sql, fo, `cancelled by ${by} before release`, order.correlationId, false);
        } else if (fo.status === 'released' || fo.status === 'partially_shipped') {
          await this.orders.setStatus(sql, fo.id, 'cancel_requested');
          asked.push(fo);
        }
      }
      await this.requests.ask(sql, 'cancel', asked, order.correlationId);
      await OrderLifecycle.follow(
        sql,
        orderId,
        asked.length > 0
          ? `cancellation by ${by} asked of the WMS for ${asked.map((f) => f.location).join(', ')}`
          : `cancelled by ${by}`,
        ALLOCATION_SOURCE,
      );
    });
    const view = await this.orders.find(orderId, channel);
    if (!view) throw orderNotFound(orderId);
    return view;
  }

  /**
   * Gives a fulfilment order's open units back (deallocate) and marks them cancelled on the order; the order
   * follows (with `cause`) unless the caller does that itself.
   */
  async cancelOpen(
    sql: PoolClient,
    fo: FulfilmentOrder,
    cause: string,
    correlationId: string | null,
    follow = true,
  ): Promise<void> {
    const lines = await this.orders.lines(sql, fo.id);
    for (const l of lines) {
      if (l.open === 0) continue;
      await moveOrderStock(
        sql,
        {
          kind: 'deallocate',
          sku: l.sku,
          location: fo.location,
          quantity: l.open,
          sourceEventId: `fo:${fo.id}:deallocate:${l.sku}`,
        },
        { orderId: fo.orderId, correlationId },
      );
      await this.orders.addToLine(sql, fo.id, l.sku, 'cancelled', l.open);
      await this.orders.cancelUnits(sql, fo.orderId, l.sku, l.open);
    }
    const shippedAny = lines.some((l) => l.shipped > 0);
    await this.orders.setStatus(sql, fo.id, shippedAny ? 'shipped' : 'cancelled');
    if (follow) await OrderLifecycle.follow(sql, fo.orderId, cause, ALLOCATION_SOURCE);
  }
}
