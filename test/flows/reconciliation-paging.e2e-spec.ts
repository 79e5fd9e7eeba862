import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import { Db } from '@stockbridge/persistence';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { buildProcessReconciliationApp } from '../../apps/process-reconciliation/src/app';
import { ProcessReconciliationConfig } from '../../apps/process-reconciliation/src/process-reconciliation.config';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { HttpClient, type HttpResult } from '../support/http';
import { urlOf } from '../support/platform';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Run {
  id: string;
  startedAt: string;
}
interface Exception {
  id: string;
  exposureCents: number;
  openedAt: string;
  status: string;
}
interface Problem {
  type: string;
  status: number;
  detail: string;
}

/** Ids whose order is known at a glance: the ties below are broken by them. */
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * Runs as the database keeps them, listed here in the documented order (started_at DESC, id DESC): two
 * microseconds apart within one millisecond, then three runs started at the same instant (id decides).
 */
const RUNS: [id: string, startedAt: string][] = [
  [uuid(0x101), '2025-03-01 10:00:00.000002+00'],
  [uuid(0x1f3), '2025-03-01 10:00:00.000001+00'],
  [uuid(0x1f2), '2025-03-01 10:00:00.000001+00'],
  [uuid(0x1f1), '2025-03-01 10:00:00.000001+00'],
  [uuid(0x102), '2025-02-28 23:59:59.999999+00'],
  [uuid(0x1e2), '2025-02-01 00:00:00+00'],
  [uuid(0x1e1), '2025-02-01 00:00:00+00'],
];

/**
 * Exceptions, listed here in the documented order (exposure_cents DESC, opened_at ASC, id ASC): four share an
 * exposure, two of those also their opening instant. The resolved one is only in `status=all` and `resolved`.
 */
const EXCEPTIONS: [id: string, sku: string, exposureCents: number, openedAt: string, status: string][] = [
  [uuid(0x209), 'P-1', 9000, '2025-03-01 08:00:00+00', 'open'],
  [uuid(0x2a1), 'P-2', 5000, '2025-03-01 09:00:00.000001+00', 'open'],
  [uuid(0x2a0), 'P-3', 5000, '2025-03-01 09:00:00.000002+00', 'open'],
  [uuid(0x2a2), 'P-4', 5000, '2025-03-01 09:00:00.000002+00', 'open'],
  [uuid(0x2a3), 'P-5', 5000, '2025-03-01 09:00:00.000002+00', 'assigned'],
  [uuid(0x201), 'P-6', 100, '2025-02-01 00:00:00+00', 'open'],
  [uuid(0x200), 'P-7', 100, '2025-02-02 00:00:00+00', 'resolved'],
  [uuid(0x2ff), 'P-8', 0, '2025-01-01 00:00:00+00', 'open'],
];
const ids = (status: (s: string) => boolean) => EXCEPTIONS.filter((e) => status(e[4])).map((e) => e[0]);

const cursorOf = (list: string, key: unknown[]) =>
  Buffer.from(JSON.stringify({ l: list, k: key }), 'utf8').toString('base64url');

describe('reconciliation runs and exceptions are paged by cursor, in their documented order, also through ops', () => {
  let env: TestEnvironment;
  let recon: NestFastifyApplication;
  let ops: NestFastifyApplication;
  let api: HttpClient;
  let admin: HttpClient;
  const serviceToken = randomBytes(16).toString('hex');
  const opsToken = 'ops-recon-paging-0123456789';

  /** Every page of a list, following nextCursor from the first page until it is null. */
  async function pages<T>(client: HttpClient, path: string): Promise<T[][]> {
    const out: T[][] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res: HttpResult<Page<T>> = await client.request<Page<T>>(
        'GET',
        cursor === null ? path : `${path}${sep}cursor=${cursor}`,
      );
      expect(res.status).toBe(200);
      out.push(res.body.items);
      cursor = res.body.nextCursor;
      expect(out.length).toBeLessThan(20);
    } while (cursor !== null);
    return out;
  }

  const expectInvalidCursor = (res: HttpResult<Problem>) => {
    expect([res.status, res.contentType, res.body.type]).toEqual([
      400,
      expect.stringContaining('application/problem+json'),
      'https://stockbridge.dev/problems/invalid-cursor',
    ]);
  };

  beforeAll(async () => {
    env = await createTestEnvironment('recon-paging');
    const base = {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: env.redisPrefix,
      SERVICE_TOKEN: serviceToken,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DB_POOL_SIZE: '4',
    };
    // No run is made here (no schedule, none asked for): the system APIs are never called.
    recon = await buildProcessReconciliationApp(
      loadConfig(ProcessReconciliationConfig, {
        ...base,
        SYSTEM_ERP_URL: 'http://127.0.0.1:9',
        SYSTEM_WMS_URL: 'http://127.0.0.1:9',
        RECONCILIATION_CRON: '',
      }),
      { quiet: true },
    );
    await recon.listen({ port: 0, host: '127.0.0.1' });
    api = new HttpClient(urlOf(recon), { authorization: `Bearer ${serviceToken}` }, 4);
    ops = await buildOpsApp(
      loadConfig(OpsConfig, {
        ...base,
        OPS_ADMIN_TOKENS: `erin:${opsToken}`,
        PROCESS_RECONCILIATION_URL: urlOf(recon),
      }),
      { quiet: true },
    );
    await ops.listen({ port: 0, host: '127.0.0.1' });
    admin = new HttpClient(urlOf(ops), { authorization: `Bearer ${opsToken}` }, 4);

    const db = recon.get(Db);
    for (const [id, startedAt] of RUNS)
      await db.query(
        `INSERT INTO reconciliation_runs (id, trigger, requested_by, status, started_at, finished_at, summary)
         VALUES ($1, 'on-demand', 'alice', 'succeeded', $2::timestamptz, $2::timestamptz + interval '4 seconds', $3)`,
        [id, startedAt, JSON.stringify({ lines: 2, exceptions: 1, missing: [] })],
      );
    const [firstRun] = RUNS[0];
    for (const [id, sku, exposureCents, openedAt, status] of EXCEPTIONS)
      await db.query(
        `INSERT INTO reconciliation_exceptions (id, run_id, last_run_id, last_seen_at, sku, location, kind, variance,
           exposure_cents, status, assignee, note, resolved_by, resolved_at, opened_at)
         VALUES ($1, $2, $2, $4::timestamptz, $3, 'WH-1', 'erp-variance', -2, $5, $6,
           CASE WHEN $6 = 'assigned' THEN 'bob' END,
           CASE WHEN $6 = 'resolved' THEN 'Counted again' END,
           CASE WHEN $6 = 'resolved' THEN 'bob' END,
           CASE WHEN $6 = 'resolved' THEN $4::timestamptz + interval '1 day' END, $4::timestamptz)`,
        [id, firstRun, sku, openedAt, exposureCents, status],
      );
    // One line with a variance, one without: `all=true` shows both.
    await db.query(
      `INSERT INTO reconciliation_lines (run_id, sku, location, ledger_on_hand, erp_on_hand, wms_on_hand,
         erp_variance, wms_variance, unit_price_cents, exposure_cents)
       VALUES ($1, 'P-1', 'WH-1', 10, 8, 10, -2, 0, 4500, 9000), ($1, 'P-9', 'WH-1', 5, 5, 5, 0, 0, 100, 0)`,
      [firstRun],
    );
  });

  afterAll(async () => {
    await admin?.close();
    await api?.close();
    await ops?.close();
    await recon?.close();
    await env?.teardown();
  });

  it('pages through the runs newest first, ties broken by id, microseconds kept, each run once', async () => {
    const got = await pages<Run>(api, '/v1/reconciliation/runs?limit=2');
    expect(got.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(got.flat().map((r) => r.id)).toEqual(RUNS.map(([id]) => id));

    // The default page holds them all (50), with no next page.
    const all = await api.request<Page<Run>>('GET', '/v1/reconciliation/runs');
    expect(all.body.items.map((r) => r.id)).toEqual(RUNS.map(([id]) => id));
    expect(all.body.nextCursor).toBeNull();
    for (const limit of [0, 201, 'x'])
      expect((await api.request('GET', `/v1/reconciliation/runs?limit=${limit}`)).status).toBe(400);
  });

  it('pages through the unresolved exceptions by exposure, then opening, then id, each once, the filter kept across pages', async () => {
    const open = await pages<Exception>(api, '/v1/reconciliation/exceptions?limit=2');
    expect(open.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(open.flat().map((e) => e.id)).toEqual(ids((s) => s !== 'resolved'));

    const all = await pages<Exception>(api, '/v1/reconciliation/exceptions?status=all&limit=3');
    expect(all.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(all.flat().map((e) => e.id)).toEqual(ids(() => true));

    const assigned = await pages<Exception>(api, '/v1/reconciliation/exceptions?status=assigned&limit=1');
    expect(assigned.flat().map((e) => [e.id, e.status])).toEqual([[uuid(0x2a3), 'assigned']]);

    for (const limit of [0, 501])
      expect((await api.request('GET', `/v1/reconciliation/exceptions?limit=${limit}`)).status).toBe(400);
  });

  it("refuses another list's cursor, an altered one and a forged one with 400 invalid-cursor", async () => {
    const runs = await api.request<Page<Run>>('GET', '/v1/reconciliation/runs?limit=2');
    const exceptions = await api.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions?limit=2');
    const runCursor = runs.body.nextCursor!;
    const exceptionCursor = exceptions.body.nextCursor!;

    expectInvalidCursor(await api.request('GET', `/v1/reconciliation/exceptions?cursor=${runCursor}`));
    expectInvalidCursor(await api.request('GET', `/v1/reconciliation/runs?cursor=${exceptionCursor}`));
    expectInvalidCursor(
      await api.request('GET', `/v1/reconciliation/runs?cursor=${runCursor.slice(0, runCursor.length - 6)}`),
    );
    // Right list, wrong values: not a UUID, a date that does not exist, too few values.
    for (const [path, forged] of [
      ['runs', cursorOf('reconciliation-runs', ['2025-03-01 10:00:00+00', 'not-a-uuid'])],
      ['runs', cursorOf('reconciliation-runs', ['2025-02-30 10:00:00+00', uuid(1)])],
      ['exceptions', cursorOf('reconciliation-exceptions', ['5000', '2025-03-01 09:00:00+00'])],
      ['exceptions', cursorOf('reconciliation-exceptions', ['lots', '2025-03-01 09:00:00+00', uuid(1)])],
    ])
      expectInvalidCursor(await api.request('GET', `/v1/reconciliation/${path}?cursor=${forged}`));
  });

  it('shows a run with the lines that differ, or all of them with all=true, and refuses any other all', async () => {
    const [firstRun] = RUNS[0];
    const lines = async (query: string) =>
      (
        await api.request<{ lines: { sku: string }[] }>('GET', `/v1/reconciliation/runs/${firstRun}${query}`)
      ).body.lines.map((l) => l.sku);
    expect(await lines('')).toEqual(['P-1']);
    expect(await lines('?all=false')).toEqual(['P-1']);
    expect(await lines('?all=true')).toEqual(['P-1', 'P-9']);
    const bad = await api.request<Problem>('GET', `/v1/reconciliation/runs/${firstRun}?all=yes`);
    expect([bad.status, bad.body.detail]).toEqual([
      400,
      expect.stringContaining('all must be true or false'),
    ]);
    const missing = await api.request<Problem>('GET', `/v1/reconciliation/runs/${uuid(0xdead)}`);
    expect([missing.status, missing.body.type]).toEqual([404, 'https://stockbridge.dev/problems/not-found']);
  });

  it('pages the same way through ops, which passes limit, cursor and status on', async () => {
    const direct = await pages<Exception>(api, '/v1/reconciliation/exceptions?status=all&limit=2');
    const viaOps = await pages<Exception>(admin, '/v1/reconciliation/exceptions?status=all&limit=2');
    expect(viaOps.map((p) => p.map((e) => e.id))).toEqual(direct.map((p) => p.map((e) => e.id)));
    expect(viaOps.flat().map((e) => e.id)).toEqual(ids(() => true));

    const runs = await pages<Run>(admin, '/v1/reconciliation/runs?limit=3');
    expect(runs.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(runs.flat().map((r) => r.id)).toEqual(RUNS.map(([id]) => id));

    const first = await admin.request<Page<Run>>('GET', '/v1/reconciliation/runs?limit=2');
    const foreign = await admin.request<Problem>(
      'GET',
      `/v1/reconciliation/exceptions?cursor=${first.body.nextCursor}`,
    );
    expect([foreign.status, foreign.body.detail]).toEqual([
      400,
      expect.stringContaining('reconciliation-exceptions'),
    ]);
    expect((await admin.request('GET', '/v1/reconciliation/runs?limit=201')).status).toBe(400);
  });
});
