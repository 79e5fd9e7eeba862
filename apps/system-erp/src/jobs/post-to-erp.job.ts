import { Processor } from '@nestjs/bullmq';
import type { PostingKind, PostingRequestedEvent } from '@stockbridge/canonical';
import {
  deterministicEventId,
  envelope,
  PermanentError,
  ReliableWorker,
  WorkerSupport,
  workerOptions,
} from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { ErpPort } from '../erp.port';

/** A `finance.posting-requested` event, as the process layer published it. */
export type PostToErpPayload = PostingRequestedEvent;

const KINDS: readonly PostingKind[] = ['revenue', 'cost-of-goods', 'refund', 'inventory-adjustment'];

/** The acknowledgment's id: one per posting key, however often the posting is requested or retried. */
export function acknowledgmentId(postingKey: string): string {
  return deterministicEventId(`erp/posting/${postingKey}`);
}

/** The job's data as a posting request the ERP can be asked to book; anything else can never succeed. */
export function postingRequested(data: unknown): PostingRequestedEvent {
  const event = data as Partial<PostingRequestedEvent> | null;
  const p = event?.payload;
  const problems: string[] = [];
  if (event?.type !== 'finance.posting-requested' || typeof event.id !== 'string' || !p)
    throw new PermanentError('validation', 'Not a finance.posting-requested event.');
  if (typeof p.postingKey !== 'string' || p.postingKey === '') problems.push('postingKey is missing');
  if (!KINDS.includes(p.kind)) problems.push(`kind must be one of ${KINDS.join(', ')}`);
  if (!Number.isSafeInteger(p.amountCents) || p.amountCents < 0)
    problems.push('amountCents must be a whole number of cents, not negative');
  if (typeof p.currency !== 'string') problems.push('currency is missing');
  if (typeof p.businessDate !== 'string') problems.push('businessDate is missing');
  if (typeof p.reference !== 'string') problems.push('reference is missing');
  if (
    !Array.isArray(p.lines) ||
    !p.lines.every(
      (l) =>
        typeof l?.sku === 'string' &&
        (l.location === null || typeof l.location === 'string') &&
        Number.isSafeInteger(l.quantity) &&
        Number.isSafeInteger(l.amountCents),
    )
  )
    problems.push('lines must each have a sku, a location or null, a whole quantity and whole amountCents');
  if (problems.length > 0)
    throw new PermanentError('validation', `Invalid posting request: ${problems.join('; ')}.`, {
      postingKey: p.postingKey,
    });
  return event as PostingRequestedEvent;
}

/**
 * Books an accounting entry in the ERP and acknowledges it with `finance.posting-acknowledged`. The ERP books
 * each posting key once, so no inbox guards the call: a redelivered, retried or re-requested posting calls
 * again, gets the first entry back (`duplicate: true`), and publishes the acknowledgment again — under the
 * same id (derived from the posting key), so one posting is acknowledged once whatever happened in between.
 * A 5xx or a timeout is retried with the queue's backoff; a 422 (unknown item or site) or an unmapped SKU
 * goes to the dead letters at once.
 */
@Processor('erp.postings', workerOptions('erp.postings'))
export class PostToErpJob extends ReliableWorker<PostToErpPayload> {
  constructor(
    support: WorkerSupport,
    private readonly erp: ErpPort,
  ) {
    super('erp.postings', support);
  }

  protected async handle(job: Job<PostToErpPayload>): Promise<{ erpReference: string; duplicate: boolean }> {
    const event = postingRequested(job.data);
    const { postingKey } = event.payload;
    const booked = await this.erp.post(event.payload);
    await this.support.queues.publish([
      envelope(
        'finance.posting-acknowledged',
        { postingKey, erpReference: booked.erpReference, duplicate: booked.duplicate },
        {
          id: acknowledgmentId(postingKey),
          source: 'system-erp',
          partitionKey: postingKey,
          correlationId: event.correlationId,
          causationId: event.id,
        },
      ),
    ]);
    return booked;
  }
}
