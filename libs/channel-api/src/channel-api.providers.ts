import { Inject, Injectable, Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ApiKeys } from '@stockbridge/api-keys';
import { Metrics } from '@stockbridge/app-platform';
import { connectRedis } from '@stockbridge/read-model';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { ApiKeyGate } from './api-key.gate';
import { ApiKeyGuard } from './api-key.guard';
import type { ChannelApiConfig } from './channel-api.config';

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
 * What every channel API's module provides for its front door: the PostgreSQL pool its API keys are read from
 * (the only table it reads), a Redis connection, the API keys held in memory, the ApiKeyGate (authentication and
 * rate limits; install it with `app.get(ApiKeyGate).install(fastify)`) and the ApiKeyGuard of its controllers.
 */
export function channelApiProviders(config: ChannelApiConfig, appName: string): Provider[] {
  return [
    {
      provide: Pool,
      // Only the API keys come from PostgreSQL here: the active ones are held in memory (ApiKeys).
      useFactory: () => {
        const pool = new Pool({
          connectionString: config.DATABASE_URL,
          max: 5,
          application_name: appName,
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
      provide: ApiKeyGate,
      inject: [ApiKeys, Metrics],
      // Its own Redis connection: a short command timeout lets requests through when Redis hangs.
      useFactory: async (clients: ApiKeys, metrics: Metrics) =>
        new ApiKeyGate(
          config,
          clients,
          metrics,
          await connectRedis(config.REDIS_URL, { commandTimeout: 500 }),
        ),
    },
    ApiKeyGuard,
  ];
}
