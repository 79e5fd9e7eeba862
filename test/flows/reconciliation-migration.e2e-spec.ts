import { randomBytes, randomUUID } from 'node:crypto';
import {
  dataSourceOptions,
  dropDatabase,
  ensureDatabase,
  migrate,
  MIGRATIONS,
  withDatabaseName,
} from '@stockbridge/persistence';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from '../support/environment';

/**
 * The migration that gives reconciliation exceptions one open row per SKU, location and kind, run over a
 * database where earlier runs had opened duplicates (four identical open −7 exceptions were seen).
 */
describe('reconciliation exception lifecycle migration', () => {
  const url = withDatabaseName(
    TEST_DATABASE_URL,
    `sbt_recon_mig_${process.pid}_${randomBytes(3).toString('hex')}`,
  );
  let db: Client;

  beforeAll(async () => {
    await ensureDatabase(url);
    const before = new DataSource({
      ...dataSourceOptions({ url, poolSize: 2 }),
      migrations: MIGRATIONS.filter((m) => m.name !== 'ReconciliationExceptionLifecycle1764620000000'),
    });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await before.destroy();
    db = new Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await dropDatabase(url);
  });

  it('resolves the duplicate open exceptions of earlier runs, keeping the assigned one, else the latest, and then refuses a second open one', async () => {
    const runs = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of runs.entries())
      await db.query(
        `INSERT INTO reconciliation_runs (id, trigger, status, started_at) VALUES ($1, 'schedule', 'succeeded', now() - make_interval(days => $2))`,
        [id, 4 - i],
      );
    const open = async (runId: string, sku: string, kind: string, status = 'open', daysAgo = 0) => {
      const id = randomUUID();
      await db.query(
        `INSERT INTO reconciliation_exceptions (id, run_id, sku, location, kind, variance, exposure_cents, status, assignee, opened_at)
         VALUES ($1, $2, $3, 'WH-1', $4, -7, 700, $5, $6, now() - make_interval(days => $7))`,
        [id, runId, sku, kind, status, status === 'assigned' ? 'bob' : null, daysAgo],
      );
      return id;
    };
    // Four identical open −7 exceptions of one SKU, the latest kept.
    const a = [
      await open(runs[0], 'A', 'erp-variance', 'open', 4),
      await open(runs[1], 'A', 'erp-variance', 'open', 3),
      await open(runs[2], 'A', 'erp-variance', 'open', 2),
      await open(runs[3], 'A', 'erp-variance', 'open', 1),
    ];
    // An assigned one is kept over later ones; another kind of the same line is another exception.
    const bAssigned = await open(runs[0], 'B', 'wms-variance', 'assigned', 4);
    const bLater = await open(runs[3], 'B', 'wms-variance', 'open', 1);
    const bOtherKind = await open(runs[3], 'B', 'erp-variance', 'open', 1);

    await migrate(url);

    const rows = (
      await db.query<{
        id: string;
        status: string;
        resolved_by: string | null;
        note: string | null;
        last_run_id: string;
      }>(`SELECT id, status, resolved_by, note, last_run_id FROM reconciliation_exceptions`)
    ).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(
      rows
        .filter((r) => r.status !== 'resolved')
        .map((r) => r.id)
        .sort(),
    ).toEqual([a[3], bAssigned, bOtherKind].sort());
    for (const dup of [a[0], a[1], a[2]])
      expect(byId.get(dup)).toMatchObject({
        status: 'resolved',
        resolved_by: 'system',
        note: expect.stringContaining(a[3]),
      });
    expect(byId.get(bLater)).toMatchObject({ status: 'resolved', note: expect.stringContaining(bAssigned) });
    expect(byId.get(a[3])?.last_run_id).toBe(runs[3]);

    const insert = (status: string) =>
      db.query(
        `INSERT INTO reconciliation_exceptions (id, run_id, last_run_id, sku, location, kind, variance, exposure_cents, status)
         VALUES (gen_random_uuid(), $1, $1, 'A', 'WH-1', 'erp-variance', -7, 700, $2)`,
        [runs[3], status],
      );
    await expect(insert('open')).rejects.toMatchObject({ code: '23505' });
    await expect(insert('resolved')).resolves.toMatchObject({ rowCount: 1 });
  });
});
