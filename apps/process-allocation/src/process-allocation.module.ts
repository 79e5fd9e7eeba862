import { type DynamicModule, Module } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
  ServiceToken,
} from '@stockbridge/app-platform';
import { LedgerModule } from '@stockbridge/ledger';
import { MessagingModule, MessagingReadiness } from '@stockbridge/messaging';
import { DailySummaryJob, DailySummarySchedule } from './jobs/daily-summary.job';
import { FulfilmentReportJob } from './jobs/fulfilment-report.job';
import { OrderStatusJob } from './jobs/order-status.job';
import { PlaceOrderJob } from './jobs/place-order.job';
import { PostingResultJob } from './jobs/posting-result.job';
import { FulfilmentReportService } from './orders/fulfilment-report.service';
import { FulfilmentRequests } from './orders/fulfilment-requests';
import { OrderCancellationService } from './orders/order-cancellation.service';
import { OrderPlacementService } from './orders/order-placement.service';
import { OrderSettlementService } from './orders/order-settlement.service';
import { OrderSourcing } from './orders/order-sourcing';
import { OrderRepository } from './orders/order.repository';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { ProcessAllocationConfig } from './process-allocation.config';
import { FulfilmentSourcing, NearestSingleLocationSourcing } from './sourcing/fulfilment-sourcing';

const CONSUMES = [
  'allocation.orders',
  'allocation.fulfilment-reports',
  'allocation.order-status',
  'finance.posting-results',
  'finance.daily-summaries',
] as const;

/** Allocation and fulfilment, the order lifecycle and sales postings (process layer: docs/architecture.md#layers, issue 4). */
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
        OrderRepository,
        OrderSourcing,
        FulfilmentRequests,
        OrderPlacementService,
        FulfilmentReportService,
        OrderCancellationService,
        OrderSettlementService,
        OrdersService,
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
