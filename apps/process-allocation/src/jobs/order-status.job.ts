import { Processor } from '@nestjs/bullmq';
import type { OrderStatusReportedEvent } from '@stockbridge/canonical';
import { Inbox, PermanentError, ReliableWorker, WorkerSupport, workerOptions } from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { ALLOCATION_SOURCE } from '../orders/order';
import { OrderError } from '../orders/order.error';
import { OrdersService, type StatusReportOutcome } from '../orders/orders.service';

/** An `order.status-reported` event, as system-oms (or a channel) published it. */
export type OrderStatusPayload = OrderStatusReportedEvent;

/** An order status reported by the OMS or a channel, once per event. */
@Processor('allocation.order-status', workerOptions('allocation.order-status'))
export class OrderStatusJob extends ReliableWorker<OrderStatusPayload> {
  constructor(
    support: WorkerSupport,
    private readonly orders: OrdersService,
    private readonly inbox: Inbox,
  ) {
    super('allocation.order-status', support);
  }

  protected async handle(job: Job<OrderStatusPayload>): Promise<StatusReportOutcome | { skipped: true }> {
    const e = job.data as Partial<OrderStatusReportedEvent> | null;
    const p = e?.payload;
    if (e?.type !== 'order.status-reported' || !p?.orderId || !p.source || !p.nativeStatus)
      throw new PermanentError('validation', 'Not an order.status-reported event.');
    const event = e as OrderStatusReportedEvent;
    if (await this.inbox.handled(ALLOCATION_SOURCE, event.id)) return { skipped: true };
    try {
      const out = await this.orders.reportStatus(p.orderId, p.source, p.nativeStatus);
      await this.inbox.record(ALLOCATION_SOURCE, event);
      return out;
    } catch (err) {
      if (err instanceof OrderError) {
        throw new PermanentError(err.code === 'unmapped-status' ? 'unmapped' : 'validation', err.message, {
          source: p.source,
          status: p.nativeStatus,
        });
      }
      throw err;
    }
  }
}
