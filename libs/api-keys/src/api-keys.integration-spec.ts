import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/environment';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { ApiKeys, ApiKeysUnavailableError, ApiKeyStoreError } from './api-keys';

/** The real PostgreSQL behind a counter of the queries ApiKeys sends. */
function countingPool(pool: Pool): { pool: Pool; queries: () => number; reset: () => void } {
  let queries = 0;
  const counted = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (...args: unknown[]) => {
          queries++;
          return (target.query as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return {
    pool: counted,
    queries: () => queries,
    reset: () => {
      queries = 0;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const randomKey = () => `sb_web_${randomBytes(32).toString('base64url')}`;

describe('ApiKeys against PostgreSQL', () => {
  let env: TestEnvironment;
  let pool: Pool;
  let admin: ApiKeys;

  beforeAll(async () => {
    env = await createTestEnvironment('apiclients');
    pool = new Pool({ connectionString: env.databaseUrl, max: 4 });
    await pool.query(`INSERT INTO channels (code, name) VALUES ('web', 'web')`);
    admin = new ApiKeys(pool, 0);
  });

  afterAll(async () => {
    await pool?.end();
    await env?.teardown();
  });

  it('answers 1,000 random unknown keys with at most one query per second, and known keys with none', async () => {
    const { key } = await admin.create({ name: 'shop', channel: 'web', scopes: ['availability:read'] });
    const counted = countingPool(pool);
    const clients = new ApiKeys(counted.pool, 10_000);
    expect(await clients.verify(key)).toMatchObject({ channel: 'web' });
    expect(counted.queries()).toBe(1);
    counted.reset();

    const started = Date.now();
    const answers: unknown[] = [];
    for (let batch = 0; batch < 10; batch++) {
      answers.push(...(await Promise.all(Array.from({ length: 100 }, () => clients.verify(randomKey())))));
    }
    const seconds = (Date.now() - started) / 1000;
    expect(answers).toHaveLength(1000);
    expect(answers.every((a) => a === null)).toBe(true);
    expect(counted.queries()).toBeLessThanOrEqual(Math.ceil(seconds) + 1);

    counted.reset();
    for (let i = 0; i < 100; i++) expect(await clients.verify(key)).not.toBeNull();
    expect(counted.queries()).toBe(0);
  });

  it("binds a key to a store of its channel's pool, and refuses any other location", async () => {
    await pool.query(`
      INSERT INTO locations (code, name, type) VALUES ('S-1', 'store 1', 'store'), ('S-2', 'store 2', 'store'),
        ('W-1', 'warehouse 1', 'warehouse');
      INSERT INTO channels (code, name) VALUES ('pos', 'pos');
      INSERT INTO channel_locations (channel, location) VALUES ('pos', 'S-1'), ('pos', 'W-1');`);
    const bound = await admin.create({
      name: 'till',
      channel: 'pos',
      store: 'S-1',
      scopes: ['pos:transactions'],
    });
    expect(await new ApiKeys(pool, 0).verify(bound.key)).toMatchObject({ store: 'S-1', channel: 'pos' });
    const unbound = await admin.create({ name: 'shop', channel: 'web', scopes: ['availability:read'] });
    expect(unbound.store).toBeNull();

    const refused = async (store: string) => {
      const before = (await admin.list()).length;
      const err = await admin
        .create({ name: 'x', channel: 'pos', store, scopes: [] })
        .catch((e: unknown) => e);
      expect((await admin.list()).length).toBe(before);
      expect(err).toBeInstanceOf(ApiKeyStoreError);
      return (err as Error).message;
    };
    expect(await refused('S-2')).toBe('store "S-2" is not one of channel "pos"\'s locations');
    expect(await refused('W-1')).toBe('location "W-1" is a warehouse, not a store');
    expect(await refused('NOPE')).toBe('unknown location "NOPE"');
  });

  it('shares one load among concurrent verifications', async () => {
    const { key } = await admin.create({ name: 'shop', channel: 'web', scopes: ['availability:read'] });
    const counted = countingPool(pool);
    const clients = new ApiKeys(counted.pool, 10_000);
    const answers = await Promise.all(Array.from({ length: 200 }, () => clients.verify(key)));
    expect(answers.every((a) => a?.channel === 'web')).toBe(true);
    expect(counted.queries()).toBe(1);
  });

  it('knows a key created after the set was loaded within about a second', async () => {
    const clients = new ApiKeys(pool, 60_000);
    await clients.verify(randomKey()); // loads the set
    const { key } = await admin.create({ name: 'new', channel: 'web', scopes: ['availability:read'] });
    const started = Date.now();
    let found = await clients.verify(key);
    while (!found && Date.now() - started < 3000) {
      await sleep(50);
      found = await clients.verify(key);
    }
    expect(found).toMatchObject({ name: 'new' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops accepting a revoked key within the cache time', async () => {
    const clients = new ApiKeys(pool, 300);
    const created = await admin.create({ name: 'gone', channel: 'web', scopes: ['availability:read'] });
    expect(await clients.verify(created.key)).not.toBeNull();
    await admin.revoke(created.id);
    await sleep(350);
    expect(await clients.verify(created.key)).toBeNull();
  });

  it('with a cache time of 0, sees creations and revocations at once', async () => {
    const clients = new ApiKeys(pool, 0);
    await clients.verify(randomKey());
    const created = await admin.create({ name: 'now', channel: 'web', scopes: ['availability:read'] });
    expect(await clients.verify(created.key)).not.toBeNull();
    await admin.revoke(created.id);
    expect(await clients.verify(created.key)).toBeNull();
  });

  it('keeps using the last loaded keys while PostgreSQL is unreachable, and refuses when it never loaded any', async () => {
    const { key } = await admin.create({ name: 'steady', channel: 'web', scopes: ['availability:read'] });
    const target = new URL(env.databaseUrl);
    const proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const viaProxy = new URL(env.databaseUrl);
    viaProxy.port = String(proxy.port);
    const cut = new Pool({ connectionString: viaProxy.toString(), max: 2, connectionTimeoutMillis: 1000 });
    cut.on('error', () => undefined);
    const stale: unknown[] = [];
    try {
      const clients = new ApiKeys(cut, 0, { onStaleSet: (err) => stale.push(err) });
      expect(await clients.verify(key)).not.toBeNull();
      proxy.cut();
      expect(await clients.verify(key)).toMatchObject({ name: 'steady' });
      expect(await clients.verify(randomKey())).toBeNull();
      expect(stale.length).toBeGreaterThan(0);

      const never = new ApiKeys(cut, 0);
      await expect(never.verify(key)).rejects.toBeInstanceOf(ApiKeysUnavailableError);
    } finally {
      await cut.end().catch(() => undefined);
      await proxy.stop();
    }
  });
});
