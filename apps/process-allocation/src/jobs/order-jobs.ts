import { Processor } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type {
  FulfilmentReportedEvent,
  OrderStatusReportedEvent,
  PostingAcknowledgedEvent,
} from '@stockbridge/canonical';
import {
  Inbox,
  PermanentError,
  QueueRegistry,
  ReliableWorker,
  reservationConfirmed,
  WorkerSupport,
  workerOptions,
  scheduleCommand,
} from '@stockbridge/messaging';
import { businessDate } from '@stockbridge/orders';
import { Db } from '@stockbridge/persistence';
import type { Job } from 'bullmq';
import { AllocationService, OrderError, SOURCE } from '../orders/allocation.service';
import { ProcessAllocationConfig } from '../process-allocation.config';

const REPORT_KINDS = new Set(['released', 'shipped', 'short-picked', 'cancelled', 'cancel-refused']);

/** Checks a fulfilment report's shape; a malformed one can never succeed (dead letter at once). */
export function fulfilmentReport(data: unknown): FulfilmentReportedEvent {
  const e = data as Partial<FulfilmentReportedEvent> | null;
  const p = e?.payload;
  const problems: string[] = [];
  if (!e || e.type !== 'fulfilment.reported' || typeof e.id !== 'string')
    problems.push('not a fulfilment.reported envelope');
  else if (!p) problems.push('payload missing');
  else {
    if (!REPORT_KINDS.has(p.kind)) problems.push(`unknown kind "${String(p.kind)}"`);
    if (typeof p.fulfilmentOrderId !== 'string' || !/^[0-9a-f-]{36}$/i.test(p.fulfilmentOrderId))
      problems.push('fulfilmentOrderId must be a UUID');
    if (typeof p.sourceEventId !== 'string' || p.sourceEventId.length === 0)
      problems.push('sourceEventId missing');
    if (!Array.isArray(p.lines)) problems.push('lines must be an array');
    else if (
      p.lines.some((l) => typeof l?.sku !== 'string' || !Number.isSafeInteger(l.quantity) || l.quantity <= 0)
    )
      problems.push('every line needs a sku and a quantity > 0');
    if ((p.kind === 'shipped' || p.kind === 'short-picked') && Array.isArray(p.lines) && p.lines.length === 0)
      problems.push(`a ${p.kind} report needs lines`);
  }
  if (problems.length)
    throw new PermanentError('validation', `Invalid fulfilment report: ${problems.join('; ')}.`);
  return e as FulfilmentReportedEvent;
}

/** reservation.confirmed → an order, sourced into fulfilment orders, allocated and released. */
@Processor('allocation.orders', workerOptions('allocation.orders'))
export class PlaceOrderJob extends ReliableWorker<unknown> {
  constructor(
    support: WorkerSupport,
    private readonly allocation: AllocationService,
  ) {
    super('allocation.orders', support);
  }

  protected async handle(job: Job<unknown>) {
    return this.allocation.place(reservationConfirmed(job.data));
  }
}

/** What the WMS did with a fulfilment order. */
@Processor('allocation.fulfilment-reports', workerOptions('allocation.fulfilment-reports'))
export class FulfilmentReportJob extends ReliableWorker<unknown> {
  constructor(
    support: WorkerSupport,
    private readonly allocation: AllocationService,
  ) {
    super('allocation.fulfilment-reports', support);
  }

  protected async handle(job: Job<unknown>) {
    return this.allocation.report(fulfilmentReport(job.data));
  }
}

/** An order status reported by the OMS or a channel, once per event. */
@Processor('allocation.order-status', workerOptions('allocation.order-status'))
export class OrderStatusJob extends ReliableWorker<unknown> {
  constructor(
    support: WorkerSupport,
    private readonly allocation: AllocationService,
    private readonly inbox: Inbox,
    private readonly db: Db,
  ) {
    super('allocation.order-status', support);
  }

  protected async handle(job: Job<unknown>) {
    const e = job.data as Partial<OrderStatusReportedEvent> | null;
    const p = e?.payload;
    if (e?.type !== 'order.status-reported' || !p?.orderId || !p.source || !p.nativeStatus)
      throw new PermanentError('validation', 'Not an order.status-reported event.');
    const event = e as OrderStatusReportedEvent;
    if (await this.inbox.handled(SOURCE, event.id)) return { skipped: true };
    try {
      const out = await this.allocation.reportStatus(p.orderId, p.source, p.nativeStatus);
      await this.inbox.record(SOURCE, event);
      return out;
    } catch (err) {
      if (err instanceof OrderError) {
        throw new PermanentError(err.code === 'unmapped-status' ? 'unmapped' : 'validation', err.message, {
          source: p.source,
          status: p.nativeStatus,
        });
      }
      throw err;
    }
  }
}

/** The ERP booked a posting: record it, and settle orders whose sales are then all booked. */
@Processor('finance.posting-results', workerOptions('finance.posting-results'))
export class PostingResultJob extends ReliableWorker<unknown> {
  constructor(
    support: WorkerSupport,
    private readonly allocation: AllocationService,
  ) {
    super('finance.posting-results', support);
  }

  protected async handle(job: Job<unknown>) {
    const e = job.data as Partial<PostingAcknowledgedEvent> | null;
    const p = e?.payload;
    if (
      e?.type !== 'finance.posting-acknowledged' ||
      typeof p?.postingKey !== 'string' ||
      typeof p.erpReference !== 'string'
    )
      throw new PermanentError('validation', 'Not a finance.posting-acknowledged event.');
    const settled = await this.allocation.acknowledgePosting(p.postingKey, p.erpReference);
    return { orders: settled.length };
  }
}

/** Books yesterday's (and any earlier unbooked) daily summaries. */
@Processor('finance.daily-summaries', workerOptions('finance.daily-summaries'))
export class DailySummaryJob extends ReliableWorker<unknown> {
  constructor(
    support: WorkerSupport,
    private readonly allocation: AllocationService,
  ) {
    super('finance.daily-summaries', support);
  }

  protected async handle() {
    const keys = await this.allocation.summariseDay(businessDate());
    return { summaries: keys };
  }
}

/** One scheduler id across replicas: BullMQ makes one job per tick. */
@Injectable()
export class DailySummarySchedule implements OnApplicationBootstrap {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly config: ProcessAllocationConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const cron = this.config.POSTING_SUMMARY_CRON;
    await scheduleCommand(
      this.queues,
      'finance.daily-summaries',
      'daily-summaries',
      cron ? { pattern: cron, tz: 'UTC' } : null,
      { name: 'finance.daily-summary' },
    );
  }
}
