import { type DynamicModule, Module } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
} from '@stockbridge/app-platform';
import { ChannelApiReadiness, channelApiProviders } from '@stockbridge/channel-api';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { PickupDeadlines } from './pickups/pickup-deadlines';
import { PickupsController } from './pickups/pickups.controller';
import { PosConfig } from './pos.config';
import { ProcessReservationsClient } from './process-client/process-reservations.client';
import { StockController } from './stock/stock.controller';
import { TransactionsController } from './transactions/transactions.controller';

/**
 * The POS experience API (docs/channels/pos.md): the stores' tills post their transactions, read their stock and
 * their neighbours', and hold units for click-and-collect. Everything goes to process-reservations; it never
 * touches the ledger.
 */
@Module({})
export class PosModule {
  static forRoot(config: PosConfig): DynamicModule {
    return {
      module: PosModule,
      imports: [
        loggingModule('experience-pos', config.LOG_LEVEL),
        OperationsModule.forRoot('experience-pos'),
      ],
      controllers: [...OPERATIONS_CONTROLLERS, TransactionsController, StockController, PickupsController],
      providers: [
        { provide: PosConfig, useValue: config },
        ...channelApiProviders(config, 'experience-pos'),
        // Ready when the API keys' database, Redis (rate limits, pickup deadlines) and process-reservations answer.
        {
          provide: ReadinessProbe,
          inject: [Pool, Redis],
          useFactory: (pg: Pool, redis: Redis) =>
            new ChannelApiReadiness(pg, redis, [
              { name: 'process-reservations', url: config.PROCESS_RESERVATIONS_URL },
            ]),
        },
        ProcessReservationsClient,
        PickupDeadlines,
      ],
    };
  }
}
