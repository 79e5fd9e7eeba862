import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiKeys } from '@stockbridge/api-keys';
import {
  loggingModule,
  Metrics,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
} from '@stockbridge/app-platform';
import { AvailabilityReadModel, connectRedis } from '@stockbridge/read-model';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { ApiKeyGuard } from './auth/api-key.guard';
import { RequestGate } from './auth/request-gate.service';
import { AvailabilityController } from './availability/availability.controller';
import { StorefrontReadiness } from './infra/readiness';
import { OrdersController } from './orders/orders.controller';
import { ProcessAllocationClient } from './process-client/process-allocation.client';
import { ProcessReservationsClient } from './process-client/process-reservations.client';
import { ReservationsController } from './reservations/reservations.controller';
import { StorefrontConfig } from './storefront.config';

@Injectable()
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(Pool) private readonly pg: Pool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), this.pg.end()]);
  }
}

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
        {
          provide: Pool,
          // Only the API keys come from PostgreSQL here: the active ones are held in memory (ApiKeys).
          useFactory: () => {
            const pool = new Pool({
              connectionString: config.DATABASE_URL,
              max: 5,
              application_name: 'experience-storefront',
              // An unreachable database must not hold requests: ApiKeys keeps using the keys it has.
              connectionTimeoutMillis: 5_000,
            });
            // Without a listener, an idle connection closed by the server (restart, failover) ends the process.
            pool.on('error', (err) =>
              new Logger('ApiKeyPool').warn(`idle PostgreSQL connection lost: ${err.message}`),
            );
            return pool;
          },
        },
        { provide: Redis, useFactory: () => connectRedis(config.REDIS_URL) },
        ConnectionsCloser,
        { provide: ReadinessProbe, useClass: StorefrontReadiness },
        {
          provide: ApiKeys,
          inject: [Pool],
          useFactory: (pool: Pool) => {
            const log = new Logger('ApiKeys');
            return new ApiKeys(pool, config.API_KEY_CACHE_MS, {
              onStaleSet: (err) =>
                log.warn(
                  `API keys not reloaded, using the last loaded set: ${err instanceof Error ? err.message : String(err)}`,
                ),
            });
          },
        },
        {
          provide: RequestGate,
          inject: [ApiKeys, Metrics],
          // Its own Redis connection: a short command timeout lets requests through when Redis hangs.
          useFactory: async (clients: ApiKeys, metrics: Metrics) =>
            new RequestGate(
              config,
              clients,
              metrics,
              await connectRedis(config.REDIS_URL, { commandTimeout: 500 }),
            ),
        },
        {
          provide: AvailabilityReadModel,
          inject: [Redis],
          useFactory: (redis: Redis) => new AvailabilityReadModel(redis, config.REDIS_PREFIX),
        },
        ProcessReservationsClient,
        ProcessAllocationClient,
        ApiKeyGuard,
      ],
    };
  }
}
