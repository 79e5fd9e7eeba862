import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AvailabilityReadModel } from './availability-read-model';
import { connectRedis } from './redis';

@Injectable()
class ReadModelRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** The read model's Redis connection (fail-fast, closed at shutdown) and the `AvailabilityReadModel` over it. */
export function readModelProviders(redisUrl: string, prefix: string): Provider[] {
  return [
    { provide: Redis, useFactory: () => connectRedis(redisUrl) },
    ReadModelRedisCloser,
    {
      provide: AvailabilityReadModel,
      inject: [Redis],
      useFactory: (redis: Redis) => new AvailabilityReadModel(redis, prefix),
    },
  ];
}
