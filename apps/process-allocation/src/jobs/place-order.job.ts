import { Processor } from '@nestjs/bullmq';
import type { ReservationConfirmedEvent } from '@stockbridge/canonical';
import { ReliableWorker, reservationConfirmed, WorkerSupport, workerOptions } from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { OrderPlacementService } from '../orders/order-placement.service';

/** A `reservation.confirmed` event, as process-reservations published it. */
export type PlaceOrderPayload = ReservationConfirmedEvent;

/** reservation.confirmed → an order, sourced into fulfilment orders, allocated and released. */
@Processor('allocation.orders', workerOptions('allocation.orders'))
export class PlaceOrderJob extends ReliableWorker<PlaceOrderPayload> {
  constructor(
    support: WorkerSupport,
    private readonly placement: OrderPlacementService,
  ) {
    super('allocation.orders', support);
  }

  protected async handle(job: Job<PlaceOrderPayload>): Promise<{ orderId: string; created: boolean }> {
    return this.placement.place(reservationConfirmed(job.data));
  }
}
