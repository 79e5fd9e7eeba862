import { QUEUE_NAMES, type QueueName, redisOptionsFromUrl, ROUTES } from '@stockbridge/messaging';
import type { Sql } from '@stockbridge/persistence';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * What the drain needs of a test's platform (a TestPlatform, or a hand-made one as in the chaos tests): its
 * database and the environment its apps run with (REDIS_URL, REDIS_PREFIX).
 */
export interface DrainTarget {
  db: Pick<Sql, 'query'>;
  baseEnv(): Record<string, string>;
}

export interface DrainOptions {
  /**
   * The queues the test's work travels through; all of the platform's queues when left out. Name them when
   * some queue has no consumer in the test (its jobs would wait forever): the outbox is then checked only
   * for events routed to these queues.
   */
  queues?: readonly QueueName[];
  /** Give up (and throw, listing what is still pending) after this long. */
  timeoutMs?: number;
  /** Time between two looks. */
  intervalMs?: number;
  /** The Redis to look in, when the apps reach theirs through a proxy the test may cut; REDIS_URL otherwise. */
  redisUrl?: string;
}

/** States a job waits or runs in; a job in none of them is done (completed, failed, or dead-lettered). */
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized'] as const;

/**
 * Waits until the work a test started has been done, instead of sleeping for a while: every named queue
 * (all of them by default) has no job waiting, active, delayed (a retry's backoff) or prioritized, and the
 * outbox has no unpublished row for them. The next run of a job scheduler (a cron, a poll) is no pending
 * work and does not count. Quiet has to be seen on two looks in a row: one look reads the queues one after
 * the other, and a job could move from one still unread to one already read in between.
 *
 * Throws after `timeoutMs` with what is still pending, queue by queue.
 */
export async function waitForQueuesToDrain(target: DrainTarget, options: DrainOptions = {}): Promise<void> {
  const names = options.queues ?? QUEUE_NAMES;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 20;
  const env = target.baseEnv();
  const redis = new Redis({
    ...redisOptionsFromUrl(options.redisUrl ?? env.REDIS_URL),
    // A Redis that is away shows as pending work until the deadline, rather than hanging a look.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
  });
  redis.on('error', () => undefined);
  const queues = names.map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: `${env.REDIS_PREFIX}q` });
    queue.on('error', () => undefined);
    return queue;
  });
  const eventTypes = options.queues
    ? Object.entries(ROUTES)
        .filter(([, routed]) => routed.some((q) => names.includes(q)))
        .map(([type]) => type)
    : null;
  const deadline = Date.now() + timeoutMs;
  try {
    let quietLooks = 0;
    for (;;) {
      const pending = await look(target.db, queues, eventTypes).catch((err: unknown) => [
        `could not look: ${err instanceof Error ? err.message : String(err)}`,
      ]);
      quietLooks = pending.length === 0 ? quietLooks + 1 : 0;
      if (quietLooks === 2) return;
      if (Date.now() > deadline)
        throw new Error(
          `Work still pending after ${timeoutMs} ms: ${pending.join('; ') || 'none at the last look'}`,
        );
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  } finally {
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    redis.disconnect();
  }
}

/** What is pending now, one entry per queue with work and one for the outbox; empty when all is done. */
async function look(db: DrainTarget['db'], queues: Queue[], eventTypes: string[] | null): Promise<string[]> {
  const perQueue = await Promise.all(
    queues.map(async (queue) => {
      const counts = await queue.getJobCounts(...PENDING_STATES);
      if (counts.delayed > 0) counts.delayed -= await scheduledRuns(queue);
      const busy = PENDING_STATES.filter((s) => counts[s] > 0);
      return busy.length === 0 ? null : `${queue.name} (${busy.map((s) => `${s} ${counts[s]}`).join(', ')})`;
    }),
  );
  const outbox = await db.query<{ event_type: string; n: string }>(
    `SELECT event_type, count(*) AS n FROM outbox_events
      WHERE published_at IS NULL AND ($1::text[] IS NULL OR event_type = ANY($1::text[]))
      GROUP BY event_type ORDER BY event_type`,
    [eventTypes],
  );
  const unpublished = outbox.rows.map((r) => `${r.event_type} ${r.n}`);
  return [
    ...perQueue.filter((p): p is string => p !== null),
    ...(unpublished.length > 0 ? [`outbox unpublished (${unpublished.join(', ')})`] : []),
  ];
}

/** Delayed jobs that are only a job scheduler's next run (BullMQ's id `repeat:<scheduler>:<time>`). */
async function scheduledRuns(queue: Queue): Promise<number> {
  const schedulers = await queue.getJobSchedulers();
  if (schedulers.length === 0) return 0;
  const next = new Set(schedulers.map((s) => `repeat:${s.key}:${s.next}`));
  const delayed = await queue.getRanges(['delayed']);
  return delayed.filter((id) => next.has(id)).length;
}
