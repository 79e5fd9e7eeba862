import { Processor } from '@nestjs/bullmq';
import type {
  FulfilmentReportedEvent,
  FulfilmentReportedPayload,
  FulfilmentRequestedEvent,
} from '@stockbridge/canonical';
import {
  envelope,
  Inbox,
  PermanentError,
  ReliableWorker,
  WorkerSupport,
  workerOptions,
} from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { WmsPort } from '../wms.port';
import { fulfilmentReportId } from './fulfilment-report-id';

/** A `fulfilment.requested` event (release or cancel), as the process layer published it. */
export type FulfilmentRequestPayload = FulfilmentRequestedEvent;

const CONSUMER = 'system-wms';

/** What the WMS did with a request, in the words of the report. */
export type FulfilmentOutcome = 'released' | 'cancelled' | 'cancel-refused';

/** The job's data as a fulfilment request the WMS can act on; anything else can never succeed. */
export function fulfilmentRequested(data: unknown): FulfilmentRequestedEvent {
  const event = data as Partial<FulfilmentRequestedEvent> | null;
  const p = event?.payload;
  if (event?.type !== 'fulfilment.requested' || typeof event.id !== 'string' || !p)
    throw new PermanentError('validation', 'Not a fulfilment.requested event.');
  const problems: string[] = [];
  if (p.action !== 'release' && p.action !== 'cancel') problems.push('action must be release or cancel');
  if (typeof p.fulfilmentOrderId !== 'string' || p.fulfilmentOrderId === '')
    problems.push('fulfilmentOrderId is missing');
  if (p.action === 'release') {
    if (typeof p.location !== 'string' || p.location === '') problems.push('location is missing');
    if (
      !Array.isArray(p.lines) ||
      p.lines.length === 0 ||
      !p.lines.every((l) => typeof l?.sku === 'string' && Number.isSafeInteger(l.quantity) && l.quantity > 0)
    )
      problems.push('a release needs lines, each with a sku and a positive whole quantity');
  }
  if (problems.length > 0)
    throw new PermanentError('validation', `Invalid fulfilment request: ${problems.join('; ')}.`, {
      fulfilmentOrderId: p.fulfilmentOrderId,
    });
  return event as FulfilmentRequestedEvent;
}

/**
 * The report on a request. Its id and source event derive from the request's id, so a retry or a replay of
 * the request reports under the very same id, and process-allocation applies it once.
 */
export function fulfilmentReport(
  system: string,
  request: FulfilmentRequestedEvent,
  outcome: FulfilmentOutcome,
): FulfilmentReportedEvent {
  const payload: FulfilmentReportedPayload = {
    kind: outcome,
    fulfilmentOrderId: request.payload.fulfilmentOrderId,
    lines: [],
    sourceEventId: request.id,
    detail:
      outcome === 'cancel-refused'
        ? 'The WMS refused the cancellation: units of this order have already shipped.'
        : null,
  };
  return envelope('fulfilment.reported', payload, {
    id: fulfilmentReportId(system, request.id),
    source: 'system-wms',
    partitionKey: request.payload.fulfilmentOrderId,
    correlationId: request.correlationId,
    causationId: request.id,
  });
}

/**
 * Releases a fulfilment order to the WMS, or cancels it there, and reports the outcome as
 * `fulfilment.reported`. The inbox spares a redelivered request the call once it is known to be done; the
 * report is published inside that once-block, before the inbox records the request, so a crash between the
 * call and the report repeats both (the WMS keys orders by the fulfilment order id, and the report's id is
 * fixed) instead of losing the report.
 */
@Processor('wms.fulfilment-requests', workerOptions('wms.fulfilment-requests'))
export class FulfilmentRequestJob extends ReliableWorker<FulfilmentRequestPayload> {
  constructor(
    support: WorkerSupport,
    private readonly inbox: Inbox,
    private readonly wms: WmsPort,
  ) {
    super('wms.fulfilment-requests', support);
  }

  protected async handle(
    job: Job<FulfilmentRequestPayload>,
  ): Promise<{ reported: FulfilmentOutcome | null }> {
    const request = fulfilmentRequested(job.data);
    const outcome = await this.inbox.once(CONSUMER, request, async () => {
      const done = await this.perform(request);
      await this.support.queues.publish([fulfilmentReport(this.wms.system, request, done)]);
      return done;
    });
    // null: this request was handled and reported before.
    return { reported: outcome };
  }

  private async perform(request: FulfilmentRequestedEvent): Promise<FulfilmentOutcome> {
    const p = request.payload;
    switch (p.action) {
      case 'release':
        await this.wms.release(p);
        return 'released';
      case 'cancel':
        return (await this.wms.cancel(p.fulfilmentOrderId)) === 'refused' ? 'cancel-refused' : 'cancelled';
    }
  }
}
