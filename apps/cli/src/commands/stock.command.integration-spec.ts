import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db, StoreTransactions } from '@stockbridge/ledger';
import { Pool } from 'pg';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/environment';
import { runCli } from '../cli';

/** The `stock` commands on a store whose tills sold more than the ledger had (docs/cli.md#stock-show-sku). */
describe('stock commands and oversold store stock', () => {
  let env: TestEnvironment;
  let pool: Pool;
  let dir: string;

  async function cli(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const status = await runCli(argv, {
      env: { DATABASE_URL: env.databaseUrl },
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    });
    return { status, stdout, stderr };
  }

  /** The cells of a table row of the output, by its first cell. */
  function row(stdout: string, first: string): Record<string, string> {
    const lines = stdout.split('\n');
    const header = lines.find((l) => l.startsWith('location '))!;
    const titles = header.split(/ {2,}/);
    const cells = lines.find((l) => l.startsWith(`${first} `))!.split(/ {2,}/);
    if (first === 'total') cells.splice(1, 0, '');
    return Object.fromEntries(titles.map((t, i) => [t, cells[i]]));
  }

  beforeAll(async () => {
    env = await createTestEnvironment('cli_oversold');
    pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
    dir = await mkdtemp(join(tmpdir(), 'sb-cli-oversold-'));
    const file = join(dir, 'catalog.json');
    await writeFile(
      file,
      JSON.stringify({
        locations: [
          { code: 'WH-A', name: 'Warehouse A', type: 'warehouse' },
          { code: 'STORE-A', name: 'Store A', type: 'store' },
        ],
        skus: [{ sku: 'OS-1', name: 'Oversold sock' }],
        channels: [
          { code: 'pos', name: 'Stores', pool: [{ location: 'STORE-A' }] },
          { code: 'web', name: 'Web', pool: [{ location: 'WH-A' }, { location: 'STORE-A' }] },
        ],
        stock: [
          { sku: 'OS-1', location: 'WH-A', onHand: 10 },
          { sku: 'OS-1', location: 'STORE-A', onHand: 2 },
        ],
      }),
    );
    expect((await cli(['catalog', 'load', file])).status).toBe(0);
    // The tills sold 5 of the 2 the ledger had: 3 oversold.
    const applied = await new StoreTransactions(new Db(pool)).applyBatch('STORE-A', [
      {
        transactionId: 'T-1',
        type: 'sale',
        occurredAt: new Date(),
        lines: [{ sku: 'OS-1', quantity: 5 }],
        voidsTransactionId: null,
      },
    ]);
    expect(applied.outcomes).toEqual([{ status: 'applied' }]);
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    if (dir) await rm(dir, { recursive: true, force: true });
    await env?.teardown();
  });

  it('shows what a store oversold, with 0 available there, in "stock show"', async () => {
    const shown = await cli(['stock', 'show', 'OS-1']);
    expect(shown.status).toBe(0);
    expect(row(shown.stdout, 'STORE-A')).toMatchObject({ 'on hand': '0', oversold: '3', available: '0' });
    expect(row(shown.stdout, 'WH-A')).toMatchObject({ 'on hand': '10', oversold: '0', available: '10' });
    expect(row(shown.stdout, 'total')).toMatchObject({ 'on hand': '10', oversold: '3', available: '10' });
  });

  it('says that a count settled the oversold units, and shows the level cleared', async () => {
    const counted = await cli(['stock', 'set', 'OS-1', 'STORE-A', '4']);
    expect(counted.status).toBe(0);
    expect(counted.stdout).toMatch(
      /^counted OS-1 at STORE-A: on hand 0 → 4 \(\+4, movement \d+, event [0-9a-f-]+\); oversold 3 → 0$/m,
    );
    expect(row(counted.stdout, 'STORE-A')).toMatchObject({ 'on hand': '4', oversold: '0', available: '4' });

    const again = await cli(['stock', 'set', 'OS-1', 'STORE-A', '4']);
    expect(again.stdout).toMatch(
      /^counted OS-1 at STORE-A: on hand 4 → 4 \(\+0, movement \d+, event [0-9a-f-]+\)$/m,
    );
  });
});
