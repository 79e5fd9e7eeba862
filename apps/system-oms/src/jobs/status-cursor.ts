import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { redisOptionsFromUrl } from '@stockbridge/messaging';
import { Redis } from 'ioredis';
import { SystemOmsConfig } from '../system-oms.config';

/** Sets the cursor only forward: two polls finishing out of order never move it back. */
const ADVANCE = `local cur = redis.call('GET', KEYS[1])
if (not cur) or cur < ARGV[1] then redis.call('SET', KEYS[1], ARGV[1]) return 1 end
return 0`;

/**
 * Where the OMS status poll continues: the latest change time seen (ISO 8601, UTC, so the strings sort like
 * the times), in Redis under the app's prefix, shared by the replicas.
 */
@Injectable()
export class StatusCursor implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly log = new Logger(StatusCursor.name);
  private lastError = 0;

  constructor(private readonly config: SystemOmsConfig) {
    this.key = `${config.REDIS_PREFIX}oms:status-cursor`;
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      // A poll fails (and the next tick tries again) rather than hanging through a Redis outage.
      maxRetriesPerRequest: 1,
      // Connects at the first poll: an app with polling off never opens it.
      lazyConnect: true,
      retryStrategy: (times: number) => Math.min(100 * times, 2_000),
    });
    this.redis.on('error', (err: Error) => {
      const now = Date.now();
      if (now - this.lastError < 10_000) return;
      this.lastError = now;
      this.log.warn(`Redis connection of the OMS status cursor: ${err.message}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'wait') this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** The cursor; the first time, now minus the lookback, kept so the start does not slide with each tick. */
  async current(now = Date.now()): Promise<string> {
    const kept = await this.redis.get(this.key);
    if (kept) return kept;
    const start = new Date(now - this.config.OMS_STATUS_LOOKBACK_MS).toISOString();
    await this.redis.set(this.key, start, 'NX');
    return (await this.redis.get(this.key)) ?? start;
  }

  async advance(to: string): Promise<void> {
    await this.redis.eval(ADVANCE, 1, this.key, to);
  }

  /** Forgets the cursor: the next poll starts over from the lookback (the events' ids make that harmless). */
  async reset(): Promise<void> {
    await this.redis.del(this.key);
  }
}
