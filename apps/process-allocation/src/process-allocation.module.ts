import { type DynamicModule, Module } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
  ServiceToken,
} from '@stockbridge/http';
import { LedgerModule } from '@stockbridge/ledger';
import { MessagingModule, MessagingReadiness } from '@stockbridge/messaging';
import {
  DailySummaryJob,
  DailySummarySchedule,
  FulfilmentReportJob,
  OrderStatusJob,
  PlaceOrderJob,
  PostingResultJob,
} from './jobs/order-jobs';
import { AllocationService } from './orders/allocation.service';
import { OrdersController } from './orders/orders.controller';
import { ProcessAllocationConfig } from './process-allocation.config';
import { FulfilmentSourcing, NearestSingleLocationSourcing } from './sourcing/fulfilment-sourcing';

const CONSUMES = [
  'allocation.orders',
  'allocation.fulfilment-reports',
  'allocation.order-status',
  'finance.posting-results',
  'finance.daily-summaries',
] as const;

/** Allocation and fulfilment, the order lifecycle and sales postings (DESIGN.md §2 process layer, issue 4). */
@Module({})
export class ProcessAllocationModule {
  static forRoot(config: ProcessAllocationConfig): DynamicModule {
    return {
      module: ProcessAllocationModule,
      imports: [
        loggingModule('process-allocation', config.LOG_LEVEL),
        OperationsModule.forRoot('process-allocation'),
        LedgerModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'process-allocation',
        }),
        MessagingModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.REDIS_PREFIX,
          queues: [...CONSUMES],
          consumes: [...CONSUMES],
          relay: { pollMs: config.OUTBOX_POLL_MS },
        }),
      ],
      controllers: [...OPERATIONS_CONTROLLERS, OrdersController],
      providers: [
        { provide: ProcessAllocationConfig, useValue: config },
        { provide: ServiceToken, useValue: new ServiceToken(config.SERVICE_TOKEN) },
        { provide: ReadinessProbe, useClass: MessagingReadiness },
        // Another sourcing policy is another class here; nothing else changes.
        { provide: FulfilmentSourcing, useClass: NearestSingleLocationSourcing },
        AllocationService,
        PlaceOrderJob,
        FulfilmentReportJob,
        OrderStatusJob,
        PostingResultJob,
        DailySummaryJob,
        DailySummarySchedule,
      ],
    };
  }
}
