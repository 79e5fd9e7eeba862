import { Processor } from '@nestjs/bullmq';
import type { PostingAcknowledgedEvent } from '@stockbridge/canonical';
import { PermanentError, ReliableWorker, WorkerSupport, workerOptions } from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { OrderSettlementService } from '../orders/order-settlement.service';

/** A `finance.posting-acknowledged` event, as system-erp published it. */
export type PostingResultPayload = PostingAcknowledgedEvent;

/** The ERP booked a posting: record it, and settle orders whose sales are then all booked. */
@Processor('finance.posting-results', workerOptions('finance.posting-results'))
export class PostingResultJob extends ReliableWorker<PostingResultPayload> {
  constructor(
    support: WorkerSupport,
    private readonly settlement: OrderSettlementService,
  ) {
    super('finance.posting-results', support);
  }

  protected async handle(job: Job<PostingResultPayload>): Promise<{ orders: number }> {
    const e = job.data as Partial<PostingAcknowledgedEvent> | null;
    const p = e?.payload;
    if (
      e?.type !== 'finance.posting-acknowledged' ||
      typeof p?.postingKey !== 'string' ||
      typeof p.erpReference !== 'string'
    )
      throw new PermanentError('validation', 'Not a finance.posting-acknowledged event.');
    const settled = await this.settlement.acknowledgePosting(p.postingKey, p.erpReference);
    return { orders: settled.length };
  }
}
