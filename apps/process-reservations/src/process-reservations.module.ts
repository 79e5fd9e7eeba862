import { type DynamicModule, Module } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
  ServiceToken,
} from '@stockbridge/app-platform';
import { LedgerModule } from '@stockbridge/ledger';
import { MessagingModule } from '@stockbridge/messaging';
import { readModelProviders } from '@stockbridge/read-model';
import { AvailabilityController } from './availability/availability.controller';
import { AvailabilityPublisher } from './availability/availability-publisher.service';
import { CrashHooks } from './infra/crash-hooks';
import { ProcessReadiness } from './infra/readiness';
import { ApplyStockMovementJob } from './jobs/apply-stock-movement.job';
import { MovementsController } from './movements/movements.controller';
import { ProcessReservationsConfig } from './process-reservations.config';
import { ExpirySweeper } from './reservations/expiry-sweeper.service';
import { ReservationMetrics } from './reservations/reservation-metrics';
import { ReservationsController } from './reservations/reservations.controller';
import { StoreStockController } from './stores/store-stock.controller';
import { StoreTransactionsController } from './stores/store-transactions.controller';

/** Availability, reservations and the inventory ledger (docs/architecture.md#layers, process layer). */
@Module({})
export class ProcessReservationsModule {
  static forRoot(config: ProcessReservationsConfig): DynamicModule {
    return {
      module: ProcessReservationsModule,
      imports: [
        loggingModule('process-reservations', config.LOG_LEVEL),
        OperationsModule.forRoot('process-reservations'),
        LedgerModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'process-reservations',
          faults: new CrashHooks(),
        }),
        MessagingModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.REDIS_PREFIX,
          // Produces reservation events (through the outbox) and consumes reported stock movements.
          queues: ['inventory.stock-moved', 'erp.commitments', 'oms.orders'],
          consumes: ['inventory.stock-moved'],
          relay: { pollMs: config.OUTBOX_POLL_MS },
        }),
      ],
      controllers: [
        ...OPERATIONS_CONTROLLERS,
        ReservationsController,
        MovementsController,
        AvailabilityController,
        StoreTransactionsController,
        StoreStockController,
      ],
      providers: [
        { provide: ProcessReservationsConfig, useValue: config },
        { provide: ServiceToken, useValue: new ServiceToken(config.SERVICE_TOKEN) },
        ...readModelProviders(config.REDIS_URL, config.REDIS_PREFIX),
        { provide: ReadinessProbe, useClass: ProcessReadiness },
        AvailabilityPublisher,
        ExpirySweeper,
        ReservationMetrics,
        ApplyStockMovementJob,
      ],
    };
  }
}
