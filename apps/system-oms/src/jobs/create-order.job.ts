import { Processor } from '@nestjs/bullmq';
import type { ReservationConfirmedEvent } from '@stockbridge/canonical';
import {
  Inbox,
  ReliableWorker,
  reservationConfirmed,
  WorkerSupport,
  workerOptions,
} from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { OmsPort } from '../oms.port';

export type CreateOrderPayload = ReservationConfirmedEvent;

const CONSUMER = 'system-oms';

/** Creates the OMS order for a confirmed reservation; the OMS keys orders by the reservation id. */
@Processor('oms.orders', workerOptions('oms.orders'))
export class CreateOrderJob extends ReliableWorker<CreateOrderPayload> {
  constructor(
    support: WorkerSupport,
    private readonly inbox: Inbox,
    private readonly oms: OmsPort,
  ) {
    super('oms.orders', support);
  }

  protected async handle(job: Job<CreateOrderPayload>): Promise<{ omsOrderId: string | null }> {
    const event = reservationConfirmed(job.data);
    const out = await this.inbox.once(CONSUMER, event, () =>
      this.oms.createOrder({
        reference: event.payload.reservationId,
        channel: event.payload.channel,
        lines: event.payload.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        // Events written before reservations carried a ship-to have none.
        shipTo: event.payload.shipTo ?? null,
      }),
    );
    return { omsOrderId: out?.omsOrderId ?? null };
  }
}
