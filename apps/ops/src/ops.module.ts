import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
} from '@stockbridge/app-platform';
import { MappingModule } from '@stockbridge/mapping';
import { MessagingModule, MessagingReadiness, QUEUE_NAMES } from '@stockbridge/messaging';
import { StockExceptions } from '@stockbridge/ledger';
import { Db, DatabaseModule } from '@stockbridge/persistence';
import { AuditController } from './audit/audit.controller';
import { AdminGuard } from './auth/admin.guard';
import { AdminCredentials } from './auth/admin-credentials';
import { DeadLetterOperations } from './dead-letters/dead-letter-operations.service';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { MappingAdmin } from './mappings/mapping-admin.service';
import { MappingsController } from './mappings/mappings.controller';
import { OpsMarketplaceModule } from './marketplace/ops-marketplace.module';
import { OpsConfig } from './ops.config';
import { QueuesController } from './queues/queues.controller';
import { OpsReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationGateway } from './reconciliation/reconciliation.gateway';
import { StockExceptionsController } from './stock-exceptions/stock-exceptions.controller';

/**
 * The control plane (docs/architecture.md#layers): dead letters, mappings, the audit log and the queues of every layer,
 * for operators holding an admin token. It runs no workers: it only administers the queues.
 */
@Module({})
export class OpsModule {
  static forRoot(config: OpsConfig): DynamicModule {
    return {
      module: OpsModule,
      imports: [
        loggingModule('ops', config.LOG_LEVEL),
        OperationsModule.forRoot('ops'),
        DatabaseModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'ops',
        }),
        MessagingModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.REDIS_PREFIX,
          queues: QUEUE_NAMES,
        }),
        MappingModule,
        OpsMarketplaceModule,
      ],
      controllers: [
        ...OPERATIONS_CONTROLLERS,
        DeadLettersController,
        AuditController,
        MappingsController,
        QueuesController,
        OpsReconciliationController,
        StockExceptionsController,
      ],
      providers: [
        { provide: OpsConfig, useValue: config },
        { provide: AdminCredentials, useFactory: () => config.adminCredentials() },
        { provide: APP_GUARD, useClass: AdminGuard },
        { provide: ReadinessProbe, useClass: MessagingReadiness },
        DeadLetterOperations,
        MappingAdmin,
        ReconciliationGateway,
        { provide: StockExceptions, inject: [Db], useFactory: (db: Db) => new StockExceptions(db) },
      ],
    };
  }
}
