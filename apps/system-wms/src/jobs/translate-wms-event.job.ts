import { Processor } from '@nestjs/bullmq';
import {
  deterministicEventId,
  envelope,
  PermanentError,
  ReliableWorker,
  WorkerSupport,
  workerOptions,
} from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { type WmsInboundEvent, WmsPort } from '../wms.port';
import { fulfilmentReportId } from './fulfilment-report-id';

/** A verified WMS webhook as queued by the webhook controller. */
export interface TranslateWmsEventPayload {
  correlationId: string;
  receivedAt: string;
  event: WmsInboundEvent;
}

/**
 * Turns a WMS event into canonical `inventory.stock-moved` events and, for our fulfilment orders,
 * `fulfilment.reported` events (shipped, short-picked). Their ids derive from the WMS event id, so a
 * redelivered webhook, a retried job or a replay publishes the very same events, and the consumers' inbox
 * applies each once. An event for an unmapped item or warehouse is quarantined in the dead letters until
 * the mapping exists, then replayed.
 */
@Processor('wms.inbound-events', workerOptions('wms.inbound-events'))
export class TranslateWmsEventJob extends ReliableWorker<TranslateWmsEventPayload> {
  constructor(
    support: WorkerSupport,
    private readonly wms: WmsPort,
  ) {
    super('wms.inbound-events', support);
  }

  protected async handle(job: Job<TranslateWmsEventPayload>): Promise<{ published: number }> {
    const data = job.data;
    if (!data?.event?.eventId) throw new PermanentError('validation', 'Job carries no WMS event.');
    const { movements, reports } = await this.wms.translate(data.event);
    const moved = movements.map((m) =>
      envelope(
        'inventory.stock-moved',
        { ...m, sourceSystem: this.wms.system },
        {
          id: deterministicEventId(`${this.wms.system}/${m.sourceEventId}`),
          source: 'system-wms',
          partitionKey: m.sku,
          correlationId: data.correlationId,
          causationId: data.event.eventId,
          occurredAt: new Date(data.event.occurredAt),
        },
      ),
    );
    const reported = reports.map((r) =>
      envelope('fulfilment.reported', r, {
        id: fulfilmentReportId(this.wms.system, r.sourceEventId),
        source: 'system-wms',
        partitionKey: r.fulfilmentOrderId,
        correlationId: data.correlationId,
        causationId: data.event.eventId,
        occurredAt: new Date(data.event.occurredAt),
      }),
    );
    const events = [...moved, ...reported];
    await this.support.queues.publish(events);
    return { published: events.length };
  }
}
