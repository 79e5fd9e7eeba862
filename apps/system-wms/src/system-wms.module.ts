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
import { SandboxWmsAdapter } from './adapters/sandbox-wms.adapter';
import { FulfilmentRequestJob } from './jobs/fulfilment-request.job';
import { TranslateWmsEventJob } from './jobs/translate-wms-event.job';
import { SystemWmsConfig } from './system-wms.config';
import { WmsWebhookController } from './webhooks/wms-webhook.controller';
import { WmsPort } from './wms.port';

/**
 * The WMS behind a port (docs/architecture.md#layers, system layer): signed webhooks in, canonical stock movements and
 * fulfilment reports out; fulfilment orders released and cancelled from the queue.
 */
@Module({})
export class SystemWmsModule {
  static forRoot(config: SystemWmsConfig): DynamicModule {
    return {
      module: SystemWmsModule,
      imports: [
        loggingModule('system-wms', config.LOG_LEVEL),
        OperationsModule.forRoot('system-wms'),
        DatabaseModule.forRoot({
          databaseUrl: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'system-wms',
        }),
        MessagingModule.forRoot({
          redisUrl: config.REDIS_URL,
          prefix: config.REDIS_PREFIX,
          queues: [
            'wms.inbound-events',
            'inventory.stock-moved',
            'wms.fulfilment-requests',
            'allocation.fulfilment-reports',
          ],
          consumes: ['wms.inbound-events', 'wms.fulfilment-requests'],
        }),
        MappingModule,
      ],
      controllers: [...OPERATIONS_CONTROLLERS, WmsWebhookController, OnHandController],
      providers: [
        { provide: SystemWmsConfig, useValue: config },
        { provide: ServiceToken, useValue: new ServiceToken(config.SERVICE_TOKEN) },
        { provide: ReadinessProbe, useClass: MessagingReadiness },
        { provide: OnHandSource, useExisting: WmsPort },
        { provide: WmsPort, useClass: SandboxWmsAdapter },
        TranslateWmsEventJob,
        FulfilmentRequestJob,
      ],
    };
  }
}
