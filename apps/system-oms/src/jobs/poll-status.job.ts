import { Processor } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { isUuid, type OrderStatusReportedEvent } from '@stockbridge/canonical';
import {
  deterministicEventId,
  envelope,
  QueueRegistry,
  ReliableWorker,
  WaitError,
  WorkerSupport,
  workerOptions,
  scheduleCommand,
} from '@stockbridge/messaging';
import { OmsPort, type OmsStatusChange } from '../oms.port';
import { SystemOmsConfig } from '../system-oms.config';
import { StatusCursor } from './status-cursor';

const SOURCE = 'system-oms';
export const STATUS_POLL_SCHEDULER = 'oms-status-poll';

/** The event of one status change: its id is derived from the change, so polling it again yields the same job. */
export function statusReportedEvent(change: OmsStatusChange): OrderStatusReportedEvent {
  const name = `${change.orderRef}/${change.status}/${change.changedAt}`;
  const id = deterministicEventId(`oms/status/${name}`);
  return envelope(
    'order.status-reported',
    {
      orderId: change.orderRef,
      source: 'oms',
      nativeStatus: change.status,
      sourceEventId: `${change.orderRef}:${change.status}:${change.changedAt}`,
    },
    {
      id,
      source: SOURCE,
      partitionKey: change.orderRef,
      occurredAt: new Date(change.changedAt),
      // A change in the OMS starts its own chain; deterministic, like the id.
      correlationId: id,
    },
  );
}

/**
 * The changes worth reporting: orders of ours (the reference is an order id, a UUID) that the OMS moved from
 * the status it created them with. Another system's orders and our own creation are not news.
 */
export function statusReportedEvents(changes: OmsStatusChange[]): OrderStatusReportedEvent[] {
  return changes.filter((c) => !c.initial && isUuid(c.orderRef)).map(statusReportedEvent);
}

/** Where the next poll starts: the latest change seen (the OMS answers at-or-after, so it comes again). */
export function nextCursor(cursor: string, changes: OmsStatusChange[]): string {
  return changes.reduce((max, c) => (c.changedAt > max ? c.changedAt : max), cursor);
}

/** How far before the cursor a poll starts reading. */
export const POLL_OVERLAP_MS = 5_000;

export function overlapped(cursor: string): string {
  return new Date(Date.parse(cursor) - POLL_OVERLAP_MS).toISOString();
}

/**
 * One poll of the OMS: the status changes since the cursor become `order.status-reported` events for
 * process-allocation, then the cursor moves to the latest change. A poll that dies before moving the cursor
 * is repeated by the next one; the events' ids make the repeat a no-op (job id, then the consumer's inbox).
 */
@Processor('oms.status-polls', workerOptions('oms.status-polls'))
export class PollStatusJob extends ReliableWorker<unknown> {
  constructor(
    support: WorkerSupport,
    private readonly queues: QueueRegistry,
    private readonly oms: OmsPort,
    private readonly cursor: StatusCursor,
  ) {
    super('oms.status-polls', support);
  }

  protected async handle() {
    const since = await this.cursor.current();
    let changes: OmsStatusChange[];
    try {
      // Read a little before the cursor: an OMS write whose transaction committed after the last poll read
      // past its timestamp is caught on the next one (the repeats are the same events, so no-ops).
      changes = await this.oms.statusChanges(overlapped(since));
    } catch (err) {
      // Circuit open or rate-limited: the next tick is the retry (this queue has no limiter to pause).
      if (err instanceof WaitError) return { since, skipped: err.message };
      throw err;
    }
    const events = statusReportedEvents(changes);
    if (events.length) await this.queues.publish(events);
    const cursor = nextCursor(since, changes);
    if (cursor !== since) await this.cursor.advance(cursor);
    return { since, cursor, changes: changes.length, published: events.length };
  }
}

/** Registers the poll with BullMQ's job scheduler (one poll per tick across replicas). */
@Injectable()
export class StatusPollSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly config: SystemOmsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.OMS_STATUS_POLL_MS;
    await scheduleCommand(
      this.queues,
      'oms.status-polls',
      STATUS_POLL_SCHEDULER,
      every === 0 ? null : { every },
      {
        name: 'oms.status-poll',
      },
    );
  }
}
