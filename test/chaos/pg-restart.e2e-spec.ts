import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { Logger } from '@nestjs/common';
import { ApiKeys } from '@stockbridge/api-keys';
import { DEFAULT_CHANNEL_POLICY } from '@stockbridge/canonical';
import { Catalog, Db, Movements } from '@stockbridge/ledger';
import { openDataSource } from '@stockbridge/persistence';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { buildForChildren, ChildApp } from '../support/child-app';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { HttpClient, type HttpResult } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import type { TestPlatform } from '../support/platform';
import { TcpProxy } from '../support/tcp-proxy';

const SKUS = Array.from({ length: 5 }, (_, i) => `PG-${i}`);
const STORM = 600;
const STORM_MS = 8_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a PostgreSQL restart or failover looks like to the apps, for this test's database only: every
 * backend terminated (57P01 "terminating connection due to administrator command") again and again, then
 * no connection accepted at all for a while (the apps reach PostgreSQL through a proxy the test cuts).
 */
async function restartPostgres(
  admin: Client,
  database: string,
  proxy: TcpProxy,
  terminateMs: number,
  downMs: number,
) {
  const terminate = () =>
    admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
  const until = Date.now() + terminateMs;
  while (Date.now() < until) {
    await terminate();
    await sleep(100);
  }
  proxy.cut();
  await terminate();
  await sleep(downMs);
  proxy.restore();
}

describe('PostgreSQL restarted during a reservation storm (two process-reservations replicas and the storefront as processes)', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let keysPool: Pool;
  let admin: Client;
  let redis: Redis;
  let proxy: TcpProxy;
  const replicas: ChildApp[] = [];
  let storefront: ChildApp;
  let apiKey: string;
  const token = randomBytes(16).toString('hex');
  const exits: string[] = [];

  beforeAll(async () => {
    // The test's own connections to its database are terminated too; their warnings are expected.
    Logger.overrideLogger(false);
    const dist = await buildForChildren('pgrestart');
    env = await createTestEnvironment('pgrestart');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 4 });
    db = Db.fromDataSource(ds);
    const catalog = new Catalog(db, 0);
    await db.tx(async (sql) => {
      await catalog.upsertLocations(sql, [{ code: 'WH-1', name: 'WH-1', type: 'warehouse' }]);
      await catalog.upsertSkus(
        sql,
        SKUS.map((sku) => ({ sku, name: sku })),
      );
      await catalog.upsertChannels(sql, [
        {
          code: 'web',
          name: 'web',
          policy: DEFAULT_CHANNEL_POLICY,
          pool: [{ location: 'WH-1', priority: 1 }],
        },
      ]);
    });
    await new Movements(db).applyAll(
      SKUS.map((sku) => ({
        kind: 'count' as const,
        sku,
        location: 'WH-1',
        quantity: 1_000,
        sourceSystem: 'test',
        sourceEventId: `seed-${sku}`,
      })),
    );
    keysPool = new Pool({ connectionString: env.databaseUrl, max: 2 });
    keysPool.on('error', () => undefined);
    apiKey = (
      await new ApiKeys(keysPool, 0).create({
        name: 'pg-restart',
        channel: 'web',
        scopes: ['availability:read', 'reservations:write'],
      })
    ).key;
    admin = new Client({ connectionString: env.databaseUrl });
    await admin.connect();
    redis = new Redis(env.redisUrl);

    const target = new URL(env.databaseUrl);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const viaProxy = new URL(env.databaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const common = {
      DATABASE_URL: viaProxy.toString(),
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: env.redisPrefix,
      SERVICE_TOKEN: token,
      DB_POOL_SIZE: '8',
      // Every request answered 503 during the outage would otherwise be logged with its error.
      LOG_LEVEL: 'fatal',
    };
    for (let i = 0; i < 2; i++) {
      replicas.push(
        new ChildApp(
          dist,
          'process-reservations',
          {
            ...common,
            // A long fallback poll: an event published promptly after the outage proves LISTEN came back.
            OUTBOX_POLL_MS: '60000',
          },
          await freePort(),
        ),
      );
    }
    for (const r of replicas) await r.start();
    storefront = new ChildApp(
      dist,
      'experience-storefront',
      {
        ...common,
        PROCESS_RESERVATIONS_URL: replicas[0].url,
        PROCESS_ALLOCATION_URL: 'http://127.0.0.1:1',
      },
      await freePort(),
    );
    await storefront.start();
    for (const app of [...replicas, storefront]) {
      app.child.on('exit', (code, signal) =>
        exits.push(`${app.app} :${app.port} exited (${code ?? signal})`),
      );
    }
  });

  afterAll(async () => {
    await storefront?.kill();
    for (const r of replicas) await r.kill();
    await proxy?.stop();
    await admin?.end().catch(() => undefined);
    redis?.disconnect();
    await keysPool?.end();
    await ds?.destroy();
    await env?.teardown();
  });

  it('answers 201, 409 or a retryable 503 throughout, never exits, serves again within 10 s and keeps the ledger consistent', async () => {
    const clients = replicas.map((r) => new HttpClient(r.url, { authorization: `Bearer ${token}` }, 64));
    const shop = new HttpClient(storefront.url, { authorization: `Bearer ${apiKey}` }, 16);
    const results: { at: number; replica: number; status: number; res?: HttpResult }[] = [];
    const reads: HttpResult[] = [];
    const shopReservations: { status: number; res?: HttpResult }[] = [];
    const started = Date.now();
    const reserve = async (i: number) => {
      const replica = i % 2;
      try {
        const res = await clients[replica].request('POST', '/v1/channels/web/reservations', {
          body: { lines: [{ sku: SKUS[i % SKUS.length], quantity: 1 }] },
          headers: { 'idempotency-key': randomUUID(), 'x-idempotency-principal': 'client:storm' },
        });
        results.push({ at: Date.now() - started, replica, status: res.status, res });
      } catch {
        results.push({ at: Date.now() - started, replica, status: 0 });
      }
    };
    // The storm: STORM reservations spread over STORM_MS, plus storefront availability reads.
    const storm = (async () => {
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < STORM; i++) {
        inFlight.push(reserve(i));
        if (i % 5 === 4) {
          inFlight.push(
            shop.reserve([{ sku: SKUS[i % SKUS.length], quantity: 1 }]).then(
              (res) => void shopReservations.push({ status: res.status, res }),
              () => void shopReservations.push({ status: 0 }),
            ),
          );
        }
        if (i % 10 === 9) {
          inFlight.push(
            shop.request('GET', `/v1/availability?sku=${SKUS[0]}`).then(
              (r) => void reads.push(r),
              () => void reads.push({ status: 0 } as HttpResult),
            ),
          );
          await sleep(STORM_MS / (STORM / 10));
        }
      }
      await Promise.all(inFlight);
    })();
    await sleep(1_500);
    const outageStart = Date.now() - started;
    await restartPostgres(admin, new URL(env.databaseUrl).pathname.slice(1), proxy, 1_000, 2_000);
    const restored = Date.now();
    const outageEnd = restored - started;

    // Service is back: a reservation succeeds on each replica, and through the storefront, within 10 s.
    const backWithin = async (attempt: () => Promise<number>) => {
      for (;;) {
        const status = await attempt().catch(() => 0);
        if (status === 201) return Date.now() - restored;
        if (Date.now() - restored > 15_000) return Infinity;
        await sleep(100);
      }
    };
    // Own connections, so that the probes do not queue behind the storm's requests in the test's clients.
    const probes = replicas.map((r) => new HttpClient(r.url, { authorization: `Bearer ${token}` }, 1));
    const shopProbe = new HttpClient(storefront.url, { authorization: `Bearer ${apiKey}` }, 1);
    const back = await Promise.all([
      ...probes.map((c) =>
        backWithin(async () => {
          const res = await c.request('POST', '/v1/channels/web/reservations', {
            body: { lines: [{ sku: SKUS[0], quantity: 1 }] },
            headers: { 'idempotency-key': randomUUID(), 'x-idempotency-principal': 'client:after' },
          });
          return res.status;
        }),
      ),
      backWithin(async () => (await shopProbe.reserve([{ sku: SKUS[1], quantity: 1 }])).status),
    ]);
    await storm;
    const last503 = Math.max(...results.filter((r) => r.status === 503).map((r) => r.at));
    console.info(
      `outage from ${outageStart} ms to ${outageEnd} ms of the storm; ${results.length} reservations: ` +
        JSON.stringify(countStatuses(results.map((r) => r.status))) +
        `; storefront reservations: ${JSON.stringify(countStatuses(shopReservations.map((r) => r.status)))}` +
        `; storefront reads: ${JSON.stringify(countStatuses(reads.map((r) => r.status)))}` +
        `; last 503 at ${last503} ms; back ${back.join(' / ')} ms after the outage (replica 1 / replica 2 / storefront)`,
    );

    expect(exits).toEqual([]);
    expect(results).toHaveLength(STORM);
    const unexpected = results.filter((r) => ![201, 409, 503].includes(r.status));
    expect(unexpected.map((r) => `${r.status} at ${r.at} ms: ${r.res?.text ?? 'no answer'}`)).toEqual([]);
    const unavailable = results.filter((r) => r.status === 503);
    // The outage did reach the requests: otherwise this test would prove nothing.
    expect(unavailable.length).toBeGreaterThan(0);
    for (const r of unavailable) {
      expect(r.res?.contentType).toContain('application/problem+json');
      expect(r.res?.body).toMatchObject({
        type: expect.stringMatching(/\/service-unavailable$/),
        status: 503,
      });
      expect(Number(r.res?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Through the storefront: the process API's 503 is relayed as a retryable 503, never a 502.
    const shopUnexpected = shopReservations.filter((r) => ![201, 409, 503].includes(r.status));
    expect(shopUnexpected.map((r) => `${r.status}: ${r.res?.text ?? 'no answer'}`)).toEqual([]);
    for (const r of shopReservations.filter((x) => x.status === 503)) {
      expect(r.res?.contentType).toContain('application/problem+json');
      expect(Number(r.res?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Storefront availability comes from Redis: the PostgreSQL outage does not touch it.
    expect(reads.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    for (const ms of back) expect(ms).toBeLessThan(10_000);

    // Both replicas listen for outbox notifications again...
    const listening = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = 'process-reservations' AND query = 'LISTEN sb_outbox'`,
          )
        ).rows[0].n,
      );
    const deadline = Date.now() + 10_000;
    while ((await listening()) < 2 && Date.now() < deadline) await sleep(100);
    expect(await listening()).toBe(2);
    // ...and an event committed now is published at once, not after the 60 s fallback poll.
    for (const [i, client] of clients.entries()) {
      const created = await client.request<{ id: string }>('POST', '/v1/channels/web/reservations', {
        body: { lines: [{ sku: SKUS[2], quantity: 1 }] },
        headers: { 'idempotency-key': randomUUID(), 'x-idempotency-principal': 'client:after' },
      });
      expect(created.status).toBe(201);
      const confirmed = await client.request(
        'POST',
        `/v1/channels/web/reservations/${created.body.id}/confirm`,
      );
      expect(confirmed.status).toBe(200);
      const committed = Date.now();
      let published = false;
      while (!published && Date.now() - committed < 5_000) {
        const row = await db.query<{ published: boolean }>(
          `SELECT published_at IS NOT NULL AS published FROM outbox_events
           WHERE event_type = 'reservation.confirmed' AND envelope->'payload'->>'reservationId' = $1`,
          [created.body.id],
        );
        published = row.rows[0]?.published ?? false;
        if (!published) await sleep(50);
      }
      console.info(`replica ${i + 1}: confirmation event published after ${Date.now() - committed} ms`);
      expect(published).toBe(true);
      // In Redis: BullMQ's job (job id = event id) on a queue the event is routed to.
      const event = await db.query<{ id: string }>(
        `SELECT id FROM outbox_events WHERE envelope->'payload'->>'reservationId' = $1`,
        [created.body.id],
      );
      expect(await redis.exists(`${env.redisPrefix}q:erp.commitments:${event.rows[0].id}`)).toBe(1);
    }

    expect(exits).toEqual([]);
    await assertLedgerInvariants({ db, movements: new Movements(db) } as unknown as TestPlatform);
    for (const c of [...clients, ...probes, shop, shopProbe]) await c.close();
  });
});

function countStatuses(statuses: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}
