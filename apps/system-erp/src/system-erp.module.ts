import { type DynamicModule, Module } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
  ServiceToken,
} from '@stockbridge/app-platform';
import { OnHandController, OnHandSource } from '@stockbridge/integration';
import { MappingModule } from '@stockbridge/mapping';
import { MessagingModule, MessagingReadiness } from '@stockbridge/messaging';
import { DatabaseModule } from '@stockbridge/persistence';
import { SandboxErpAdapter } from './adapters/sandbox-erp.adapter';
import { ErpPort } from './erp.port';
import { CommitReservationJob } from './jobs/commit-reservation.job';
import { PostToErpJob } from './jobs/post-to-erp.job';
import { SystemErpConfig } from './system-erp.config';

/**
 * The ERP behind a port (docs/architecture.md#layers, system layer): commitments and accounting postings from the queues,
 * on-hand snapshots over HTTP.
 */
@Module({})
export class SystemErpModule {
  static forRoot(config: SystemErpConfig): DynamicModule {
    return {
      module: SystemErpModule,
      imports: [
        loggingModule('system-erp', config.LOG_LEVEL),
        OperationsModule.forRoot('system-erp'),
        DatabaseModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'system-erp',
        }),
        MessagingModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.REDIS_PREFIX,
          queues: ['erp.commitments', 'erp.postings', 'finance.posting-results'],
          consumes: ['erp.commitments', 'erp.postings'],
        }),
        MappingModule,
      ],
      controllers: [...OPERATIONS_CONTROLLERS, OnHandController],
      providers: [
        { provide: SystemErpConfig, useValue: config },
        { provide: ServiceToken, useValue: new ServiceToken(config.SERVICE_TOKEN) },
        { provide: ReadinessProbe, useClass: MessagingReadiness },
        // Another ERP product is another adapter class here; nothing else changes.
        { provide: OnHandSource, useExisting: ErpPort },
        { provide: ErpPort, useClass: SandboxErpAdapter },
        CommitReservationJob,
        PostToErpJob,
      ],
    };
  }
}
