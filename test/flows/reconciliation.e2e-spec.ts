import { loadConfig } from '@stockbridge/config';
import { buildProcessReconciliationApp } from '../../apps/process-reconciliation/src/app';
import { ProcessReconciliationConfig } from '../../apps/process-reconciliation/src/process-reconciliation.config';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { Backends } from '../support/backends';
import { eventually, HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { type RunningApp, TestPlatform, urlOf } from '../support/platform';

interface RunDetail {
  status: string;
  summary: { lines: number; exceptions: number; corrections: number; erp: string; wms: string };
  lines: {
    sku: string;
    location: string;
    ledgerOnHand: number;
    erpOnHand: number | null;
    wmsOnHand: number | null;
    correction: number | null;
  }[];
}
/** A page of a list (docs/openapi.md, "Lists"). */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Exception {
  id: string;
  sku: string;
  location: string;
  kind: string;
  variance: number;
  exposureCents: number;
  status: string;
}

describe("reconciliation: drift behind the platform's back is found, ranked and corrected per location policy", () => {
  let platform: TestPlatform;
  let backends: Backends;
  let recon: RunningApp;
  let api: HttpClient;
  let web: HttpClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('recon');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }],
      skus: ['R-1', 'R-2'],
      channels: [{ code: 'web', pool: ['WH-1', 'WH-2'] }],
      stock: [
        { sku: 'R-1', location: 'WH-1', onHand: 20 },
        { sku: 'R-2', location: 'WH-2', onHand: 10 },
      ],
    });
    await platform.db.query(`UPDATE skus SET price_cents = 5000 WHERE sku = 'R-2'`);
    await platform.db.query(`UPDATE locations SET reconciliation_policy = 'trust-wms' WHERE code = 'WH-1'`);
    backends = await Backends.start(platform);
    await backends.catalog({ skus: ['R-1', 'R-2'], locations: ['WH-1', 'WH-2'] });
    // The backends' own figures, changed behind the platform's back (no webhook, no event).
    await backends.sandboxCall('PUT', '/admin/erp/on-hand', {
      rows: [
        { itemNo: 'ITM-R-1', siteCode: 'S-WH-1', qtyEach: 20 },
        { itemNo: 'ITM-R-2', siteCode: 'S-WH-2', qtyEach: 7 },
      ],
    });
    await backends.sandboxCall('PUT', '/admin/wms/inventory', {
      rows: [
        { warehouse: 'DC-WH-1', itemCode: 'W-R-1', qtyEach: 17 },
        { warehouse: 'DC-WH-2', itemCode: 'W-R-2', qtyEach: 10 },
      ],
    });
    const config = loadConfig(ProcessReconciliationConfig, {
      ...platform.baseEnv(),
      SYSTEM_ERP_URL: backends.erp.url,
      SYSTEM_WMS_URL: backends.wms.url,
      RECONCILIATION_CRON: '',
    });
    const app = await buildProcessReconciliationApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    recon = { app, url: urlOf(app) };
    api = new HttpClient(recon.url, { authorization: `Bearer ${platform.serviceToken}` });
    web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
  });

  afterAll(async () => {
    await api?.close();
    await web?.close();
    await recon?.app.close();
    await backends?.stop();
    await platform?.stop();
  });

  it('finds each variance, ranks exceptions by exposure, corrects the trust-the-WMS location with a journaled movement, and availability follows', async () => {
    const asked = await api.request<{ runId: string }>('POST', '/v1/reconciliation/runs', {
      body: { requestedBy: 'alice' },
    });
    expect(asked.status).toBe(202);
    const run = await eventually(
      () => api.request<RunDetail>('GET', `/v1/reconciliation/runs/${asked.body.runId}`),
      (r) => r.status === 200 && r.body.status !== 'running',
      30_000,
      100,
    );
    expect(run.body.status).toBe('succeeded');
    expect(run.body.summary).toMatchObject({ lines: 2, exceptions: 2, corrections: 1 });
    expect(run.body.summary.erp).toMatch(/^ok/);
    expect(run.body.summary.wms).toMatch(/^ok/);
    expect(run.body.lines).toEqual([
      expect.objectContaining({
        sku: 'R-2',
        location: 'WH-2',
        ledgerOnHand: 10,
        erpOnHand: 7,
        wmsOnHand: 10,
        correction: null,
      }),
      expect.objectContaining({
        sku: 'R-1',
        location: 'WH-1',
        ledgerOnHand: 20,
        erpOnHand: 20,
        wmsOnHand: 17,
        correction: -3,
      }),
    ]);

    const exceptions = await api.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions');
    expect(
      exceptions.body.items.map((e) => [e.sku, e.location, e.kind, e.variance, e.exposureCents]),
    ).toEqual([
      ['R-2', 'WH-2', 'erp-variance', -3, 15_000],
      ['R-1', 'WH-1', 'wms-variance', -3, 3_000],
    ]);

    // The ledger now agrees with the WMS at WH-1, through a journaled count; the report-only location is unchanged.
    expect((await platform.level('R-1', 'WH-1')).onHand).toBe(17);
    expect((await platform.level('R-2', 'WH-2')).onHand).toBe(10);
    const journal = await platform.db.query<{ movement_type: string; d_on_hand: string }>(
      `SELECT movement_type, d_on_hand FROM stock_movements WHERE source_system = 'reconciliation'`,
    );
    expect(journal.rows).toEqual([{ movement_type: 'count', d_on_hand: '-3' }]);
    await eventually(
      () =>
        web.request<{ items: { locations: { location: string; available: number }[] }[] }>(
          'GET',
          '/v1/availability?sku=R-1',
        ),
      (r) => r.body.items?.[0]?.locations.find((l) => l.location === 'WH-1')?.available === 17,
      10_000,
      100,
    );
    await assertLedgerInvariants(platform);

    // A second run finds the WMS side settled and leaves the ledger alone.
    const again = await api.request<{ runId: string }>('POST', '/v1/reconciliation/runs', { body: {} });
    const second = await eventually(
      () => api.request<RunDetail>('GET', `/v1/reconciliation/runs/${again.body.runId}`),
      (r) => r.status === 200 && r.body.status !== 'running',
      30_000,
      100,
    );
    expect(second.body.summary).toMatchObject({ corrections: 0, exceptions: 2 });
    // The WMS drift it corrected is gone, so its exception is closed; the ERP's at R-2 is still the one open
    // exception (updated, not doubled), and at R-1 the ERP now differs from the corrected ledger.
    const open = await api.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions');
    expect(open.body.items.map((e) => [e.sku, e.location, e.kind, e.variance])).toEqual([
      ['R-2', 'WH-2', 'erp-variance', -3],
      ['R-1', 'WH-1', 'erp-variance', 3],
    ]);
    const wmsException = await platform.db.query<{ status: string; resolved_by: string; note: string }>(
      `SELECT status, resolved_by, note FROM reconciliation_exceptions WHERE sku = 'R-1' AND kind = 'wms-variance'`,
    );
    expect(wmsException.rows).toEqual([
      {
        status: 'resolved',
        resolved_by: 'system',
        note: `Closed by reconciliation run ${again.body.runId}: the WMS and the ledger agree within 0 units.`,
      },
    ]);
  });

  it('assigns and resolves an exception with a note; a resolved one cannot change; bad input is a 4xx problem', async () => {
    const [top] = (await api.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions?limit=1')).body
      .items;
    const assigned = await api.request<Exception & { assignee: string }>(
      'POST',
      `/v1/reconciliation/exceptions/${top.id}/assign`,
      {
        body: { assignee: 'bob' },
      },
    );
    expect(assigned.body).toMatchObject({ status: 'assigned', assignee: 'bob' });
    const resolved = await api.request<Exception & { note: string; resolvedBy: string }>(
      'POST',
      `/v1/reconciliation/exceptions/${top.id}/resolve`,
      {
        body: { note: 'ERP counted before a transfer was booked', resolvedBy: 'bob' },
      },
    );
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      note: 'ERP counted before a transfer was booked',
      resolvedBy: 'bob',
    });
    expect(
      (
        await api.request('POST', `/v1/reconciliation/exceptions/${top.id}/resolve`, {
          body: { note: 'again', resolvedBy: 'bob' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await api.request(
          'POST',
          '/v1/reconciliation/exceptions/00000000-0000-4000-8000-000000000000/assign',
          { body: { assignee: 'x' } },
        )
      ).status,
    ).toBe(404);
    const blank = await api.request('POST', `/v1/reconciliation/exceptions/${top.id}/resolve`, {
      body: { note: ' ', resolvedBy: 'bob' },
    });
    expect([blank.status, blank.contentType]).toEqual([
      400,
      expect.stringContaining('application/problem+json'),
    ]);
    expect((await api.request('GET', '/v1/reconciliation/exceptions?status=weird')).status).toBe(400);
    expect((await new HttpClient(recon.url).request('GET', '/v1/reconciliation/runs')).status).toBe(401);
    const open = await api.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions');
    expect(open.body.items.map((e) => e.id)).not.toContain(top.id);
  });

  it('is run on demand, read, and its exceptions resolved through the ops API, each act audited with the operator', async () => {
    const token = 'ops-recon-token-0123456789';
    const ops = await buildOpsApp(
      loadConfig(OpsConfig, {
        ...platform.baseEnv(),
        OPS_ADMIN_TOKENS: `carol:${token}`,
        PROCESS_RECONCILIATION_URL: recon.url,
      }),
    );
    await ops.listen({ port: 0, host: '127.0.0.1' });
    const admin = new HttpClient(urlOf(ops), { authorization: `Bearer ${token}` });
    try {
      const asked = await admin.request<{ runId: string }>('POST', '/v1/reconciliation/runs');
      expect(asked.status).toBe(202);
      const run = await eventually(
        () =>
          admin.request<RunDetail & { requestedBy: string }>(
            'GET',
            `/v1/reconciliation/runs/${asked.body.runId}`,
          ),
        (r) => r.status === 200 && r.body.status !== 'running',
        30_000,
        100,
      );
      expect(run.body).toMatchObject({ status: 'succeeded', requestedBy: 'carol' });
      const [top] = (await admin.request<Page<Exception>>('GET', '/v1/reconciliation/exceptions?limit=5'))
        .body.items;
      const resolved = await admin.request<Exception & { resolvedBy: string }>(
        'POST',
        `/v1/reconciliation/exceptions/${top.id}/resolve`,
        {
          body: { note: 'checked with the warehouse' },
        },
      );
      expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: 'carol' });
      expect(
        (
          await admin.request('POST', `/v1/reconciliation/exceptions/${top.id}/resolve`, {
            body: { note: 'again' },
          })
        ).status,
      ).toBe(409);
      const audit = await admin.request<{ items: { actor: string; action: string; targetId: string }[] }>(
        'GET',
        '/v1/audit?actor=carol',
      );
      expect(audit.body.items.map((e) => [e.action, e.targetId])).toEqual([
        ['reconciliation.exception.resolve', top.id],
        ['reconciliation.run', asked.body.runId],
      ]);
      expect((await new HttpClient(urlOf(ops)).request('POST', '/v1/reconciliation/runs')).status).toBe(401);
    } finally {
      await admin.close();
      await ops.close();
    }
  });
});
