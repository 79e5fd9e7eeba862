import { type DynamicModule, Module } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
} from '@stockbridge/app-platform';
import { ChannelApiReadiness, channelApiProviders } from '@stockbridge/channel-api';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { AvailabilityController } from './availability/availability.controller';
import { OrdersController } from './orders/orders.controller';
import { ProcessAllocationClient } from './process-client/process-allocation.client';
import { ProcessReservationsClient } from './process-client/process-reservations.client';
import { ReservationsController } from './reservations/reservations.controller';
import { StorefrontConfig } from './storefront.config';

/**
 * The storefront experience API (docs/storefront-api.md): reads availability from the read model and calls the
 * process API for everything else. It never touches the ledger.
 */
@Module({})
export class StorefrontModule {
  static forRoot(config: StorefrontConfig): DynamicModule {
    return {
      module: StorefrontModule,
      imports: [
        loggingModule('experience-storefront', config.LOG_LEVEL),
        OperationsModule.forRoot('experience-storefront'),
      ],
      controllers: [
        ...OPERATIONS_CONTROLLERS,
        AvailabilityController,
        ReservationsController,
        OrdersController,
      ],
      providers: [
        { provide: StorefrontConfig, useValue: config },
        // The API keys' pool, Redis, ApiKeys, ApiKeyGate (installed by buildStorefrontApp) and ApiKeyGuard.
        ...channelApiProviders(config, 'experience-storefront'),
        {
          provide: ReadinessProbe,
          inject: [Pool, Redis],
          useFactory: (pg: Pool, redis: Redis) =>
            new ChannelApiReadiness(pg, redis, [
              { name: 'process-reservations', url: config.PROCESS_RESERVATIONS_URL },
            ]),
        },
        {
          provide: AvailabilityReadModel,
          inject: [Redis],
          useFactory: (redis: Redis) => new AvailabilityReadModel(redis, config.REDIS_PREFIX),
        },
        ProcessReservationsClient,
        ProcessAllocationClient,
      ],
    };
  }
}
