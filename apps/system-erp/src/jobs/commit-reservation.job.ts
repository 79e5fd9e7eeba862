import { Processor } from '@nestjs/bullmq';
import type { ReservationConfirmedEvent } from '@stockbridge/canonical';
import { Inbox, PermanentError, ReliableWorker, WorkerSupport, workerOptions } from '@stockbridge/messaging';
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
    const event = job.data;
    if (
      event?.type !== 'reservation.confirmed' ||
      !Array.isArray(event.payload?.lines) ||
      event.payload.lines.length === 0
    ) {
      throw new PermanentError('validation', 'Not a reservation.confirmed event with lines.');
    }
    if (await this.inbox.handled(CONSUMER, event.id)) return { erpReference: null };
    const out = await this.erp.commit({
      reference: event.payload.reservationId,
      channel: event.payload.channel,
      lines: event.payload.lines,
    });
    await this.inbox.record(CONSUMER, event);
    return { erpReference: out.erpReference };
  }
}
