import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';

const log = new Logger('Redis');

/**
 * A Redis connection for request paths: commands fail fast while Redis is unreachable instead of piling up
 * in the offline queue (docs/reliability.md#redis-settings).
 */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    // Commands issued in the same tick share one socket write: under load, one syscall for many reads.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    lazyConnect: true,
    ...options,
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error with a stack trace;
  // commands still fail fast and readiness reports Redis down.
  let lastReport = 0;
  redis.on('error', (err: Error) => {
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log.warn(`Redis connection error: ${err.message}`);
    }
  });
  await redis.connect();
  return redis;
}

/** Refuses a Redis that may evict keys: evicted keys silently lose data (docs/reliability.md#redis-settings). */
export async function evictionPolicy(redis: Redis): Promise<string> {
  const res = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
  return res[1] ?? 'unknown';
}
