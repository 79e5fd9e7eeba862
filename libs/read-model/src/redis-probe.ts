import type { Redis } from 'ioredis';
import { evictionPolicy } from './redis';

/** Readiness check of a Redis the platform writes to: it answers and never evicts keys. */
export async function checkRedis(redis: Redis): Promise<void> {
  await redis.ping();
  const policy = await evictionPolicy(redis);
  if (policy !== 'noeviction') throw new Error(`maxmemory-policy is ${policy}; it must be noeviction`);
}
