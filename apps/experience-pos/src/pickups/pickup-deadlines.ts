import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';
import { Redis } from 'ioredis';
import { PosConfig } from '../pos.config';

/** The longest hold the process API takes (its ttlSeconds), whatever the channel allows. */
export const MAX_HOLD_SECONDS = 7 * 24 * 3600;

/**
 * Turns a pickup's deadline into the hold time the process API takes (`ttlSeconds`, counted from its arrival),
 * the same for every retry of one Idempotency-Key. The process API compares a retry's body with the first one;
 * a hold time computed afresh at each retry would differ (a second later, a second less) and the retry would be
 * refused as another request. So the seconds sent first are kept in Redis per API client and key, as long as the
 * process API keeps its idempotency records, and sent again by every retry of the same deadline.
 *
 * Redis is not the only copy of anything here: when it fails or forgets, the hold time is computed afresh and a
 * retry may be answered 422 `idempotency-key-reused` — never held twice.
 */
@Injectable()
export class PickupDeadlines {
  private readonly log = new Logger('PickupDeadlines');

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    private readonly config: PosConfig,
  ) {}

  async holdSeconds(
    clientId: string,
    idempotencyKey: string,
    pickupBy: string,
    now = Date.now(),
  ): Promise<number> {
    const deadline = new Date(pickupBy);
    const key = `${this.config.REDIS_PREFIX}pos:pickup-hold:${clientId}:${createHash('sha256').update(idempotencyKey).digest('hex')}`;
    const fresh = Math.ceil((deadline.getTime() - now) / 1000);
    const value = `${deadline.toISOString()} ${fresh}`;
    try {
      const kept = this.keptFor(await this.redis.get(key), deadline);
      if (kept !== undefined) return kept;
      check(fresh);
      const retentionSeconds = this.config.IDEMPOTENCY_RETENTION_HOURS * 3600;
      if ((await this.redis.set(key, value, 'EX', retentionSeconds, 'NX')) === 'OK') return fresh;
      // A twin request got there first: send what it sent.
      const twin = this.keptFor(await this.redis.get(key), deadline);
      if (twin !== undefined) return twin;
      // The key was sent with another deadline before (refused by validation, or a mistake): the process API
      // decides, as for any other body.
      await this.redis.set(key, value, 'EX', retentionSeconds);
      return fresh;
    } catch (err) {
      if (err instanceof ProblemError) throw err;
      this.log.warn(
        `pickup hold time not remembered (Redis failed): ${err instanceof Error ? err.message : String(err)}`,
      );
      check(fresh);
      return fresh;
    }
  }

  private keptFor(stored: string | null, deadline: Date): number | undefined {
    if (!stored) return undefined;
    const [at, seconds] = stored.split(' ');
    return at === deadline.toISOString() && /^\d+$/.test(seconds ?? '') ? Number(seconds) : undefined;
  }
}

function check(seconds: number): void {
  if (seconds < 1)
    throw ProblemError.of(400, 'validation-failed', 'pickupBy must be in the future.', {
      errors: ['pickupBy must be in the future'],
    });
  if (seconds > MAX_HOLD_SECONDS)
    throw ProblemError.of(400, 'validation-failed', 'pickupBy must be at most 7 days away.', {
      errors: ['pickupBy must be at most 7 days away'],
    });
}
