import { Processor } from '@nestjs/bullmq';
import { PermanentError, ReliableWorker, WorkerSupport, workerOptions } from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { Listings } from './listings';
import { OutboundLeader } from './outbound-leader';
import { isListingUpdatePayload, LISTING_UPDATES_QUEUE, type ListingUpdatePayload } from './refusal-letters';

/**
 * A replayed refusal (ops: `POST /v1/dead-letters/{id}/replay`): the SKU is marked pending again with its
 * refusal forgotten, so that its current figure is pushed anew — once the cause (a listing missing on the
 * marketplace, say) is fixed. Jobs reach this queue only through replays.
 */
@Processor(LISTING_UPDATES_QUEUE, workerOptions(LISTING_UPDATES_QUEUE))
export class ListingUpdateReplayJob extends ReliableWorker<ListingUpdatePayload> {
  constructor(
    support: WorkerSupport,
    private readonly listings: Listings,
    private readonly leader: OutboundLeader,
  ) {
    super(LISTING_UPDATES_QUEUE, support);
  }

  protected async handle(job: Job<ListingUpdatePayload>): Promise<{ channel: string; sku: string }> {
    if (!isListingUpdatePayload(job.data))
      throw new PermanentError('validation', 'a listing update names its channel and SKU');
    const { channel, sku } = job.data;
    await this.listings.markChanged(channel, [sku], true);
    this.leader.work.notify();
    return { channel, sku };
  }
}
