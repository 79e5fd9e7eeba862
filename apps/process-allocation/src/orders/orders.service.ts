import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page } from '@stockbridge/app-platform';
import {
  isOrderState,
  OrderLifecycle,
  type OrderState,
  type OrderView,
  type TransitionResult,
} from '@stockbridge/orders';
import { Db } from '@stockbridge/persistence';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderError, orderNotFound } from './order.error';
import { ORDER_LIST, OrderRepository } from './order.repository';

export interface StatusReportOutcome {
  state: OrderState;
  mappedTo: OrderState;
  applied: boolean;
  /** Why a report changed nothing: already in that state, or the platform's own record decides. */
  reason: string | null;
}

/** Reading orders, and the statuses the OMS or a channel report about them in their own words. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly cancellation: OrderCancellationService,
  ) {}

  async get(id: string, channel?: string): Promise<OrderView> {
    const view = await this.orders.find(id, channel);
    if (!view) throw orderNotFound(id);
    return view;
  }

  /**
   * A page of orders, newest first by `(created_at, id)`, filtered by state and channel; `cursor` is the
   * `nextCursor` of the page before (400 `invalid-cursor` when this list did not give it out).
   */
  async list(filter: {
    state?: string;
    channel?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<OrderView>> {
    return this.orders.list({
      state: filter.state,
      channel: filter.channel,
      limit: filter.limit,
      after: decodeCursor(ORDER_LIST, filter.cursor, ['timestamp', 'uuid']),
    });
  }

  /**
   * A status reported by the OMS or a channel in its own words, mapped through order_status_mappings. A
   * cancellation starts the cancellation workflow; a delivery moves a shipped order on; the platform's own
   * fulfilment record decides every other state, so such reports change nothing and say why.
   */
  async reportStatus(orderId: string, source: string, nativeStatus: string): Promise<StatusReportOutcome> {
    const to = await this.orders.mappedState(source, nativeStatus);
    if (!to || !isOrderState(to)) {
      throw new OrderError(
        'unmapped-status',
        `Status "${nativeStatus}" of ${source} has no mapping to an order state (order_status_mappings).`,
      );
    }
    if (to === 'cancelled') {
      const view = await this.cancellation.cancel(orderId, source);
      return { state: view.state, mappedTo: to, applied: true, reason: null };
    }
    return this.db.tx(async (sql) => {
      const order = await this.orders.lock(sql, orderId);
      if (!order) throw orderNotFound(orderId);
      if (to !== 'delivered') {
        const reason =
          order.state === to
            ? 'already in that state'
            : "the platform's own fulfilment record decides this state";
        return { state: order.state, mappedTo: to, applied: false, reason };
      }
      const out = await OrderLifecycle.transition(sql, {
        orderId,
        to,
        cause: `${source} reported ${nativeStatus}`,
        source,
        nativeStatus,
      });
      return outcome(out, to);
    });
  }
}

function outcome(t: TransitionResult, mappedTo: OrderState): StatusReportOutcome {
  if (t.changed) return { state: t.to, mappedTo, applied: true, reason: null };
  return {
    state: t.state,
    mappedTo,
    applied: false,
    reason: t.reason === 'same-state' ? 'already in that state' : `not allowed from ${t.state}`,
  };
}
