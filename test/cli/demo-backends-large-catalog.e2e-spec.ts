import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import { Pool } from 'pg';
import { runCli } from '../../apps/cli/src/cli';
import { buildSandboxApp } from '../../apps/sandbox/src/app';
import { SandboxConfig } from '../../apps/sandbox/src/sandbox.config';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { HttpClient } from '../support/http';

const ADMIN_TOKEN = 'demo-backends-large-admin-token';
const SKUS = 20_000;
const STOCKED = 1_200;

/**
 * `npm start` runs `demo backends` after loading whatever catalog the user loaded: a catalog larger than what
 * the sandbox takes in one request (10,000 rows, 1 MiB) must still reach the backends whole.
 */
describe('cli demo backends with a catalog of 20,000 SKUs', () => {
  let env: TestEnvironment;
  let sandbox: NestFastifyApplication;
  let sandboxUrl: string;
  let admin: HttpClient;
  let pool: Pool;
  let dir: string;

  const cli = async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const status = await runCli(argv, {
      env: { DATABASE_URL: env.databaseUrl, SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN },
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    });
    return { status, stdout, stderr };
  };

  beforeAll(async () => {
    env = await createTestEnvironment('demobackendslarge');
    pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
    sandbox = await buildSandboxApp(
      loadConfig(SandboxConfig, {
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: 'silent',
        PORT: '0',
      }),
      { quiet: true },
    );
    await sandbox.listen({ port: 0, host: '127.0.0.1' });
    sandboxUrl = `http://127.0.0.1:${(sandbox.getHttpServer().address() as AddressInfo).port}`;
    admin = new HttpClient(sandboxUrl, { authorization: `Bearer ${ADMIN_TOKEN}` });

    // Stock for the first 1,200 SKUs in the warehouse and 300 of them in the store: two batches of stock
    // figures, while the ledger's load (one movement each) stays quick.
    const skus = Array.from({ length: SKUS }, (_, i) => `SKU-${String(i + 1).padStart(5, '0')}`);
    dir = await mkdtemp(join(tmpdir(), 'demo-backends-large-'));
    const file = join(dir, 'catalog.json');
    await writeFile(
      file,
      JSON.stringify({
        locations: [
          { code: 'WH-EAST', name: 'East', type: 'warehouse' },
          { code: 'STORE-NYC', name: 'New York', type: 'store' },
        ],
        skus: skus.map((sku) => ({ sku, name: sku, priceCents: 1000 })),
        channels: [{ code: 'web', name: 'Web', pool: [{ location: 'WH-EAST', priority: 10 }] }],
        stock: skus
          .slice(0, STOCKED)
          .flatMap((sku, i) => [
            { sku, location: 'WH-EAST', onHand: (i % 50) + 1 },
            ...(i % 4 === 0 ? [{ sku, location: 'STORE-NYC', onHand: (i % 7) + 1 }] : []),
          ]),
      }),
    );
    const loaded = await cli(['catalog', 'load', file]);
    expect(loaded).toMatchObject({ status: 0, stderr: expect.not.stringContaining('rror') });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    await sandbox?.close();
    await pool?.end();
    if (dir) await rm(dir, { recursive: true, force: true });
    await env?.teardown();
  });

  const total = async (path: string) =>
    (await admin.request<{ totalItems: number }>('GET', `${path}${path.includes('?') ? '&' : '?'}pageSize=1`))
      .body.totalItems;

  it('declares every item, maps every SKU and gives the backends every stock figure, in batches', async () => {
    const run = await cli(['demo', 'backends', sandboxUrl]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`mapped ${SKUS} SKUs and 2 locations`);
    expect(run.stdout).toContain(
      `gave the sandbox ERP ${STOCKED * 1.25} and the sandbox WMS ${STOCKED} stock figures from the ledger`,
    );

    expect(await total('/erp/api/v2/items')).toBe(SKUS);
    expect(await total('/erp/api/v2/on-hand')).toBe(STOCKED * 1.25);
    expect(await total('/erp/api/v2/on-hand?siteCode=S-STORE-NYC')).toBe(STOCKED / 4);
    expect(await total('/wms/api/inventory')).toBe(STOCKED);
    const last = await admin.request<{ items: unknown[] }>(
      'GET',
      `/wms/api/inventory?warehouse=DC-WH-EAST&page=${STOCKED}&pageSize=1`,
    );
    expect(last.body.items).toEqual([{ warehouse: 'DC-WH-EAST', itemCode: 'W-SKU-01200', qtyEach: 50 }]);
    const xrefs = await pool.query<{ system: string; n: string }>(
      'SELECT system, count(*) AS n FROM sku_xrefs GROUP BY system ORDER BY system',
    );
    expect(xrefs.rows).toEqual([
      { system: 'erp', n: String(SKUS) },
      { system: 'wms', n: String(SKUS) },
    ]);

    // A second run (every `npm start`) declares everything again and leaves the stock alone.
    const again = await cli(['demo', 'backends', sandboxUrl]);
    expect(again).toMatchObject({ status: 0, stdout: expect.stringContaining('already hold stock') });
  }, 60_000);
});
