// Longer than 400 lines on purpose: every command of the CLI runs against one migrated database and Redis
// prefix set up once; split per command, each file would set them up again.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db, Movements } from '@stockbridge/ledger';
import { dropDatabase, withDatabaseName } from '@stockbridge/persistence';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/environment';
import { runCli } from './cli';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

describe('stockbridge CLI against PostgreSQL and Redis', () => {
  let env: TestEnvironment;
  let pool: Pool;
  let db: Db;
  let redis: Redis;
  let firstDemo: Run;

  async function cli(argv: string[], extraEnv: Record<string, string | undefined> = {}): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const status = await runCli(argv, {
      env: {
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        REDIS_PREFIX: env.redisPrefix,
        ...extraEnv,
      },
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    });
    return { status, stdout, stderr };
  }

  async function stockSnapshot() {
    const levels = await db.query<{ n: string; on_hand: string; safety: string; versions: string }>(
      'SELECT count(*) AS n, sum(on_hand) AS on_hand, sum(safety_stock) AS safety, sum(version) AS versions FROM stock_levels',
    );
    const movements = await db.query<{ n: string }>('SELECT count(*) AS n FROM stock_movements');
    return { ...levels.rows[0], movements: movements.rows[0].n };
  }

  beforeAll(async () => {
    env = await createTestEnvironment('cli');
    pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
    db = new Db(pool);
    redis = new Redis(env.redisUrl);
    firstDemo = await cli(['demo', '--json']);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await pool?.end();
    await env?.teardown();
  });

  describe('demo', () => {
    it('prints exactly one line of JSON on stdout with a key per channel and the catalog size', () => {
      expect(firstDemo.status).toBe(0);
      const lines = firstDemo.stdout.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      const summary = JSON.parse(lines[0]) as {
        keys: { channel: string; key: string }[];
        storeKeys: { channel: string; store: string; key: string }[];
      };
      expect(summary).toEqual({
        keys: expect.any(Array),
        storeKeys: expect.any(Array),
        skus: 500,
        locations: 6,
        channels: 3,
      });
      expect(summary.keys.map((k) => k.channel)).toEqual(['web', 'marketplace', 'pos']);
      for (const k of summary.keys) expect(k.key).toMatch(new RegExp(`^sb_${k.channel}_`));
      expect(summary.storeKeys.map((k) => `${k.channel}:${k.store}`)).toEqual([
        'pos:STORE-NYC',
        'pos:STORE-BOS',
        'pos:STORE-SF',
        'pos:STORE-CHI',
      ]);
      for (const k of summary.storeKeys) expect(k.key).toMatch(/^sb_pos_/);
      expect(firstDemo.stderr).toContain('demo catalog loaded');
    });

    it('publishes every SKU to the read model with the channel policies applied', async () => {
      const model = new AvailabilityReadModel(redis, env.redisPrefix);
      const [web] = await model.read('web', ['SKU-00001']);
      const [market] = await model.read('marketplace', ['SKU-00001']);
      const [pos] = await model.read('pos', ['SKU-00001']);
      expect([web.available, market.available, pos.available]).toEqual([196, 50, 28]);
      expect(await redis.hlen(`${env.redisPrefix}availability:web`)).toBe(500);
    });

    it('changes no stock when run again, and replaces the demo keys', async () => {
      const before = await stockSnapshot();
      const second = await cli(['demo', '--json']);
      expect(second.status).toBe(0);
      expect(second.stderr).toContain('already loaded');
      expect(await stockSnapshot()).toEqual(before);

      const clients = await db.query<{ name: string; revoked: boolean }>(
        `SELECT name, revoked_at IS NOT NULL AS revoked FROM api_clients WHERE name LIKE 'demo-%' ORDER BY created_at`,
      );
      expect(
        clients.rows
          .filter((c) => !c.revoked)
          .map((c) => c.name)
          .sort(),
      ).toEqual([
        'demo-marketplace',
        'demo-pos',
        'demo-pos-store-bos',
        'demo-pos-store-chi',
        'demo-pos-store-nyc',
        'demo-pos-store-sf',
        'demo-web',
      ]);
      expect(clients.rows.filter((c) => c.revoked)).toHaveLength(7);
      const stores = await db.query<{ store: string | null; scopes: string[] }>(
        `SELECT store, scopes FROM api_clients WHERE name LIKE 'demo-pos%' AND revoked_at IS NULL ORDER BY name`,
      );
      expect(stores.rows.map((r) => r.store)).toEqual([
        null,
        'STORE-BOS',
        'STORE-CHI',
        'STORE-NYC',
        'STORE-SF',
      ]);
      expect(stores.rows[0].scopes).toEqual(['availability:read', 'reservations:write']);
      expect(stores.rows[1].scopes).toEqual(['pos:transactions', 'pos:stock:read', 'pos:pickups:write']);
    });

    it('prints a readable summary without --json', async () => {
      const run = await cli(['demo']);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/web\s+sb_web_/);
      expect(() => JSON.parse(run.stdout)).toThrow();
    });
  });

  describe('stock', () => {
    it('counts with "stock set", moves by a signed quantity with "stock adjust" and records both in the journal', async () => {
      const set = await cli(['stock', 'set', 'SKU-00002', 'STORE-SF', '17', '--reason', 'cycle count']);
      expect(set.status).toBe(0);
      expect(set.stdout).toContain('counted SKU-00002 at STORE-SF');
      const adjust = await cli(['stock', 'adjust', 'SKU-00002', 'STORE-SF', '-5']);
      expect(adjust.status).toBe(0);
      expect(adjust.stdout).toMatch(/on hand 17 → 12 \(-5,/);

      const [level] = await new Movements(db).levels({ sku: 'SKU-00002', location: 'STORE-SF' });
      expect(level.onHand).toBe(12);
      const journal = await db.query<{ movement_type: string; reason: string }>(
        `SELECT movement_type, reason FROM stock_movements WHERE source_system = 'cli' AND sku = 'SKU-00002' ORDER BY id`,
      );
      expect(journal.rows).toEqual([
        { movement_type: 'count', reason: 'cycle count' },
        { movement_type: 'adjust', reason: 'stock adjust from the CLI' },
      ]);
    });

    it('publishes the changed SKU so the read model shows the new figure at once', async () => {
      await cli(['stock', 'set', 'SKU-00003', 'STORE-NYC', '0']);
      await cli(['stock', 'set', 'SKU-00003', 'STORE-BOS', '0']);
      await cli(['stock', 'set', 'SKU-00003', 'STORE-SF', '0']);
      expect((await cli(['stock', 'set', 'SKU-00003', 'STORE-CHI', '9'])).status).toBe(0);
      const [chi] = await new Movements(db).levels({ sku: 'SKU-00003', location: 'STORE-CHI' });
      const [pos] = await new AvailabilityReadModel(redis, env.redisPrefix).read('pos', ['SKU-00003']);
      expect(pos.available).toBe(9 - chi.safetyStock);
    });

    it('shows a SKU at every location, with totals and channel availability', async () => {
      const run = await cli(['stock', 'show', 'SKU-00001']);
      expect(run.status).toBe(0);
      for (const code of ['WH-EAST', 'WH-WEST', 'STORE-NYC', 'STORE-BOS', 'STORE-SF', 'STORE-CHI', 'total']) {
        expect(run.stdout).toContain(code);
      }
      expect(run.stdout).toContain('channel availability: web 196 · marketplace 50 · pos 28');
    });

    it('refuses an adjustment below zero with the ledger message and exit status 1', async () => {
      const run = await cli(['stock', 'adjust', 'SKU-00001', 'STORE-CHI', '-1000']);
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        'error: adjust of -1000 for SKU-00001 at STORE-CHI would leave a bucket negative or hold more than is on hand.',
      ]);
    });

    it('refuses an unknown SKU with exit status 1 and a malformed quantity with exit status 2', async () => {
      expect(await cli(['stock', 'set', 'NOPE', 'WH-EAST', '1'])).toMatchObject({
        status: 1,
        stderr: 'error: Unknown SKU "NOPE".\n',
      });
      const bad = await cli(['stock', 'set', 'SKU-00001', 'WH-EAST', '1.5']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('quantity must be a whole number');
    });
  });

  describe('catalog load', () => {
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sb-cli-'));
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('loads a CSV directory once: a second load of the same files applies nothing', async () => {
      const csv = join(dir, 'good');
      await mkdir(csv);
      await writeFile(
        join(csv, 'locations.csv'),
        'code,name,type\r\nWH-SOUTH,"South DC, Atlanta",warehouse\r\n',
      );
      await writeFile(join(csv, 'skus.csv'), 'sku,name,priceCents\nSKU-70001,"Socks ""3-pack""",2400\n');
      await writeFile(
        join(csv, 'stock.csv'),
        'sku,location,onHand,safetyStock\nSKU-70001,WH-SOUTH,40,4\nSKU-00001,WH-SOUTH,3,\n',
      );

      const first = await cli(['catalog', 'load', csv]);
      expect(first.status).toBe(0);
      expect(first.stdout).toContain('3 movements applied, 0 already applied');
      const before = await stockSnapshot();
      const second = await cli(['catalog', 'load', csv]);
      expect(second.stdout).toContain('0 movements applied, 3 already applied');
      expect(await stockSnapshot()).toEqual(before);
      const [level] = await new Movements(db).levels({ sku: 'SKU-70001', location: 'WH-SOUTH' });
      expect([level.onHand, level.safetyStock]).toEqual([40, 4]);
    });

    it("sets a location's reconciliation policy from the file and keeps it when a later file leaves it out", async () => {
      const policies = async () =>
        (
          await db.query<{ code: string; reconciliation_policy: string }>(
            `SELECT code, reconciliation_policy FROM locations WHERE code LIKE 'WH-RECON-%' ORDER BY code`,
          )
        ).rows;
      const first = join(dir, 'policies.json');
      await writeFile(
        first,
        JSON.stringify({
          locations: [
            { code: 'WH-RECON-1', name: 'Recon 1', type: 'warehouse', reconciliationPolicy: 'trust-wms' },
            { code: 'WH-RECON-2', name: 'Recon 2', type: 'warehouse', reconciliationPolicy: 'trust-erp' },
            { code: 'WH-RECON-3', name: 'Recon 3', type: 'warehouse' },
          ],
        }),
      );
      expect((await cli(['catalog', 'load', first])).status).toBe(0);
      expect(await policies()).toEqual([
        { code: 'WH-RECON-1', reconciliation_policy: 'trust-wms' },
        { code: 'WH-RECON-2', reconciliation_policy: 'trust-erp' },
        { code: 'WH-RECON-3', reconciliation_policy: 'report-only' },
      ]);

      const csv = join(dir, 'policies-csv');
      await mkdir(csv);
      await writeFile(
        join(csv, 'locations.csv'),
        'code,name,type,reconciliation_policy\n' +
          'WH-RECON-1,Recon 1,warehouse,\n' +
          'WH-RECON-2,Recon 2,warehouse,report-only\n' +
          'WH-RECON-3,Recon 3,warehouse,trust-wms\n',
      );
      expect((await cli(['catalog', 'load', csv])).status).toBe(0);
      expect(await policies()).toEqual([
        { code: 'WH-RECON-1', reconciliation_policy: 'trust-wms' },
        { code: 'WH-RECON-2', reconciliation_policy: 'report-only' },
        { code: 'WH-RECON-3', reconciliation_policy: 'trust-wms' },
      ]);

      const bad = join(dir, 'bad-policy.json');
      await writeFile(
        bad,
        JSON.stringify({
          locations: [
            { code: 'WH-RECON-1', name: 'Recon 1', type: 'warehouse', reconciliationPolicy: 'trust-oms' },
          ],
        }),
      );
      const refused = await cli(['catalog', 'load', bad]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(
        'locations[0].reconciliationPolicy: must be "trust-wms", "trust-erp" or "report-only" (got "trust-oms")',
      );
      expect((await policies())[0]).toEqual({ code: 'WH-RECON-1', reconciliation_policy: 'trust-wms' });
    });

    it('refuses an invalid file, lists every problem with its line and writes nothing', async () => {
      const file = join(dir, 'bad.json');
      await writeFile(
        file,
        JSON.stringify({
          skus: [{ sku: 'SKU-80001', name: 'New' }],
          stock: [{ sku: 'SKU-80001', location: 'MOON', onHand: -1 }],
        }),
      );
      const run = await cli(['catalog', 'load', file]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('the catalog file has 2 problems; nothing was loaded:');
      expect(run.stderr).toContain('stock[0].location: unknown location "MOON"');
      expect(run.stderr).toContain('stock[0].onHand: must be an integer ≥ 0 (got -1)');
      const sku = await db.query(`SELECT 1 FROM skus WHERE sku = 'SKU-80001'`);
      expect(sku.rowCount).toBe(0);
    });
  });

  describe('clients', () => {
    it('creates a key shown once, lists the client without its key and revokes it', async () => {
      const created = await cli([
        'clients',
        'create',
        '--channel',
        'pos',
        '--name',
        'Till 7',
        '--scopes',
        'availability:read',
      ]);
      expect(created.status).toBe(0);
      const key = /key: (\S+)/.exec(created.stdout)![1];
      const id = /API client (\S+)/.exec(created.stdout)![1];
      expect(created.stderr).toContain('shown only this once');

      const list = await cli(['clients', 'list']);
      expect(list.stdout).toContain(id);
      expect(list.stdout).toMatch(/Till 7\s+pos\s+availability:read\s+sb_pos_/);
      expect(list.stdout).not.toContain(key);

      expect((await cli(['clients', 'revoke', id])).stdout).toBe(`revoked API client ${id}\n`);
      const again = await cli(['clients', 'revoke', id]);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('was already revoked');
    });

    it('binds a key to a store of the channel, with the POS scopes unless told otherwise', async () => {
      const created = await cli([
        'clients',
        'create',
        '--channel',
        'pos',
        '--name',
        'Till 3',
        '--store',
        'STORE-SF',
      ]);
      expect(created.status).toBe(0);
      expect(created.stdout).toContain(
        '"Till 3" for store STORE-SF of channel pos (pos:transactions, pos:stock:read, pos:pickups:write)',
      );
      expect((await cli(['clients', 'list'])).stdout).toMatch(/Till 3\s+pos\s+STORE-SF\s+pos:transactions,/);
    });

    it('refuses a store that is not a store of the channel, and POS scopes without a store', async () => {
      const store = (code: string, channel = 'pos') =>
        cli(['clients', 'create', '--channel', channel, '--name', 'x', '--store', code]);
      expect(await store('WH-EAST')).toMatchObject({
        status: 1,
        stderr: 'error: --store: location "WH-EAST" is a warehouse, not a store\n',
      });
      expect((await store('STORE-NYC', 'marketplace')).stderr).toBe(
        'error: --store: store "STORE-NYC" is not one of channel "marketplace"\'s locations\n',
      );
      expect((await store('MOON')).stderr).toBe('error: --store: unknown location "MOON"\n');
      const unbound = await cli([
        'clients',
        'create',
        '--channel',
        'pos',
        '--name',
        'x',
        '--scopes',
        'pos:transactions',
      ]);
      expect(unbound.status).toBe(2);
      expect(unbound.stderr).toContain('pos:transactions act for one store: add --store <code>');
      const keys = await db.query(`SELECT 1 FROM api_clients WHERE name = 'x'`);
      expect(keys.rowCount).toBe(0);
    });

    it('refuses an unknown channel and an unknown scope', async () => {
      expect((await cli(['clients', 'create', '--channel', 'nope', '--name', 'x'])).stderr).toContain(
        'unknown channel "nope"',
      );
      expect(
        (await cli(['clients', 'create', '--channel', 'web', '--name', 'x', '--scopes', 'admin'])).status,
      ).toBe(2);
    });
  });

  describe('configuration and usage', () => {
    it('creates and migrates a missing database on the first command', async () => {
      const url = withDatabaseName(
        env.databaseUrl,
        `${new URL(env.databaseUrl).pathname.slice(1)}_fresh`.slice(0, 63),
      );
      try {
        const run = await cli(['migrate'], { DATABASE_URL: url });
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/\(created\): applied InitialLedger/);
        expect((await cli(['migrate'], { DATABASE_URL: url })).stdout).toContain('schema is up to date');
      } finally {
        await dropDatabase(url);
      }
    });

    it('publishes nothing, with a note, when REDIS_URL is not set', async () => {
      const run = await cli(['stock', 'adjust', 'SKU-00004', 'WH-EAST', '1'], { REDIS_URL: undefined });
      expect(run.status).toBe(0);
      expect(run.stderr).toContain('REDIS_URL is not set');
    });

    it('exits with 1 and a one-line message when Redis cannot be reached, before changing anything', async () => {
      const before = await stockSnapshot();
      const run = await cli(['stock', 'adjust', 'SKU-00004', 'WH-EAST', '1'], {
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^error: cannot connect to Redis at redis:\/\/127\.0\.0\.1:1/);
      expect(await stockSnapshot()).toEqual(before);
    });

    it('exits with 1 when DATABASE_URL is missing, and with 2 and the usage for an unknown command', async () => {
      expect(await cli(['migrate'], { DATABASE_URL: undefined })).toMatchObject({
        status: 1,
        stderr: expect.stringMatching(/^error: DATABASE_URL is not set/),
      });
      const unknown = await cli(['frobnicate']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('error: unknown command "frobnicate"');
      expect(unknown.stderr).toContain('usage:');
    });
  });

  it('leaves a journal that reproduces every stock level', async () => {
    const movements = new Movements(db);
    const replayed = await movements.replayJournal();
    for (const l of await movements.levels()) {
      const j = replayed.get(`${l.sku}@${l.location}`)!;
      expect({ at: `${l.sku}@${l.location}`, onHand: j.onHand, safetyStock: j.safetyStock }).toEqual({
        at: `${l.sku}@${l.location}`,
        onHand: l.onHand,
        safetyStock: l.safetyStock,
      });
    }
  });
});
