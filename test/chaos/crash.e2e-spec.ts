import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_CHANNEL_POLICY } from '@stockbridge/canonical';
import { Catalog, Db, Movements } from '@stockbridge/ledger';
import { openDataSource } from '@stockbridge/persistence';
import type { DataSource } from 'typeorm';
import { buildForChildren, ChildApp } from '../support/child-app';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { HttpClient } from '../support/http';

describe('crash mid-request: kill -9 under load, clients retry with the same Idempotency-Key', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let proc: ChildApp;
  const token = randomBytes(16).toString('hex');

  beforeAll(async () => {
    const dist = await buildForChildren('crash');
    env = await createTestEnvironment('crash');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 4 });
    db = Db.fromDataSource(ds);
    const catalog = new Catalog(db, 0);
    await db.tx(async (sql) => {
      await catalog.upsertLocations(sql, [{ code: 'WH-1', name: 'WH-1', type: 'warehouse' }]);
      await catalog.upsertSkus(sql, [{ sku: 'HOT', name: 'hot' }]);
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
      sku: 'HOT',
      location: 'WH-1',
      quantity: 150,
      sourceSystem: 'test',
      sourceEventId: 'seed',
    });
    proc = new ChildApp(
      dist,
      'process-reservations',
      {
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        REDIS_PREFIX: env.redisPrefix,
        SERVICE_TOKEN: token,
      },
      20_000 + (process.pid % 20_000),
    );
    await proc.start();
  });

  afterAll(async () => {
    await proc?.kill();
    await ds?.destroy();
    await env?.teardown();
  });

  it('ends with exactly one reservation per key, nothing oversold and the journal matching the levels', async () => {
    const requests = Array.from({ length: 300 }, (_, i) => ({ key: randomUUID(), quantity: 1 + (i % 2) }));
    const outcome = new Map<string, number>();
    let replays = 0;
    const send = async (r: { key: string; quantity: number }) => {
      const client = new HttpClient(`http://127.0.0.1:${proc.port}`, { authorization: `Bearer ${token}` }, 1);
      try {
        const res = await client.request('POST', '/v1/channels/web/reservations', {
          body: { lines: [{ sku: 'HOT', quantity: r.quantity }] },
          headers: { 'idempotency-key': r.key, 'x-idempotency-principal': 'client:chaos' },
        });
        outcome.set(r.key, res.status);
        if (res.headers['idempotent-replayed'] === 'true') replays++;
      } catch {
        // connection reset by the kill: the client does not know whether it happened
      } finally {
        await client.close().catch(() => undefined);
      }
    };

    // Kill the process while the first wave is in flight.
    let done = false;
    const wave = Promise.all(requests.map(send)).finally(() => (done = true));
    while (outcome.size < 60 && !done) await new Promise((r) => setTimeout(r, 2));
    await proc.kill();
    await wave;
    const unanswered = requests.filter((r) => !outcome.has(r.key) || outcome.get(r.key)! >= 500);
    expect(unanswered.length).toBeGreaterThan(0);
    expect(outcome.size).toBeGreaterThanOrEqual(60);
    console.info(`killed with ${unanswered.length} of ${requests.length} requests unanswered`);

    // Restart and retry every unanswered request with its key and body, as a careful client does.
    await proc.start();
    await Promise.all(unanswered.map(send));
    expect(requests.filter((r) => ![201, 409].includes(outcome.get(r.key) ?? 0))).toEqual([]);
    // Requests that committed before the kill but lost their answer come back as replays.
    console.info(`${replays} retries were answered from the idempotency record`);

    const perKey = await db.query<{ idempotency_key: string; n: number }>(
      `SELECT r.idempotency_key, count(res.id)::int AS n FROM idempotency_records r
       LEFT JOIN reservations res ON res.id = r.resource_id GROUP BY r.idempotency_key`,
    );
    expect(perKey.rows).toHaveLength(300);
    expect(perKey.rows.filter((r) => r.n > 1)).toEqual([]);
    const reservations = await db.query<{ n: number; units: string }>(
      `SELECT count(DISTINCT r.id)::int AS n, coalesce(sum(l.quantity), 0) AS units FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id`,
    );
    const granted = requests.filter((r) => outcome.get(r.key) === 201);
    expect(reservations.rows[0].n).toBe(granted.length);
    const units = granted.reduce((sum, r) => sum + r.quantity, 0);
    expect(Number(reservations.rows[0].units)).toBe(units);
    expect(units).toBeLessThanOrEqual(150);

    const movements = new Movements(db);
    const [level] = await movements.levels({ sku: 'HOT', location: 'WH-1' });
    expect(level.reserved).toBe(units);
    const journal = await movements.replayJournal();
    expect(journal.get('HOT@WH-1')).toMatchObject({ onHand: 150, reserved: units });
  });
});
