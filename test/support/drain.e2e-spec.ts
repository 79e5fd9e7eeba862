import { randomUUID } from 'node:crypto';
import { redisOptionsFromUrl } from '@stockbridge/messaging';
import { Db, openDataSource } from '@stockbridge/persistence';
import { Queue, Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import { waitForQueuesToDrain } from './drain';
import { createTestEnvironment, type TestEnvironment } from './environment';

/** The test helper that waits for work instead of time, against real Redis and PostgreSQL. */
describe('waitForQueuesToDrain', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  const queues = new Map<string, Queue>();
  const target = () => ({
    db,
    baseEnv: () => ({ REDIS_URL: env.redisUrl, REDIS_PREFIX: env.redisPrefix }),
  });
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: redisOptionsFromUrl(env.redisUrl), prefix: `${env.redisPrefix}q` });
      queues.set(name, q);
    }
    return q;
  };
  /** A worker on `name` that takes each job `ms` after it started. */
  const worker = (name: string, ms: number) =>
    new Worker(name, () => new Promise((r) => setTimeout(r, ms)), {
      connection: { ...redisOptionsFromUrl(env.redisUrl), maxRetriesPerRequest: null },
      prefix: `${env.redisPrefix}q`,
    });
  const outboxRow = async (type: string) => {
    const id = randomUUID();
    await db.query(`INSERT INTO outbox_events (id, event_type, envelope) VALUES ($1, $2, '{}')`, [id, type]);
    return id;
  };

  beforeAll(async () => {
    env = await createTestEnvironment('drain');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 2 });
    db = Db.fromDataSource(ds);
  });

  afterAll(async () => {
    for (const q of queues.values()) await q.close();
    await ds?.destroy();
    await env?.teardown();
  });

  afterEach(async () => {
    for (const q of queues.values()) await q.obliterate({ force: true });
    await db.query(`DELETE FROM outbox_events`);
  });

  it('returns at once when no queue has work and the outbox is empty', async () => {
    const started = Date.now();
    await waitForQueuesToDrain(target());
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('waits until a waiting job has been processed, and no longer', async () => {
    await queue('erp.commitments').add('reservation.confirmed', {}, { jobId: 'slow' });
    const w = worker('erp.commitments', 300);
    try {
      const started = Date.now();
      await waitForQueuesToDrain(target(), { queues: ['erp.commitments'] });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(await queue('erp.commitments').getJobState('slow')).toBe('completed');
    } finally {
      await w.close();
    }
  });

  it('throws after the deadline, naming the queue with work and the unpublished outbox rows', async () => {
    await queue('oms.orders').add('reservation.confirmed', {}, { jobId: 'a' });
    await queue('oms.orders').add('reservation.confirmed', {}, { jobId: 'b', delay: 60_000 });
    await outboxRow('reservation.confirmed');
    await expect(waitForQueuesToDrain(target(), { timeoutMs: 200 })).rejects.toThrow(
      /oms\.orders \(waiting 1, delayed 1\).*outbox unpublished \(reservation\.confirmed 1\)/,
    );
  });

  it('looks only at the named queues and at outbox events routed to them', async () => {
    await queue('oms.orders').add('reservation.confirmed', {}, { jobId: 'unconsumed' });
    await outboxRow('fulfilment.reported');
    await waitForQueuesToDrain(target(), { queues: ['erp.postings'], timeoutMs: 500 });
    await expect(
      waitForQueuesToDrain(target(), { queues: ['allocation.fulfilment-reports'], timeoutMs: 200 }),
    ).rejects.toThrow(/outbox unpublished \(fulfilment\.reported 1\)/);
  });

  it('waits for an unpublished outbox row until it is marked published', async () => {
    const id = await outboxRow('finance.posting-requested');
    setTimeout(() => void db.query(`UPDATE outbox_events SET published_at = now() WHERE id = $1`, [id]), 200);
    const started = Date.now();
    await waitForQueuesToDrain(target(), { queues: ['erp.postings'] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('does not count the next run of a job scheduler as pending work', async () => {
    await queue('oms.status-polls').upsertJobScheduler('poll', { every: 60_000 }, { name: 'poll' });
    // The scheduler's first run is due at once: a worker takes it, and the next one waits a minute.
    const w = worker('oms.status-polls', 0);
    try {
      await waitForQueuesToDrain(target(), { queues: ['oms.status-polls'] });
      expect(await queue('oms.status-polls').getJobCounts('delayed', 'completed')).toEqual({
        delayed: 1,
        completed: 1,
      });
    } finally {
      await w.close();
    }
  });
});
