import { Injectable } from '@nestjs/common';
import type { FulfilmentLine } from '@stockbridge/canonical';
import { deterministicEventId, envelope, writeOutbox } from '@stockbridge/messaging';
import type { PoolClient } from 'pg';
import { ALLOCATION_SOURCE, type FulfilmentOrder } from './order';
import { OrderRepository } from './order.repository';

export type FulfilmentAction = 'release' | 'cancel';

/**
 * What the order workflows ask of the WMS: `fulfilment.requested` events written to the outbox in the
 * caller's transaction (system-wms carries them to the WMS). One release and at most one cancellation per
 * fulfilment order, whatever the retries.
 */
@Injectable()
export class FulfilmentRequests {
  constructor(private readonly orders: OrderRepository) {}

  /** Asks the WMS to release every fulfilment order of the order that is still only allocated. */
  async releaseUnreleased(sql: PoolClient, orderId: string, correlationId: string | null): Promise<void> {
    await this.ask(sql, 'release', await this.orders.unreleased(sql, orderId), correlationId);
  }

  /** Writes one request per fulfilment order, with its open units. */
  async ask(
    sql: PoolClient,
    action: FulfilmentAction,
    fos: FulfilmentOrder[],
    correlationId: string | null,
  ): Promise<void> {
    const events = [];
    for (const fo of fos) {
      const open = (await this.orders.lines(sql, fo.id)).filter((l) => l.open > 0);
      events.push(
        fulfilmentRequest(
          action,
          fo,
          open.map((l) => ({ sku: l.sku, quantity: l.open })),
          correlationId,
        ),
      );
    }
    await writeOutbox(sql, events);
  }

  /** Asks the WMS to drop a fulfilment order cancelled here while its release was on the way. */
  async cancelReleased(sql: PoolClient, fo: FulfilmentOrder, correlationId: string | null): Promise<void> {
    await writeOutbox(sql, [fulfilmentRequest('cancel', fo, [], correlationId)]);
  }
}

function fulfilmentRequest(
  action: FulfilmentAction,
  fo: FulfilmentOrder,
  lines: FulfilmentLine[],
  correlationId: string | null,
) {
  return envelope(
    'fulfilment.requested',
    {
      action,
      fulfilmentOrderId: fo.id,
      orderId: fo.orderId,
      channel: fo.channel,
      location: fo.location,
      lines,
      shipTo: fo.shipTo,
    },
    {
      // One release and at most one cancellation per fulfilment order.
      id: deterministicEventId(`fulfilment/${fo.id}/${action}`),
      source: ALLOCATION_SOURCE,
      partitionKey: fo.orderId,
      correlationId: correlationId ?? fo.correlationId,
    },
  );
}
