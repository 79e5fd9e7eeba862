import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import type { EventEnvelope } from '@stockbridge/canonical';
import { Db, PgListener } from '@stockbridge/persistence';
import { withDeadline } from './deadline';
import { errorMessage } from './errors';
import { faultPoint } from './fault-points';
import { QueueRegistry } from './queue-registry';

const PUBLISH_DEADLINE_MS = 5_000;
/** After a failed pass (PostgreSQL or Redis away), the next one comes this soon. */
const RETRY_MS = 1_000;

export class OutboxRelayOptions {
  /** Fallback poll when no notification arrives (LISTEN lost, another replica's rows). */
  pollMs = 1000;
  batchSize = 200;
  /** Published rows are kept this long for inspection, then deleted. */
  retentionHours = 72;
}

/**
 * Moves committed outbox rows to BullMQ. Woken by LISTEN/NOTIFY on every insert and by a short poll; rows are
 * claimed with FOR UPDATE SKIP LOCKED, so several replicas share the work without publishing a row twice at
 * the same time. A row is marked published only after BullMQ accepted its jobs; if the process dies in
 * between, the row is published again and the job id (the event id) and the consumers' inbox absorb it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(OutboxRelay.name);
  private readonly listener: PgListener;
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastFailure = 0;
  private lastCleanup = 0;
  published = 0;

  constructor(
    private readonly db: Db,
    private readonly queues: QueueRegistry,
    private readonly options: OutboxRelayOptions,
  ) {
    // Rows committed while the subscription was lost (a database restart) are caught up at once.
    this.listener = new PgListener(db.pool, 'sb_outbox', {
      onNotify: () => this.wake(),
      onSubscribed: () => this.wake(),
    });
  }

  onApplicationBootstrap(): void {
    void this.listener.start();
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Before the pools close: a held LISTEN connection would keep the pool from ending. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    await this.running;
    await this.listener.stop();
  }

  /** Asks for a drain; concurrent wake-ups fold into one more pass. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Publishes until nothing is pending; for tests and shutdown paths that need it done now. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const n = await this.publishBatch();
        if (n < this.options.batchSize || this.stopped) break;
      }
      await this.cleanup();
    } catch (err) {
      // Redis or PostgreSQL unavailable: the rows stay pending and the next poll tries again.
      const now = Date.now();
      if (now - this.lastFailure > 10_000)
        this.log.warn(`Outbox relay could not publish yet: ${errorMessage(err)}`);
      this.lastFailure = now;
      // Try again soon even when the fallback poll is long and no notification comes.
      if (!this.retryTimer && !this.stopped) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.wake();
        }, RETRY_MS);
        this.retryTimer.unref();
      }
    }
  }

  private async publishBatch(): Promise<number> {
    const outcome = await this.db.tx(async (sql) => {
      const res = await sql.query<{ id: string; envelope: EventEnvelope }>(
        `SELECT id, envelope FROM outbox_events WHERE published_at IS NULL
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      if (res.rows.length === 0) return { n: 0 };
      const ids = res.rows.map((r) => r.id);
      faultPoint('outbox.before-publish');
      try {
        // Bounded, so that a Redis outage does not hold these rows locked and a connection idle in transaction.
        await withDeadline(
          this.queues.publish(res.rows.map((r) => r.envelope)),
          PUBLISH_DEADLINE_MS,
          'Redis did not accept the jobs in time',
        );
      } catch (err) {
        // Recorded in this transaction, which commits: the rows stay pending for the next pass.
        await sql.query(
          `UPDATE outbox_events SET publish_attempts = publish_attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])`,
          [ids, errorMessage(err).slice(0, 500)],
        );
        return { n: 0, failure: err };
      }
      faultPoint('outbox.after-publish');
      await sql.query(
        `UPDATE outbox_events SET published_at = clock_timestamp(), publish_attempts = publish_attempts + 1, last_error = NULL
         WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      this.published += ids.length;
      return { n: ids.length };
    });
    if ('failure' in outcome) throw outcome.failure;
    return outcome.n;
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.db.query(
      `DELETE FROM outbox_events WHERE id IN (
         SELECT id FROM outbox_events WHERE published_at < now() - make_interval(hours => $1) LIMIT 5000)`,
      [this.options.retentionHours],
    );
  }

  async pending(): Promise<number> {
    const res = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL`,
    );
    return Number(res.rows[0].n);
  }
}
