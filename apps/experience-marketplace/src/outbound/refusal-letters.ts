import { Injectable } from '@nestjs/common';
import { DeadLetters, type QueueName } from '@stockbridge/messaging';

/** The queue of refused listing updates: its dead letters are replayed by ops, its consumer re-marks the SKU. */
export const LISTING_UPDATES_QUEUE: QueueName = 'marketplace.listing-updates';
export const LISTING_UPDATE_JOB = 'marketplace.listing-update';

/** A refused quantity update as dead-lettered (and replayed). */
export interface ListingUpdatePayload {
  channel: string;
  sku: string;
  /** The quantity the marketplace refused. */
  quantity: number;
  /** The marketplace (adapter) that refused it, and its error code and message. */
  marketplace: string;
  code: string;
  reason: string;
}

export function isListingUpdatePayload(data: unknown): data is Pick<ListingUpdatePayload, 'channel' | 'sku'> {
  const d = data as Partial<ListingUpdatePayload> | null;
  return typeof d?.channel === 'string' && d.channel !== '' && typeof d.sku === 'string' && d.sku !== '';
}

/**
 * Dead-letters a quantity update the marketplace refused, on `marketplace.listing-updates` with the
 * marketplace's reason (kind `rejected`), as a queue worker would have: ops lists, replays or discards it like
 * any other letter (docs/messaging.md#dead-letters). The update never was a job: the letter carries an id of its
 * own, one per (channel, SKU, change), so that a refusal recorded twice is one letter.
 */
@Injectable()
export class RefusalLetters {
  constructor(private readonly deadLetters: DeadLetters) {}

  async record(
    payload: ListingUpdatePayload,
    generation: number,
    details: Record<string, unknown>,
  ): Promise<void> {
    const id = `listing-${payload.channel}-${payload.sku}-g${generation}`.replace(/:/g, '_');
    const message = `${payload.marketplace} refused ${payload.sku} = ${payload.quantity}: ${payload.code} ${payload.reason}`;
    await this.deadLetters.recordFailure(LISTING_UPDATES_QUEUE, {
      jobId: id,
      jobName: LISTING_UPDATE_JOB,
      payload,
      kind: 'rejected',
      reason: message,
      details: { marketplace: payload.marketplace, code: payload.code, ...details },
    });
  }
}
