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
import { readModelProviders } from '@stockbridge/read-model';
import { ReconciliationSchedule, RunReconciliationJob } from './jobs/run-reconciliation.job';
import { ProcessReconciliationConfig } from './process-reconciliation.config';
import { LocationPoliciesController } from './reconciliation/location-policies.controller';
import { LocationPolicies } from './reconciliation/location-policy.service';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationMetrics } from './reconciliation/reconciliation-metrics';
import { ReconciliationRepository } from './reconciliation/reconciliation.repository';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { SnapshotClient } from './reconciliation/snapshot.client';
import { CorrectionPolicy, LocationCorrectionPolicy } from './reconciliation/variance';

/** Reconciliation (docs/workflows.md#reconciliation): ERP, WMS, ledger and channel figures compared, variance ranked, corrections journaled. */
@Module({})
export class ProcessReconciliationModule {
  static forRoot(config: ProcessReconciliationConfig): DynamicModule {
    return {
      module: ProcessReconciliationModule,
      imports: [
        loggingModule('process-reconciliation', config.LOG_LEVEL),
        OperationsModule.forRoot('process-reconciliation'),
        LedgerModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'process-reconciliation',
        }),
        MessagingModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.REDIS_PREFIX,
          queues: ['reconciliation.runs'],
          consumes: ['reconciliation.runs'],
        }),
      ],
      controllers: [...OPERATIONS_CONTROLLERS, ReconciliationController, LocationPoliciesController],
      providers: [
        { provide: ProcessReconciliationConfig, useValue: config },
        { provide: ServiceToken, useValue: new ServiceToken(config.SERVICE_TOKEN) },
        { provide: ReadinessProbe, useClass: MessagingReadiness },
        ...readModelProviders(config.REDIS_URL, config.REDIS_PREFIX),
        { provide: CorrectionPolicy, useClass: LocationCorrectionPolicy },
        SnapshotClient,
        ReconciliationRepository,
        ReconciliationMetrics,
        ReconciliationService,
        LocationPolicies,
        RunReconciliationJob,
        ReconciliationSchedule,
      ],
    };
  }
}
