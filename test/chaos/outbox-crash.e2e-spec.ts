import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_CHANNEL_POLICY } from '@stockbridge/canonical';
import { Catalog, Db, Movements } from '@stockbridge/ledger';
import { openDataSource } from '@stockbridge/persistence';
import type { DataSource } from 'typeorm';
import { Backends } from '../support/backends';
import { buildForChildren, ChildApp } from '../support/child-app';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { eventually, HttpClient } from '../support/http';

/**
 * process-reservations as a child process with a crash hook armed: it commits the confirmation (and its
 * outbox row) and dies by SIGKILL before answering (the ledger's fault point, injected by the app), or in
 * its outbox relay before, or right after, handing the event to BullMQ. After a restart without the hook,
 * the event reaches the OMS and the ERP exactly once.
 */
describe('outbox: a process killed between committing a change and publishing its event', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let dist: string;
  let backends: Backends;
  const token = randomBytes(16).toString('hex');
  const port = 21_000 + (process.pid % 20_000);
  const baseEnv = (): Record<string, string> => ({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    REDIS_PREFIX: env.redisPrefix,
    SERVICE_TOKEN: token,
    LOG_LEVEL: 'silent',
    PORT: '0',
  });

  beforeAll(async () => {
    dist = await buildForChildren('outbox');
    env = await createTestEnvironment('outboxcrash');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 4 });
    db = Db.fromDataSource(ds);
    const catalog = new Catalog(db, 0);
    await db.tx(async (sql) => {
      await catalog.upsertLocations(sql, [{ code: 'WH-1', name: 'WH-1', type: 'warehouse' }]);
      await catalog.upsertSkus(sql, [{ sku: 'OB-1', name: 'OB-1' }]);
      await catalog.upsertChannels(sql, [
        {
          code: 'web',
          name: 'web',
          policy: DEFAULT_CHANNEL_POLICY,
          pool: [{ location: 'WH-1', priority: 1 }],
        },
      ]);
    });
    await new Movements(db).apply({
      kind: 'count',
      sku: 'OB-1',
      location: 'WH-1',
      quantity: 100,
      sourceSystem: 'test',
      sourceEventId: 'seed',
    });
    backends = await Backends.start({ db, baseEnv });
    await backends.catalog({ skus: ['OB-1'], locations: ['WH-1'] });
  });

  afterAll(async () => {
    await backends?.stop();
    await ds?.destroy();
    await env?.teardown();
  });

  const reserveAndConfirm = async (proc: ChildApp): Promise<string> => {
    const client = new HttpClient(proc.url, { authorization: `Bearer ${token}` });
    try {
      const r = await client.request<{ id: string }>('POST', '/v1/channels/web/reservations', {
        body: { lines: [{ sku: 'OB-1', quantity: 1 }] },
        headers: { 'idempotency-key': randomUUID(), 'x-idempotency-principal': 'client:chaos' },
      });
      expect(r.status).toBe(201);
      // The process dies once the confirmation committed: at once (the ledger's fault point), or when the relay
      // wakes on the commit's NOTIFY; the response may or may not make it out first.
      await client
        .request('POST', `/v1/channels/web/reservations/${r.body.id}/confirm`)
        .catch(() => undefined);
      return r.body.id;
    } finally {
      await client.close().catch(() => undefined);
    }
  };

  const effects = async (ref: string) => ({
    commitments: (
      await backends.sandboxCall<{ totalItems: number }>('GET', `/erp/api/v2/commitments?externalRef=${ref}`)
    ).totalItems,
    orders: (await backends.sandboxCall<{ totalItems: number }>('GET', `/oms/api/orders?orderRef=${ref}`))
      .totalItems,
  });

  it.each(['reservation.after-confirm-commit', 'outbox.before-publish', 'outbox.after-publish'])(
    'publishes the event exactly once after a SIGKILL at %s',
    async (point) => {
      const doomed = new ChildApp(
        dist,
        'process-reservations',
        { ...baseEnv(), SB_FAULT_POINTS: point, OUTBOX_POLL_MS: '200' },
        port,
      );
      await doomed.start();
      const id = await reserveAndConfirm(doomed);
      const [, signal] = (await doomed.exited) as [number | null, string | null];
      expect(signal).toBe('SIGKILL');

      const row = await db.query<{ status: string; published_at: Date | null }>(
        `SELECT r.status, o.published_at FROM reservations r
       JOIN outbox_events o ON o.envelope->'payload'->>'reservationId' = r.id::text WHERE r.id = $1`,
        [id],
      );
      expect(row.rows).toHaveLength(1);
      expect(row.rows[0].status).toBe('confirmed');
      expect(row.rows[0].published_at).toBeNull();
      if (point !== 'outbox.after-publish') expect(await effects(id)).toEqual({ commitments: 0, orders: 0 });

      const revived = new ChildApp(
        dist,
        'process-reservations',
        { ...baseEnv(), OUTBOX_POLL_MS: '200' },
        port,
      );
      await revived.start();
      try {
        await eventually(
          () => effects(id),
          (e) => e.commitments === 1 && e.orders === 1,
          20_000,
          100,
        );
        await eventually(
          () =>
            db.query<{ published_at: Date | null }>(
              `SELECT published_at FROM outbox_events WHERE envelope->'payload'->>'reservationId' = $1`,
              [id],
            ),
          (r) => r.rows[0].published_at !== null,
          10_000,
          100,
        );
        await new Promise((r) => setTimeout(r, 500));
        expect(await effects(id)).toEqual({ commitments: 1, orders: 1 });
        const stats = await backends.stats();
        expect(stats.erp.commitmentDuplicates + stats.oms.orderDuplicates).toBe(0);
      } finally {
        await revived.kill();
      }
    },
  );
});
