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
import { ErpPort } from '../erp.port';

export type CommitReservationPayload = ReservationConfirmedEvent;

const CONSUMER = 'system-erp';

/**
 * Tells the ERP that a channel committed the units of a confirmed reservation. The ERP keeps one
 * commitment per reference (the reservation id), so a redelivered or replayed job cannot commit twice;
 * the inbox spares the call once it is known to be done.
 */
@Processor('erp.commitments', workerOptions('erp.commitments'))
export class CommitReservationJob extends ReliableWorker<CommitReservationPayload> {
  constructor(
    support: WorkerSupport,
    private readonly inbox: Inbox,
    private readonly erp: ErpPort,
  ) {
    super('erp.commitments', support);
  }

  protected async handle(job: Job<CommitReservationPayload>): Promise<{ erpReference: string | null }> {
    const event = reservationConfirmed(job.data);
    const out = await this.inbox.once(CONSUMER, event, () =>
      this.erp.commit({
        reference: event.payload.reservationId,
        channel: event.payload.channel,
        lines: event.payload.lines,
      }),
    );
    return { erpReference: out?.erpReference ?? null };
  }
}
