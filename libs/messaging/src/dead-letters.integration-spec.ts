import { Db, openDataSource } from '@stockbridge/persistence';
import { Queue, Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/environment';
import { DeadLetterSweeper, DeadLetterSweeperOptions } from './dead-letter-sweeper';
import { DeadLetterConflict, DeadLetters } from './dead-letters';
import { Inbox } from './inbox';
import { QueueRegistry } from './queue-registry';
import { jobOptions } from './queues';
import { redisOptionsFromUrl } from './redis-options';

/** The dead letters against real PostgreSQL and Redis: the failed-set sweep, filters, replay and discard. */
describe('dead letters', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let queue: Queue;
  let registry: QueueRegistry;
  let letters: DeadLetters;

  beforeAll(async () => {
    env = await createTestEnvironment('deadletters');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 4 });
    db = Db.fromDataSource(ds);
    queue = new Queue('oms.orders', {
      connection: redisOptionsFromUrl(env.redisUrl),
      prefix: `${env.redisPrefix}q`,
      defaultJobOptions: jobOptions('oms.orders'),
    });
    registry = new QueueRegistry([queue]);
    letters = new DeadLetters(db);
  });

  afterAll(async () => {
    await queue?.close();
    await ds?.destroy();
    await env?.teardown();
  });

  /** Fails one job for good with a plain worker (no dead letter written by it), as a crash or stall would. */
  async function failWithoutLetter(jobId: string, reason: string): Promise<void> {
    await queue.add(
      'reservation.confirmed',
      { id: jobId, type: 'reservation.confirmed', correlationId: `c-${jobId}`, payload: {} },
      { jobId, attempts: 1 },
    );
    const worker = new Worker(
      'oms.orders',
      async () => {
        throw new Error(reason);
      },
      {
        connection: { ...redisOptionsFromUrl(env.redisUrl), maxRetriesPerRequest: null },
        prefix: `${env.redisPrefix}q`,
      },
    );
    try {
      for (let i = 0; i < 100 && !(await queue.getJob(jobId))?.failedReason; i++)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.close();
    }
  }

  it('sweeps jobs that failed without a dead letter into the dead letters, by kind, and out of Redis', async () => {
    await failWithoutLetter('j-stalled', 'job stalled more than allowable limit');
    await failWithoutLetter('j-crashed', 'worker died');
    const sweeper = new DeadLetterSweeper(
      letters,
      registry,
      Object.assign(new DeadLetterSweeperOptions(), { queues: ['oms.orders'] }),
      new Inbox(db),
    );
    expect(await sweeper.sweep()).toBe(2);
    expect(await queue.getFailedCount()).toBe(0);
    const { items } = await letters.list({ queue: 'oms.orders' });
    expect(items.map((l) => [l.jobId, l.errorKind, l.correlationId]).sort()).toEqual([
      ['j-crashed', 'exhausted', 'c-j-crashed'],
      ['j-stalled', 'stalled', 'c-j-stalled'],
    ]);
    expect(items.find((l) => l.jobId === 'j-stalled')?.reason).toMatch(/stalled/);
    // A second sweep finds nothing; the letters are not duplicated.
    expect(await sweeper.sweep()).toBe(0);
    expect((await letters.list({ queue: 'oms.orders' })).total).toBe(2);
  });

  it('filters by kind and age', async () => {
    expect((await letters.list({ errorKind: 'stalled' })).items.map((l) => l.jobId)).toEqual(['j-stalled']);
    expect((await letters.list({ minAgeSeconds: 3600 })).total).toBe(0);
    expect((await letters.list({ maxAgeSeconds: 3600 })).total).toBe(2);
  });

  it('pages after a key: the key of a full page continues the list, every letter once, the total of all', async () => {
    const first = await letters.list({ limit: 1 });
    expect(first.total).toBe(2);
    expect(first.next).toEqual({ failedAt: expect.stringMatching(/\.\d{1,6}\+00$/), id: first.items[0].id });
    const second = await letters.list({ limit: 1, after: first.next! });
    expect(second).toMatchObject({ total: 2, next: null });
    expect([...first.items, ...second.items].map((l) => l.jobId).sort()).toEqual(['j-crashed', 'j-stalled']);
    expect(first.items[0].failedAt.getTime()).toBeLessThanOrEqual(second.items[0].failedAt.getTime());
    expect(await letters.list({ offset: 5 })).toEqual({ items: [], total: 2, next: null });
  });

  it('replays an open letter under a new job id exactly once, and discards another', async () => {
    const { items } = await letters.list({ queue: 'oms.orders' });
    const stalled = items.find((l) => l.jobId === 'j-stalled')!;
    const crashed = items.find((l) => l.jobId === 'j-crashed')!;
    const audited: string[] = [];
    const replayed = await letters.replay(stalled.id, 'alice', registry, async (_sql, l) => {
      audited.push(`replay ${l.id}`);
    });
    expect(replayed).toMatchObject({ status: 'replayed', resolvedBy: 'alice' });
    const job = await queue.getJob(replayed.replayJobId!);
    expect(job?.data).toEqual(stalled.payload);
    await expect(letters.replay(stalled.id, 'bob', registry, async () => undefined)).rejects.toBeInstanceOf(
      DeadLetterConflict,
    );
    const discarded = await letters.discard(crashed.id, 'bob', async (_sql, l) => {
      audited.push(`discard ${l.id}`);
    });
    expect(discarded.status).toBe('discarded');
    expect(audited).toEqual([`replay ${stalled.id}`, `discard ${crashed.id}`]);
    expect(await letters.countOpen()).toEqual([]);
  });

  it('purges inbox entries past their retention and keeps the recent ones', async () => {
    const inbox = new Inbox(db);
    await inbox.record('test-consumer', { id: 'old', type: 'x' });
    await inbox.record('test-consumer', { id: 'new', type: 'x' });
    await db.query(
      `UPDATE inbox_events SET processed_at = now() - interval '40 days' WHERE event_id = 'old'`,
    );
    expect(await inbox.purge(30)).toBe(1);
    expect(await inbox.handled('test-consumer', 'old')).toBe(false);
    expect(await inbox.handled('test-consumer', 'new')).toBe(true);
  });

  it('records a failure that never was a job once, with its reason and details, and replays its payload', async () => {
    const failure = {
      jobId: 'listing-marketplace-SKU-1-g3',
      jobName: 'marketplace.listing-update',
      payload: { channel: 'marketplace', sku: 'SKU-1' },
      kind: 'rejected' as const,
      reason: 'ebay refused SKU-1 = 4: 25702 SKU not found',
      details: { code: '25702' },
    };
    await letters.recordFailure('oms.orders', failure);
    await letters.recordFailure('oms.orders', { ...failure, reason: 'the second record is ignored' });
    const { items } = await letters.list({ queue: 'oms.orders', status: 'open' });
    expect(items.map((l) => [l.jobId, l.reason, l.details, l.attemptsMade, l.errors.length])).toEqual([
      [failure.jobId, failure.reason, { code: '25702' }, 1, 1],
    ]);
    const replayed = await letters.replay(items[0].id, 'alice', registry, async () => undefined);
    expect((await queue.getJob(replayed.replayJobId!))?.data).toEqual(failure.payload);
  });
});
