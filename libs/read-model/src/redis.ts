import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for request paths: commands fail fast while Redis is unreachable instead of piling up
 * in the offline queue (RELIABILITY.md §3.2).
 */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    lazyConnect: true,
    ...options,
  });
  await redis.connect();
  return redis;
}

/** Refuses a Redis that may evict keys: evicted keys silently lose data (RELIABILITY.md §3.1). */
export async function evictionPolicy(redis: Redis): Promise<string> {
  const res = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
  return res[1] ?? 'unknown';
}
