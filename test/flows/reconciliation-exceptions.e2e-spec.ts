import { loadConfig } from '@stockbridge/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildProcessReconciliationApp } from '../../apps/process-reconciliation/src/app';
import { ProcessReconciliationConfig } from '../../apps/process-reconciliation/src/process-reconciliation.config';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { Backends } from '../support/backends';
import { eventually, HttpClient } from '../support/http';
import { type RunningApp, TestPlatform, urlOf } from '../support/platform';

interface Run {
  id: string;
  status: string;
  error: string | null;
  summary: {
    lines: number;
    exceptions: number;
    exceptionsOpened: number;
    exceptionsUpdated: number;
    exceptionsClosed: number;
    corrections: number;
    erp: string;
    missing: { source: string; reason: string }[];
  };
  lines: { sku: string; location: string; correction: number | null }[];
}
/** A page of a list (docs/openapi.md, "Lists"). */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Exception {
  id: string;
  runId: string;
  lastRunId: string;
  sku: string;
  location: string;
  kind: string;
  variance: number;
  status: string;
  assignee: string | null;
  note: string | null;
  resolvedBy: string | null;
}

describe('reconciliation exceptions follow their drift; policies set through ops; a run missing a source is partial; old lines are purged', () => {
  let platform: TestPlatform;
  let backends: Backends;
  let recon: RunningApp;
  let api: HttpClient;
  let ops: NestFastifyApplication;
  let admin: HttpClient;
  const opsToken = 'ops-recon-exceptions-0123456789';

  const erpOnHand = (sku: string, location: string, qtyEach: number) =>
    backends.sandboxCall('PUT', '/admin/erp/on-hand', {
      rows: [{ itemNo: `ITM-${sku}`, siteCode: `S-${location}`, qtyEach }],
    });
  const wmsOnHand = (sku: string, location: string, qtyEach: number) =>
    backends.sandboxCall('PUT', '/admin/wms/inventory', {
      rows: [{ warehouse: `DC-${location}`, itemCode: `W-${sku}`, qtyEach }],
    });

  /** Asks for a run and waits for its end. */
  async function run(): Promise<Run> {
    const asked = await api.request<{ runId: string }>('POST', '/v1/reconciliation/runs', { body: {} });
    expect(asked.status).toBe(202);
    const done = await eventually(
      () => api.request<Run>('GET', `/v1/reconciliation/runs/${asked.body.runId}`),
      (r) => r.status === 200 && r.body.status !== 'running',
      30_000,
      100,
    );
    return done.body;
  }

  const exceptionsOf = async (sku: string) =>
    (
      await platform.db.query<{
        id: string;
        status: string;
        resolved_by: string | null;
        note: string | null;
      }>(
        `SELECT id, status, resolved_by, note FROM reconciliation_exceptions WHERE sku = $1 ORDER BY opened_at`,
        [sku],
      )
    ).rows;

  beforeAll(async () => {
    platform = await TestPlatform.start('recon-exc');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }],
      skus: ['X-1', 'X-2', 'X-3'],
      channels: [{ code: 'web', pool: ['WH-1', 'WH-2'] }],
      stock: [
        { sku: 'X-1', location: 'WH-1', onHand: 20 },
        { sku: 'X-2', location: 'WH-2', onHand: 10 },
        { sku: 'X-3', location: 'WH-1', onHand: 5 },
      ],
    });
    backends = await Backends.start(platform);
    await backends.catalog({ skus: ['X-1', 'X-2', 'X-3'], locations: ['WH-1', 'WH-2'] });
    // Both backends agree with the ledger to begin with.
    for (const [sku, location, n] of [
      ['X-1', 'WH-1', 20],
      ['X-2', 'WH-2', 10],
      ['X-3', 'WH-1', 5],
    ] as const) {
      await erpOnHand(sku, location, n);
      await wmsOnHand(sku, location, n);
    }
    const config = loadConfig(ProcessReconciliationConfig, {
      ...platform.baseEnv(),
      SYSTEM_ERP_URL: backends.erp.url,
      SYSTEM_WMS_URL: backends.wms.url,
      RECONCILIATION_CRON: '',
      SNAPSHOT_TIMEOUT_MS: '5000',
    });
    const app = await buildProcessReconciliationApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    recon = { app, url: urlOf(app) };
    api = new HttpClient(recon.url, { authorization: `Bearer ${platform.serviceToken}` });
    ops = await buildOpsApp(
      loadConfig(OpsConfig, {
        ...platform.baseEnv(),
        OPS_ADMIN_TOKENS: `dana:${opsToken}`,
        PROCESS_RECONCILIATION_URL: recon.url,
      }),
    );
    await ops.listen({ port: 0, host: '127.0.0.1' });
    admin = new HttpClient(urlOf(ops), { authorization: `Bearer ${opsToken}` });
  });

  afterAll(async () => {
    await admin?.close();
    await ops?.close();
    await api?.close();
    await recon?.app.close();
    await backends?.stop();
    await platform?.stop();
  });

  it('keeps one open exception per SKU, location and kind over runs that find the same drift, and closes it (resolved by the system, with the reason) once the drift is gone', async () => {
    await erpOnHand('X-1', 'WH-1', 13); // −7 against the ledger's 20, at a report-only location
    const first = await run();
    expect(first.status).toBe('succeeded');
    const [opened] = (
      await api.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions')
    ).body.items.filter((e) => e.sku === 'X-1');
    expect(opened).toMatchObject({
      kind: 'erp-variance',
      variance: -7,
      runId: first.id,
      lastRunId: first.id,
    });
    await api.request('POST', `/v1/reconciliation/exceptions/${opened.id}/assign`, {
      body: { assignee: 'bob' },
    });

    const second = await run();
    await erpOnHand('X-1', 'WH-1', 12); // the drift grows to −8
    const third = await run();
    expect(second.summary.exceptionsUpdated).toBeGreaterThanOrEqual(1);
    const open = (
      await api.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions')
    ).body.items.filter((e) => e.sku === 'X-1');
    expect(open).toEqual([
      expect.objectContaining({
        id: opened.id,
        variance: -8,
        runId: first.id,
        lastRunId: third.id,
        status: 'assigned',
        assignee: 'bob',
      }),
    ]);
    expect((await exceptionsOf('X-1')).map((e) => e.id)).toEqual([opened.id]);

    // The database refuses a second unresolved exception of the same SKU, location and kind.
    await expect(
      platform.db.query(
        `INSERT INTO reconciliation_exceptions (id, run_id, last_run_id, sku, location, kind, variance, exposure_cents)
         VALUES (gen_random_uuid(), $1, $1, 'X-1', 'WH-1', 'erp-variance', -8, 0)`,
        [third.id],
      ),
    ).rejects.toMatchObject({ code: '23505' });

    await erpOnHand('X-1', 'WH-1', 20); // counted again in the ERP: the drift is gone
    const fourth = await run();
    expect(fourth.summary.exceptionsClosed).toBeGreaterThanOrEqual(1);
    const open2 = (await api.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions')).body.items;
    expect(open2.filter((e) => e.sku === 'X-1')).toEqual([]);
    const [closed] = await exceptionsOf('X-1');
    expect(closed).toMatchObject({ id: opened.id, status: 'resolved', resolved_by: 'system' });
    expect(closed.note).toContain(`run ${fourth.id}`);
    expect(closed.note).toContain('the ERP and the ledger agree');
  });

  it('ends a run whose ERP snapshot fails partial, naming the ERP and why, leaves the ERP exceptions open and raises the alert metrics', async () => {
    await erpOnHand('X-3', 'WH-1', 2); // −3: an open ERP exception the partial run must not close
    expect((await run()).status).toBe('succeeded');
    const before = (await exceptionsOf('X-3')).filter((e) => e.status !== 'resolved');
    expect(before).toHaveLength(1);

    await backends.sandboxCall('PUT', '/admin/faults/erp', { outage: true });
    let partial: Run;
    try {
      partial = await run();
    } finally {
      await backends.sandboxCall('DELETE', '/admin/faults');
    }
    expect(partial.status).toBe('partial');
    expect(partial.summary.missing).toEqual([{ source: 'erp', reason: expect.any(String) }]);
    expect(partial.summary.missing[0].reason.length).toBeGreaterThan(0);
    expect(partial.summary.erp).toMatch(/^unavailable: /);
    expect((await exceptionsOf('X-3')).filter((e) => e.status !== 'resolved')).toEqual(before);

    const metrics = (await api.request('GET', '/metrics')).text;
    expect(metrics).toMatch(/reconciliation_runs_total\{outcome="partial"[^}]*\} 1\b/);
    expect(metrics).toMatch(/reconciliation_sources_missing\{source="erp"[^}]*\} 1\b/);
    expect(metrics).toMatch(/reconciliation_sources_missing\{source="wms"[^}]*\} 0\b/);

    // Once system-erp reaches the ERP again (its circuit breaker lets a probe through), runs are complete.
    const erp = new HttpClient(backends.erp.url, { authorization: `Bearer ${platform.serviceToken}` });
    try {
      await eventually(
        () => erp.request('GET', '/v1/on-hand'),
        (r) => r.status === 200,
        20_000,
        250,
      );
    } finally {
      await erp.close();
    }
    expect((await run()).status).toBe('succeeded');
    expect((await api.request('GET', '/metrics')).text).toMatch(
      /reconciliation_sources_missing\{source="erp"[^}]*\} 0\b/,
    );
  });

  it("drives a correction in the next run from a location's policy set through the ops API, audited with the operator", async () => {
    await wmsOnHand('X-2', 'WH-2', 6); // the WMS counts 6 where the ledger has 10; WH-2 is report-only
    const before = await run();
    expect(before.lines.find((l) => l.sku === 'X-2')?.correction ?? null).toBeNull();
    expect((await platform.level('X-2', 'WH-2')).onHand).toBe(10);

    const set = await admin.request<{ location: string; policy: string; previousPolicy: string }>(
      'PUT',
      '/v1/reconciliation/locations/WH-2/policy',
      { body: { policy: 'trust-wms' } },
    );
    expect([set.status, set.body]).toEqual([
      200,
      { location: 'WH-2', policy: 'trust-wms', previousPolicy: 'report-only' },
    ]);

    const after = await run();
    expect(after.lines.find((l) => l.sku === 'X-2' && l.location === 'WH-2')?.correction).toBe(-4);
    expect((await platform.level('X-2', 'WH-2')).onHand).toBe(6);

    const audit = await admin.request<{ items: { action: string; targetId: string; details: unknown }[] }>(
      'GET',
      '/v1/audit?actor=dana',
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'reconciliation.location.policy',
        targetId: 'WH-2',
        details: { policy: 'trust-wms', previousPolicy: 'report-only' },
      }),
    ]);

    const unknown = await admin.request('PUT', '/v1/reconciliation/locations/NOWHERE/policy', {
      body: { policy: 'trust-erp' },
    });
    expect([unknown.status, unknown.contentType]).toEqual([
      404,
      expect.stringContaining('application/problem+json'),
    ]);
    const bad = await admin.request('PUT', '/v1/reconciliation/locations/WH-2/policy', {
      body: { policy: 'trust-me' },
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await new HttpClient(urlOf(ops)).request('PUT', '/v1/reconciliation/locations/WH-2/policy', {
          body: { policy: 'report-only' },
        })
      ).status,
    ).toBe(401);
  });

  it('purges the variance lines of runs older than the retention after a run, keeping the runs themselves', async () => {
    const old = await run();
    const count = async (runId: string) =>
      Number(
        (
          await platform.db.query<{ n: string }>(
            `SELECT count(*) AS n FROM reconciliation_lines WHERE run_id = $1`,
            [runId],
          )
        ).rows[0].n,
      );
    expect(await count(old.id)).toBeGreaterThan(0);
    await platform.db.query(
      `UPDATE reconciliation_runs SET started_at = started_at - interval '31 days' WHERE id = $1`,
      [old.id],
    );
    const recent = await run();
    expect(await count(old.id)).toBe(0);
    expect(await count(recent.id)).toBeGreaterThan(0);
    const kept = await api.request<Run>('GET', `/v1/reconciliation/runs/${old.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.summary.lines).toBeGreaterThan(0);
  });
});
