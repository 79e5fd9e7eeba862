import { Processor } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  QueueRegistry,
  ReliableWorker,
  scheduleCommand,
  WorkerSupport,
  workerOptions,
} from '@stockbridge/messaging';
import { businessDate } from '@stockbridge/orders';
import { OrderSettlementService } from '../orders/order-settlement.service';
import { ProcessAllocationConfig } from '../process-allocation.config';

/** A tick of the schedule carries nothing: the job books every day before today that is still unbooked. */
export type DailySummaryPayload = Record<string, never>;

/** Books yesterday's (and any earlier unbooked) daily summaries. */
@Processor('finance.daily-summaries', workerOptions('finance.daily-summaries'))
export class DailySummaryJob extends ReliableWorker<DailySummaryPayload> {
  constructor(
    support: WorkerSupport,
    private readonly settlement: OrderSettlementService,
  ) {
    super('finance.daily-summaries', support);
  }

  protected async handle(): Promise<{ summaries: string[] }> {
    const keys = await this.settlement.summariseDay(businessDate());
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
    const data: DailySummaryPayload = {};
    await scheduleCommand(
      this.queues,
      'finance.daily-summaries',
      'daily-summaries',
      cron ? { pattern: cron, tz: 'UTC' } : null,
      { name: 'finance.daily-summary', data },
    );
  }
}
