import { Injectable } from '@nestjs/common';
import { OrderLifecycle, Postings } from '@stockbridge/orders';
import { Db } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';
import { ALLOCATION_SOURCE } from './order';
import { OrderRepository } from './order.repository';

/**
 * Settlement: the ERP's acknowledgements of postings, the daily summaries of `daily-summary` channels, and an
 * order becoming settled once its sales are all booked.
 */
@Injectable()
export class OrderSettlementService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
  ) {}

  /** Marks the ERP's acknowledgement of a posting; orders whose sales are then all booked become settled. */
  async acknowledgePosting(postingKey: string, erpReference: string): Promise<string[]> {
    return this.db.tx(async (sql) => {
      const orders = await Postings.acknowledge(sql, postingKey, erpReference);
      for (const id of orders) {
        await this.orders.lock(sql, id);
        await this.settleIfBooked(sql, id);
      }
      return orders;
    });
  }

  /** Books the daily summaries of `daily-summary` channels for days before `today`. */
  async summariseDay(today: string): Promise<string[]> {
    return this.db.tx((sql) =>
      Postings.summarise(sql, today, { source: ALLOCATION_SOURCE, correlationId: null }),
    );
  }

  /** A shipped (or delivered) order whose revenue and cost of goods are all booked becomes settled. */
  async settleIfBooked(sql: PoolClient, orderId: string): Promise<void> {
    const state = await this.orders.state(sql, orderId);
    if (state !== 'shipped' && state !== 'delivered') return;
    if (!(await Postings.salesBooked(sql, orderId))) return;
    await OrderLifecycle.transition(sql, {
      orderId,
      to: 'settled',
      cause: 'revenue and cost of goods booked in the ERP',
      source: 'system-erp',
    });
  }
}
