import { type DynamicModule, Module } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
  ServiceToken,
} from '@stockbridge/app-platform';
import { LedgerModule } from '@stockbridge/ledger';
import { ReturnsReadiness } from './infra/readiness';
import { ProcessReturnsConfig } from './process-returns.config';
import { ReturnsController } from './returns/returns.controller';
import { ReturnsService } from './returns/returns.service';
import { RmaRepository } from './returns/rma.repository';

/**
 * Returns (docs/architecture.md#layers, process layer): RMAs received into quality control, graded, restocked. Its events
 * (postings for the ERP) go to the shared outbox, which the other process apps' relays publish: no queues here.
 */
@Module({})
export class ProcessReturnsModule {
  static forRoot(config: ProcessReturnsConfig): DynamicModule {
    return {
      module: ProcessReturnsModule,
      imports: [
        loggingModule('process-returns', config.LOG_LEVEL),
        OperationsModule.forRoot('process-returns'),
        LedgerModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'process-returns',
        }),
      ],
      controllers: [...OPERATIONS_CONTROLLERS, ReturnsController],
      providers: [
        { provide: ProcessReturnsConfig, useValue: config },
        { provide: ServiceToken, useValue: new ServiceToken(config.SERVICE_TOKEN) },
        { provide: ReadinessProbe, useClass: ReturnsReadiness },
        RmaRepository,
        ReturnsService,
      ],
    };
  }
}
