// One file past 400 lines on purpose: the ops control plane's cases share one started ops app with its queues
// and database; split, each file would start them again. Paging has its own file (ops-paging.e2e-spec.ts).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import {
  DeadLetters,
  PermanentError,
  QUEUE_NAMES,
  type QueueName,
  redisOptionsFromUrl,
} from '@stockbridge/messaging';
import { Db } from '@stockbridge/persistence';
import { Job, Queue, Worker } from 'bullmq';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { eventually, HttpClient } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';

const ALICE = 'alice-admin-token-0123456789';
const BOB = 'bob-admin-token-abcdefghijkl';
const PROBLEM = 'application/problem+json';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface DeadLetterView {
  id: string;
  queue: string;
  jobId: string;
  jobName: string;
  eventId: string | null;
  eventType: string | null;
  correlationId: string | null;
  payload: Record<string, unknown>;
  errorKind: string;
  reason: string;
  details: Record<string, unknown>;
  errors: { attempt: number; message: string }[];
  attemptsMade: number;
  status: 'open' | 'replayed' | 'discarded';
  failedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  replayJobId: string | null;
}

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}

interface QueueView {
  name: string;
  consumer: string;
  isPaused: boolean;
  counts: Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed' | 'paused', number>;
  openDeadLetters: number;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
}

/** An event envelope as the platform queues it (docs/messaging.md#the-envelope). */
function envelope(type = 'reservation.confirmed') {
  const id = randomUUID();
  return {
    id,
    type,
    version: 1,
    source: 'e2e',
    occurredAt: new Date().toISOString(),
    correlationId: `corr-${id.slice(0, 8)}`,
    causationId: null,
    partitionKey: 'SKU-1',
    payload: { reservationId: randomUUID() },
  };
}

describe('ops control plane (e2e)', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let api: HttpClient;
  let anon: HttpClient;
  let deadLetters: DeadLetters;
  let db: Db;
  const queues = new Map<QueueName, Queue>();
  /** Letters seeded below, by role. */
  const seeded: Record<'unmapped' | 'old' | 'rejected' | 'stalled' | 'validation', string> = {} as never;

  function configFor(redisUrl: string): OpsConfig {
    return loadConfig(OpsConfig, {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: env.redisPrefix,
      OPS_ADMIN_TOKENS: `alice:${ALICE},bob:${BOB}`,
      LOG_LEVEL: 'silent',
      DB_POOL_SIZE: '4',
    });
  }

  function queue(name: QueueName): Queue {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: redisOptionsFromUrl(env.redisUrl), prefix: `${env.redisPrefix}q` });
      queues.set(name, q);
    }
    return q;
  }

  /** Queues a real job and writes its dead letter the way a processor does on a permanent error. */
  async function seed(
    name: QueueName,
    kind: 'unmapped' | 'exhausted' | 'rejected' | 'stalled',
    reason: string,
  ): Promise<string> {
    const data = envelope();
    const added = await queue(name).add(data.type, data, { jobId: data.id });
    const job = (await Job.fromId(queue(name), added.id!))!;
    const error =
      kind === 'unmapped'
        ? new PermanentError('unmapped', reason, { system: 'erp', code: 'ITEM-404' })
        : new Error(reason);
    await deadLetters.record(name, job, error, kind);
    const letter = (await deadLetters.list({ queue: name })).items.find((l) => l.jobId === data.id)!;
    return letter.id;
  }

  async function audit(query: string): Promise<AuditEntry[]> {
    const res = await api.request<{ items: AuditEntry[] }>('GET', `/v1/audit?${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  beforeAll(async () => {
    env = await createTestEnvironment('ops');
    app = await buildOpsApp(configFor(env.redisUrl), { quiet: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    api = new HttpClient(baseUrl, { authorization: `Bearer ${ALICE}` }, 8);
    anon = new HttpClient(baseUrl, {}, 4);
    deadLetters = app.get(DeadLetters);
    db = app.get(Db);

    seeded.unmapped = await seed('erp.commitments', 'unmapped', 'No sku mapping for "ITEM-404" in erp.');
    seeded.old = await seed('erp.commitments', 'exhausted', 'ERP answered 503');
    await db.query(`UPDATE dead_letters SET failed_at = now() - interval '2 hours' WHERE id = $1`, [
      seeded.old,
    ]);
    seeded.rejected = await seed('oms.orders', 'rejected', 'OMS refused the order: 422');
    seeded.stalled = await seed('oms.orders', 'stalled', 'job stalled more than allowable limit');

    // One letter from a job that really fails in a worker, recorded as ReliableWorker does.
    const worker = new Worker(
      'inventory.stock-moved',
      async (job) => {
        const err = new PermanentError('validation', 'quantity must be an integer', { field: 'quantity' });
        await deadLetters.record('inventory.stock-moved', job, err, err.kind);
        throw err;
      },
      {
        connection: { ...redisOptionsFromUrl(env.redisUrl), maxRetriesPerRequest: null },
        prefix: `${env.redisPrefix}q`,
      },
    );
    const data = envelope('inventory.stock-moved');
    await queue('inventory.stock-moved').add(data.type, data, { jobId: data.id, attempts: 3 });
    const page = await eventually(
      () => deadLetters.list({ queue: 'inventory.stock-moved' }),
      (p) => p.total === 1,
      10_000,
    );
    await worker.close();
    seeded.validation = page.items[0].id;
  });

  afterAll(async () => {
    await api?.close();
    await anon?.close();
    for (const q of queues.values()) await q.close();
    await app?.close();
    await env?.teardown();
  });

  describe('admin credential', () => {
    it('answers 401 problem+json with a Bearer challenge without a token', async () => {
      const res = await anon.request<Problem>('GET', '/v1/dead-letters');
      expect(res.status).toBe(401);
      expect(res.contentType).toContain(PROBLEM);
      expect(res.body).toMatchObject({ status: 401, type: expect.stringMatching(/unauthorized$/) });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="stockbridge-ops"');
    });

    it('answers 401 to a wrong Bearer token, and to Basic with a wrong password or a name that is not the token owner', async () => {
      for (const authorization of [
        `Bearer ${ALICE.slice(0, -1)}x`,
        'Bearer short',
        basic('alice', 'not-the-right-token-000'),
        basic('alice', BOB),
      ]) {
        const res = await anon.request('GET', '/v1/dead-letters', { headers: { authorization } });
        expect(res.status).toBe(401);
        expect(res.contentType).toContain(PROBLEM);
      }
    });

    it('lets in Basic with the name as user and the token as password', async () => {
      const res = await anon.request('GET', '/v1/dead-letters', {
        headers: { authorization: basic('bob', BOB) },
      });
      expect(res.status).toBe(200);
    });

    it('leaves health, metrics and the API docs open', async () => {
      expect((await anon.request('GET', '/health/live')).status).toBe(200);
      expect((await anon.request('GET', '/health/ready')).status).toBe(200);
      expect((await anon.request('GET', '/metrics')).status).toBe(200);
      const docs = await anon.request<{ paths: Record<string, unknown> }>('GET', '/docs/openapi.json');
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toContain('/v1/dead-letters/{id}/replay');
    });
  });

  describe('listing and inspecting dead letters', () => {
    it('lists every letter, oldest first, with the total', async () => {
      const res = await api.request<{ items: DeadLetterView[]; total: number }>('GET', '/v1/dead-letters');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
      expect(res.body.items[0].id).toBe(seeded.old);
    });

    it('filters by queue, by error kind and by both', async () => {
      const byQueue = await api.request<{ items: DeadLetterView[]; total: number }>(
        'GET',
        '/v1/dead-letters?queue=erp.commitments',
      );
      expect(byQueue.body.items.map((l) => l.id).sort()).toEqual([seeded.unmapped, seeded.old].sort());
      const byKind = await api.request<{ items: DeadLetterView[]; total: number }>(
        'GET',
        '/v1/dead-letters?errorKind=unmapped',
      );
      expect(byKind.body).toMatchObject({
        total: 1,
        items: [{ id: seeded.unmapped, errorKind: 'unmapped' }],
      });
      const both = await api.request<{ items: DeadLetterView[]; total: number }>(
        'GET',
        '/v1/dead-letters?queue=oms.orders&errorKind=stalled',
      );
      expect(both.body.items.map((l) => l.id)).toEqual([seeded.stalled]);
      const validation = await api.request<{ items: DeadLetterView[] }>(
        'GET',
        '/v1/dead-letters?errorKind=validation',
      );
      expect(validation.body.items.map((l) => l.id)).toEqual([seeded.validation]);
    });

    it('filters by age in both directions', async () => {
      const old = await api.request<{ items: DeadLetterView[]; total: number }>(
        'GET',
        '/v1/dead-letters?minAgeSeconds=3600',
      );
      expect(old.body.items.map((l) => l.id)).toEqual([seeded.old]);
      const recent = await api.request<{ items: DeadLetterView[]; total: number }>(
        'GET',
        '/v1/dead-letters?maxAgeSeconds=600',
      );
      expect(recent.body.total).toBe(4);
      expect(recent.body.items.map((l) => l.id)).not.toContain(seeded.old);
    });

    it('pages with limit and offset, and filters by status', async () => {
      const page = await api.request<{ items: DeadLetterView[]; nextCursor: string | null; total: number }>(
        'GET',
        '/v1/dead-letters?limit=2&offset=1',
      );
      expect(page.body.total).toBe(5);
      expect(page.body.items).toHaveLength(2);
      // Offset is deprecated; the page still says where the next one starts.
      expect(page.body.nextCursor).toEqual(expect.any(String));
      const open = await api.request<{ total: number }>('GET', '/v1/dead-letters?status=open');
      expect(open.body.total).toBe(5);
      const discarded = await api.request<{ total: number }>('GET', '/v1/dead-letters?status=discarded');
      expect(discarded.body.total).toBe(0);
    });

    it('refuses an unknown queue or kind with 400 problem+json listing the allowed values', async () => {
      const queueRes = await api.request<Problem>('GET', '/v1/dead-letters?queue=erp.nope');
      expect(queueRes.status).toBe(400);
      expect(queueRes.contentType).toContain(PROBLEM);
      expect(queueRes.body.detail).toContain('erp.commitments, oms.orders');
      const kindRes = await api.request<Problem>('GET', '/v1/dead-letters?errorKind=bogus');
      expect(kindRes.status).toBe(400);
      expect(kindRes.body.detail).toContain('validation, unmapped, rejected, exhausted, stalled');
    });

    it('refuses a bad limit, a negative age, an inverted age range and an unknown parameter', async () => {
      for (const query of [
        'limit=0',
        'limit=501',
        'limit=abc',
        'minAgeSeconds=-1',
        'minAgeSeconds=100&maxAgeSeconds=10',
        'status=lost',
        'colour=red',
      ]) {
        const res = await api.request<Problem>('GET', `/v1/dead-letters?${query}`);
        expect({ query, status: res.status, type: res.contentType }).toEqual({
          query,
          status: 400,
          type: expect.stringContaining(PROBLEM),
        });
      }
    });

    it('shows one letter with its payload and error history', async () => {
      const res = await api.request<DeadLetterView>('GET', `/v1/dead-letters/${seeded.unmapped}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: seeded.unmapped,
        queue: 'erp.commitments',
        jobName: 'reservation.confirmed',
        eventType: 'reservation.confirmed',
        errorKind: 'unmapped',
        reason: 'No sku mapping for "ITEM-404" in erp.',
        details: { system: 'erp', code: 'ITEM-404' },
        errors: [{ attempt: 1, message: 'No sku mapping for "ITEM-404" in erp.' }],
        status: 'open',
        resolvedBy: null,
      });
      expect(res.body.eventId).toBe(res.body.jobId);
      expect(res.body.payload).toMatchObject({ id: res.body.eventId, type: 'reservation.confirmed' });
    });

    it('shows the error of a job that really failed in a worker', async () => {
      const res = await api.request<DeadLetterView>('GET', `/v1/dead-letters/${seeded.validation}`);
      expect(res.body).toMatchObject({
        queue: 'inventory.stock-moved',
        errorKind: 'validation',
        reason: 'quantity must be an integer',
        details: { field: 'quantity' },
      });
    });

    it('answers 404 for an unknown id and 400 for an id that is not a UUID', async () => {
      const missing = await api.request<Problem>('GET', `/v1/dead-letters/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(missing.contentType).toContain(PROBLEM);
      const bad = await api.request<Problem>('GET', '/v1/dead-letters/not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.contentType).toContain(PROBLEM);
    });

    it('summarizes open letters per queue and kind', async () => {
      const res = await api.request<{
        total: number;
        counts: { queue: string; errorKind: string; count: number }[];
      }>('GET', '/v1/dead-letters/summary');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
      expect(res.body.counts).toEqual([
        { queue: 'erp.commitments', errorKind: 'exhausted', count: 1 },
        { queue: 'erp.commitments', errorKind: 'unmapped', count: 1 },
        { queue: 'inventory.stock-moved', errorKind: 'validation', count: 1 },
        { queue: 'oms.orders', errorKind: 'rejected', count: 1 },
        { queue: 'oms.orders', errorKind: 'stalled', count: 1 },
      ]);
    });
  });

  describe('queues', () => {
    it('lists every queue with its job counts and open dead letters', async () => {
      const res = await api.request<{ items: QueueView[] }>('GET', '/v1/queues');
      expect(res.status).toBe(200);
      // Every queue of the registry, in name order.
      expect(res.body.items.map((q) => q.name)).toEqual([...QUEUE_NAMES].sort());
      expect(res.body.items.map((q) => q.name)).toEqual(
        expect.arrayContaining([
          'erp.commitments',
          'inventory.stock-moved',
          'oms.orders',
          'wms.inbound-events',
        ]),
      );
      const erp = res.body.items.find((q) => q.name === 'erp.commitments')!;
      expect(erp).toMatchObject({ consumer: 'system-erp', isPaused: false, openDeadLetters: 2 });
      expect(erp.counts).toEqual({ waiting: 2, active: 0, delayed: 0, failed: 0, completed: 0, paused: 0 });
      const inventory = res.body.items.find((q) => q.name === 'inventory.stock-moved')!;
      expect(inventory).toMatchObject({ openDeadLetters: 1, counts: { failed: 1, waiting: 0 } });
      expect(res.body.items.find((q) => q.name === 'wms.inbound-events')).toMatchObject({
        openDeadLetters: 0,
      });
    });
  });

  describe('replaying and discarding', () => {
    it('replays one letter: the job is back on its queue under a new id, the letter is replayed, the audit names the actor', async () => {
      const before = await api.request<DeadLetterView>('GET', `/v1/dead-letters/${seeded.unmapped}`);
      const res = await api.request<DeadLetterView>('POST', `/v1/dead-letters/${seeded.unmapped}/replay`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: seeded.unmapped, status: 'replayed', resolvedBy: 'alice' });
      expect(res.body.replayJobId).toBeTruthy();
      expect(res.body.replayJobId).not.toBe(before.body.jobId);

      const job = await queue('erp.commitments').getJob(res.body.replayJobId!);
      expect(job).toBeDefined();
      expect(job!.name).toBe('reservation.confirmed');
      expect(job!.data).toEqual(before.body.payload);
      expect(await job!.getState()).toBe('waiting');

      const entries = await audit(`targetType=dead-letter&targetId=${seeded.unmapped}`);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: 'alice',
        action: 'dead-letter.replay',
        targetType: 'dead-letter',
        targetId: seeded.unmapped,
        details: {
          queue: 'erp.commitments',
          jobId: before.body.jobId,
          eventId: before.body.eventId,
          errorKind: 'unmapped',
          replayJobId: res.body.replayJobId,
        },
      });
    });

    it('refuses to replay the same letter again with 409 and writes no second audit entry', async () => {
      const res = await api.request<Problem>('POST', `/v1/dead-letters/${seeded.unmapped}/replay`);
      expect(res.status).toBe(409);
      expect(res.contentType).toContain(PROBLEM);
      expect(res.body.detail).toContain('replayed by alice');
      expect(await audit(`targetType=dead-letter&targetId=${seeded.unmapped}`)).toHaveLength(1);
    });

    it('answers 404 when replaying an unknown letter', async () => {
      expect((await api.request('POST', `/v1/dead-letters/${randomUUID()}/replay`)).status).toBe(404);
    });

    it('refuses a replay by filter without any filter', async () => {
      for (const body of [{}, { limit: 10 }]) {
        const res = await api.request<Problem>('POST', '/v1/dead-letters/replay', { body });
        expect(res.status).toBe(400);
        expect(res.contentType).toContain(PROBLEM);
      }
      const bad = await api.request<Problem>('POST', '/v1/dead-letters/replay', { body: { queue: 'nope' } });
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toContain('oms.orders');
      expect(
        (await api.request('POST', '/v1/dead-letters/replay', { body: { queue: 'oms.orders', limit: 1001 } }))
          .status,
      ).toBe(400);
    });

    it('replays every open letter that matches a filter, each audited', async () => {
      const res = await api.request<{ replayed: string[]; failed: unknown[] }>(
        'POST',
        '/v1/dead-letters/replay',
        {
          body: { queue: 'oms.orders' },
          headers: { authorization: basic('bob', BOB) },
        },
      );
      expect(res.status).toBe(200);
      expect(res.body.replayed.sort()).toEqual([seeded.rejected, seeded.stalled].sort());
      expect(res.body.failed).toEqual([]);
      for (const id of res.body.replayed) {
        const letter = (await api.request<DeadLetterView>('GET', `/v1/dead-letters/${id}`)).body;
        expect(letter).toMatchObject({ status: 'replayed', resolvedBy: 'bob' });
        expect(await queue('oms.orders').getJob(letter.replayJobId!)).toBeDefined();
        const [entry] = await audit(`targetType=dead-letter&targetId=${id}`);
        expect(entry).toMatchObject({ actor: 'bob', action: 'dead-letter.replay' });
      }
      const again = await api.request<{ replayed: string[] }>('POST', '/v1/dead-letters/replay', {
        body: { queue: 'oms.orders' },
      });
      expect(again.body.replayed).toEqual([]);
    });

    it('replays by age only the letters old enough', async () => {
      const res = await api.request<{ replayed: string[] }>('POST', '/v1/dead-letters/replay', {
        body: { minAgeSeconds: 3600, limit: 10 },
      });
      expect(res.body.replayed).toEqual([seeded.old]);
    });

    it('discards a letter with a note, audited with the note and the actor', async () => {
      const res = await api.request<DeadLetterView>('POST', `/v1/dead-letters/${seeded.validation}/discard`, {
        body: { note: 'producer fixed; this event is obsolete' },
        headers: { authorization: basic('bob', BOB) },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'discarded', resolvedBy: 'bob', replayJobId: null });
      const [entry] = await audit(`targetType=dead-letter&targetId=${seeded.validation}&actor=bob`);
      expect(entry).toMatchObject({
        actor: 'bob',
        action: 'dead-letter.discard',
        details: {
          queue: 'inventory.stock-moved',
          errorKind: 'validation',
          note: 'producer fixed; this event is obsolete',
        },
      });
      expect(entry.details).not.toHaveProperty('replayJobId');
    });

    it('refuses to discard or replay a discarded letter with 409, and a note over 500 characters with 400', async () => {
      expect((await api.request('POST', `/v1/dead-letters/${seeded.validation}/discard`)).status).toBe(409);
      expect((await api.request('POST', `/v1/dead-letters/${seeded.validation}/replay`)).status).toBe(409);
      const long = await api.request('POST', `/v1/dead-letters/${randomUUID()}/discard`, {
        body: { note: 'x'.repeat(501) },
      });
      expect(long.status).toBe(400);
    });

    it('lists the audit log newest first, filtered by actor', async () => {
      const all = await audit('targetType=dead-letter');
      expect(all.map((e) => e.action)).toEqual([
        'dead-letter.discard',
        'dead-letter.replay',
        'dead-letter.replay',
        'dead-letter.replay',
        'dead-letter.replay',
      ]);
      expect(all.map((e) => Number(e.id))).toEqual([...all.map((e) => Number(e.id))].sort((a, b) => b - a));
      expect((await audit('actor=alice&targetType=dead-letter')).every((e) => e.actor === 'alice')).toBe(
        true,
      );
      expect(await audit('limit=1')).toHaveLength(1);
      expect((await api.request('GET', '/v1/audit?limit=0')).status).toBe(400);
    });

    it('answers 503 and keeps the letter open while the queue Redis is away', async () => {
      const letterId = await seed('erp.commitments', 'exhausted', 'ERP timed out');
      const redis = new URL(env.redisUrl);
      const proxy = await new TcpProxy(redis.hostname, Number(redis.port || 6379)).start();
      const cut = await buildOpsApp(configFor(`redis://127.0.0.1:${proxy.port}`), { quiet: true });
      await cut.listen({ port: 0, host: '127.0.0.1' });
      const client = new HttpClient(
        `http://127.0.0.1:${(cut.getHttpServer().address() as AddressInfo).port}`,
        { authorization: `Bearer ${ALICE}` },
        2,
      );
      try {
        expect((await client.request('GET', '/v1/queues')).status).toBe(200);
        proxy.cut();
        const res = await client.request<Problem>('POST', `/v1/dead-letters/${letterId}/replay`);
        expect(res.status).toBe(503);
        expect(res.contentType).toContain(PROBLEM);
        expect(res.body.type).toMatch(/queue-unavailable$/);
        expect((await api.request<DeadLetterView>('GET', `/v1/dead-letters/${letterId}`)).body.status).toBe(
          'open',
        );
        expect(await audit(`targetId=${letterId}`)).toEqual([]);
      } finally {
        proxy.restore();
        // Closing while ioredis is between reconnect attempts would leave its retry timer behind.
        await eventually(
          () => client.request('GET', '/health/ready'),
          (r) => r.status === 200,
          10_000,
        );
        await client.close();
        await cut.close();
        await proxy.stop();
      }
      const replayed = await api.request<DeadLetterView>('POST', `/v1/dead-letters/${letterId}/replay`);
      expect(replayed.body.status).toBe('replayed');
    });
  });

  describe('mappings', () => {
    it('sets, lists and deletes SKU cross-references, each change audited', async () => {
      const items = [
        { system: 'erp', externalCode: 'ITEM-404', sku: 'SKU-404' },
        { system: 'erp', externalCode: 'ITEM-405', sku: 'SKU-405' },
        { system: 'wms', externalCode: 'w.405', sku: 'SKU-405' },
      ];
      const put = await api.request<{ items: unknown[] }>('PUT', '/v1/mappings/skus', { body: { items } });
      expect(put.status).toBe(200);
      expect(put.body.items).toEqual(items);
      const listed = await api.request<{ items: unknown[] }>('GET', '/v1/mappings/skus?system=erp');
      expect(listed.body).toEqual({ items: items.slice(0, 2), nextCursor: null });
      expect((await api.request<{ items: unknown[] }>('GET', '/v1/mappings/skus')).body.items).toHaveLength(
        3,
      );

      const [putEntry] = await audit('targetType=sku-xref');
      expect(putEntry).toMatchObject({
        actor: 'alice',
        action: 'mapping.sku.put',
        targetId: null,
        details: { items },
      });

      const del = await anon.request('DELETE', '/v1/mappings/skus/erp/ITEM-405', {
        headers: { authorization: basic('bob', BOB) },
      });
      expect(del.status).toBe(204);
      expect(
        (await api.request<{ items: unknown[] }>('GET', '/v1/mappings/skus?system=erp')).body.items,
      ).toEqual(items.slice(0, 1));
      const [delEntry] = await audit('targetType=sku-xref&targetId=erp/ITEM-405');
      expect(delEntry).toMatchObject({
        actor: 'bob',
        action: 'mapping.sku.delete',
        details: { system: 'erp', externalCode: 'ITEM-405' },
      });

      const again = await api.request<Problem>('DELETE', '/v1/mappings/skus/erp/ITEM-405');
      expect(again.status).toBe(404);
      expect(again.contentType).toContain(PROBLEM);
    });

    it('refuses malformed systems and codes with 400 problem+json', async () => {
      const cases: [string, string, unknown?][] = [
        ['PUT', '/v1/mappings/skus', { items: [{ system: 'ERP', externalCode: 'A', sku: 'B' }] }],
        ['PUT', '/v1/mappings/skus', { items: [{ system: 'erp', externalCode: 'has space', sku: 'B' }] }],
        ['PUT', '/v1/mappings/skus', { items: [] }],
        [
          'PUT',
          '/v1/mappings/skus',
          {
            items: Array.from({ length: 1001 }, (_, i) => ({
              system: 'erp',
              externalCode: `I${i}`,
              sku: `S${i}`,
            })),
          },
        ],
        ['PUT', '/v1/mappings/locations', { items: [{ system: 'wms', externalCode: 'DC-1', sku: 'WH-1' }] }],
        ['GET', '/v1/mappings/skus?system=Not_Valid'],
        ['DELETE', '/v1/mappings/skus/ERP!/X'],
        ['PUT', '/v1/mappings/uoms', { items: [{ system: 'erp', uom: 'CS', factor: 0 }] }],
        ['PUT', '/v1/mappings/uoms', { items: [{ system: 'erp', uom: 'CS', factor: 1.5 }] }],
      ];
      for (const [method, path, body] of cases) {
        const res = await api.request(method, path, body === undefined ? {} : { body });
        expect({ method, path, status: res.status, type: res.contentType }).toEqual({
          method,
          path,
          status: 400,
          type: expect.stringContaining(PROBLEM),
        });
      }
    });

    it('sets, lists and deletes location cross-references, audited', async () => {
      const items = [{ system: 'wms', externalCode: 'DC-1', location: 'WH-EAST' }];
      expect((await api.request('PUT', '/v1/mappings/locations', { body: { items } })).status).toBe(200);
      expect(
        (await api.request<{ items: unknown[] }>('GET', '/v1/mappings/locations?system=wms')).body.items,
      ).toEqual(items);
      expect((await api.request('DELETE', '/v1/mappings/locations/wms/DC-1')).status).toBe(204);
      expect((await api.request<{ items: unknown[] }>('GET', '/v1/mappings/locations')).body.items).toEqual(
        [],
      );
      const entries = await audit('targetType=location-xref');
      expect(entries.map((e) => e.action)).toEqual(['mapping.location.delete', 'mapping.location.put']);
      expect(entries[1]).toMatchObject({ targetId: 'wms', details: { items } });
    });

    it("sets unit conversions with '*' as the default SKU, audited", async () => {
      const res = await api.request<{ items: unknown[] }>('PUT', '/v1/mappings/uoms', {
        body: {
          items: [
            { system: 'erp', uom: 'CS', factor: 12 },
            { system: 'erp', uom: 'CS', sku: 'SKU-404', factor: 6 },
          ],
        },
      });
      expect(res.status).toBe(200);
      const listed = await api.request<{ items: unknown[] }>('GET', '/v1/mappings/uoms?system=erp');
      expect(listed.body.items).toEqual([
        { system: 'erp', uom: 'CS', sku: '*', factor: 12 },
        { system: 'erp', uom: 'CS', sku: 'SKU-404', factor: 6 },
      ]);
      const [entry] = await audit('targetType=uom-conversion');
      expect(entry).toMatchObject({ action: 'mapping.uom.put', details: { items: listed.body.items } });
    });

    it('sets and reads a bundle, refusing a bundle inside itself and repeated components', async () => {
      const components = [
        { componentSku: 'SKU-A', quantity: 2 },
        { componentSku: 'SKU-B', quantity: 1 },
      ];
      expect((await api.request('GET', '/v1/mappings/bundles/SKU-KIT')).status).toBe(404);
      const put = await api.request('PUT', '/v1/mappings/bundles/SKU-KIT', { body: { components } });
      expect(put.status).toBe(200);
      expect((await api.request('GET', '/v1/mappings/bundles/SKU-KIT')).body).toEqual({
        bundleSku: 'SKU-KIT',
        components,
      });
      const [entry] = await audit('targetType=bundle&targetId=SKU-KIT');
      expect(entry).toMatchObject({ action: 'mapping.bundle.put', details: { components } });

      expect(
        (
          await api.request('PUT', '/v1/mappings/bundles/SKU-KIT', {
            body: { components: [{ componentSku: 'SKU-KIT', quantity: 1 }] },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await api.request('PUT', '/v1/mappings/bundles/SKU-KIT', {
            body: { components: [...components, components[0]] },
          })
        ).status,
      ).toBe(400);
      expect((await api.request('GET', '/v1/mappings/bundles/SKU-KIT')).body).toEqual({
        bundleSku: 'SKU-KIT',
        components,
      });
    });

    it('requires the admin credential', async () => {
      expect((await anon.request('GET', '/v1/mappings/skus')).status).toBe(401);
      expect((await anon.request('PUT', '/v1/mappings/skus', { body: { items: [] } })).status).toBe(401);
    });
  });

  describe('Bull Board', () => {
    it('asks a browser for Basic credentials without them', async () => {
      for (const path of ['/queues', '/queues/api/queues', '/queues/static/favicon-32x32.png']) {
        const res = await anon.request<Problem>('GET', path);
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm="stockbridge-ops"/);
        expect(res.contentType).toContain(PROBLEM);
      }
      expect(
        (await anon.request('GET', '/queues', { headers: { authorization: basic('alice', BOB) } })).status,
      ).toBe(401);
    });

    it('serves the board page and its assets with Basic credentials, helmet headers on', async () => {
      const headers = { authorization: basic('alice', ALICE) };
      const page = await anon.request('GET', '/queues', { headers });
      expect(page.status).toBe(200);
      expect(page.contentType).toContain('text/html');
      // The page's asset URLs are relative to <base href="/queues/">.
      expect(page.text).toContain('<base href="/queues/" />');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      const scripts = [...page.text.matchAll(/src="(static\/[^"]+\.js)"/g)].map((m) => `/queues/${m[1]}`);
      const styles = [...page.text.matchAll(/href="(static\/[^"]+\.css)"/g)].map((m) => `/queues/${m[1]}`);
      expect(scripts.length).toBeGreaterThan(0);
      expect(styles.length).toBeGreaterThan(0);
      for (const path of [...scripts, ...styles]) {
        const asset = await anon.request('GET', path, { headers });
        expect({ path, status: asset.status }).toEqual({ path, status: 200 });
        expect(asset.contentType).toMatch(path.endsWith('.js') ? /javascript/ : /text\/css/);
      }
    });

    it("answers the board's API with every queue", async () => {
      const res = await anon.request<{ queues: { name: string }[] }>('GET', '/queues/api/queues', {
        headers: { authorization: basic('bob', BOB) },
      });
      expect(res.status).toBe(200);
      expect(res.body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    });

    it('audits a change made through the board with the operator', async () => {
      const headers = { authorization: basic('bob', BOB) };
      expect(
        (await anon.request('PUT', '/queues/api/queues/wms.inbound-events/pause', { headers })).status,
      ).toBe(200);
      expect(await queue('wms.inbound-events').isPaused()).toBe(true);
      const [entry] = await audit('targetType=queue&targetId=wms.inbound-events');
      expect(entry).toMatchObject({
        actor: 'bob',
        action: 'queue-board.action',
        details: { method: 'PUT', route: '/api/queues/:queueName/pause' },
      });
      const listed = await api.request<{ items: QueueView[] }>('GET', '/v1/queues');
      expect(listed.body.items.find((q) => q.name === 'wms.inbound-events')).toMatchObject({
        isPaused: true,
      });
      expect(
        (await anon.request('PUT', '/queues/api/queues/wms.inbound-events/resume', { headers })).status,
      ).toBe(200);
      expect(await queue('wms.inbound-events').isPaused()).toBe(false);
    });
  });
});
