import { type DynamicModule, Module } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
  ServiceToken,
} from '@stockbridge/app-platform';
import { MessagingModule, MessagingReadiness } from '@stockbridge/messaging';
import { DatabaseModule } from '@stockbridge/persistence';
import { SandboxOmsAdapter } from './adapters/sandbox-oms.adapter';
import { CreateOrderJob } from './jobs/create-order.job';
import { PollStatusJob, StatusPollSchedule } from './jobs/poll-status.job';
import { StatusCursor } from './jobs/status-cursor';
import { OmsPort } from './oms.port';
import { SystemOmsConfig } from './system-oms.config';

/** The OMS behind a port (docs/architecture.md#layers, system layer). */
@Module({})
export class SystemOmsModule {
  static forRoot(config: SystemOmsConfig): DynamicModule {
    return {
      module: SystemOmsModule,
      imports: [
        loggingModule('system-oms', config.LOG_LEVEL),
        OperationsModule.forRoot('system-oms'),
        DatabaseModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'system-oms',
        }),
        MessagingModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.REDIS_PREFIX,
          queues: ['oms.orders', 'oms.status-polls', 'allocation.order-status'],
          consumes: ['oms.orders', 'oms.status-polls'],
        }),
      ],
      controllers: [...OPERATIONS_CONTROLLERS],
      providers: [
        { provide: SystemOmsConfig, useValue: config },
        { provide: ServiceToken, useValue: new ServiceToken(config.SERVICE_TOKEN) },
        { provide: ReadinessProbe, useClass: MessagingReadiness },
        { provide: OmsPort, useClass: SandboxOmsAdapter },
        CreateOrderJob,
        StatusCursor,
        PollStatusJob,
        StatusPollSchedule,
      ],
    };
  }
}
