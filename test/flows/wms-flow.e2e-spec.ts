import { signWebhook } from '@stockbridge/integration';
import { Mappings } from '@stockbridge/mapping';
import { QueueRegistry } from '@stockbridge/messaging';
import { Backends } from '../support/backends';
import { waitForQueuesToDrain } from '../support/drain';
import { eventually, HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';

interface AvailabilityBody {
  items: { sku: string; available: number }[];
}

describe('WMS events → system-wms → inventory.stock-moved → ledger → storefront availability', () => {
  let platform: TestPlatform;
  let backends: Backends;
  let web: HttpClient;

  const available = async (sku: string) => {
    const res = await web.request<AvailabilityBody>('GET', `/v1/availability?sku=${sku}`);
    return res.status === 200 ? (res.body.items[0]?.available ?? 0) : -1;
  };
  const movementsOf = async (sourceEventId: string) =>
    Number(
      (
        await platform.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM stock_movements WHERE source_system = 'wms' AND source_event_id LIKE $1`,
          [`${sourceEventId}%`],
        )
      ).rows[0].n,
    );

  beforeAll(async () => {
    platform = await TestPlatform.start('wmsflow');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }],
      skus: ['F-1', 'F-2', 'F-3'],
      channels: [{ code: 'web', pool: ['WH-1', 'WH-2'] }],
      stock: [
        { sku: 'F-1', location: 'WH-1', onHand: 10 },
        { sku: 'F-2', location: 'WH-1', onHand: 0 },
      ],
    });
    backends = await Backends.start(platform);
    await backends.catalog({ skus: ['F-1', 'F-2'], locations: ['WH-1', 'WH-2'] });
    web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
  });

  afterAll(async () => {
    await web?.close();
    await backends?.stop();
    await platform?.stop();
  });

  it('shows a receipt of 2 cases entered in the WMS as 24 more units in storefront availability', async () => {
    expect(await available('F-1')).toBe(10);
    const started = Date.now();
    await backends.wmsOperation('receipts', { warehouse: 'DC-WH-1', itemCode: 'W-F-1', qty: 2, uom: 'CS' });
    const after = await eventually(
      () => available('F-1'),
      (n) => n === 34,
      15_000,
      20,
    );
    const lagMs = Date.now() - started;
    console.info(`WMS receipt → storefront availability: ${lagMs} ms`);
    expect(after).toBe(34);
    expect((await platform.level('F-1', 'WH-1')).onHand).toBe(34);
  });

  it('applies a webhook delivered 5 times, concurrently, exactly once', async () => {
    const { eventId } = await backends.wmsOperation('receipts', {
      warehouse: 'DC-WH-1',
      itemCode: 'W-F-2',
      qty: 5,
      uom: 'EA',
    });
    await eventually(
      () => platform.level('F-2', 'WH-1'),
      (l) => l?.onHand === 5,
      15_000,
      50,
    );
    const redelivered = await backends.sandboxCall<{ statuses: number[] }>(
      'POST',
      `/admin/wms/events/${eventId}/redeliver`,
      {
        times: 5,
        concurrent: true,
      },
    );
    expect(redelivered.statuses).toEqual([202, 202, 202, 202, 202]);
    // Every redelivery through both queues before judging.
    await waitForQueuesToDrain(platform, { queues: ['wms.inbound-events', 'inventory.stock-moved'] });
    expect((await platform.level('F-2', 'WH-1')).onHand).toBe(5);
    expect(await movementsOf(eventId)).toBe(1);
    await assertLedgerInvariants(platform);
  });

  it('moves stock between warehouses on a transfer and takes shipped units out of on hand', async () => {
    const t = await backends.wmsOperation('transfers', {
      fromWarehouse: 'DC-WH-1',
      toWarehouse: 'DC-WH-2',
      itemCode: 'W-F-1',
      qty: 4,
      uom: 'EA',
    });
    await eventually(
      () => platform.level('F-1', 'WH-2'),
      (l) => l?.onHand === 4,
      15_000,
      50,
    );
    expect((await platform.level('F-1', 'WH-1')).onHand).toBe(30);
    expect(await movementsOf(t.eventId)).toBe(2);
    await backends.wmsOperation('shipments', { warehouse: 'DC-WH-2', itemCode: 'W-F-1', qty: 1, uom: 'EA' });
    await eventually(
      () => platform.level('F-1', 'WH-2'),
      (l) => l?.onHand === 3,
      15_000,
      50,
    );
    await assertLedgerInvariants(platform);
  });

  it('quarantines an event for an unmapped item in the dead letters, and applies it once mapped and replayed', async () => {
    const { eventId } = await backends.wmsOperation('receipts', {
      warehouse: 'DC-WH-1',
      itemCode: 'W-F-3',
      qty: 1,
      uom: 'CS',
    });
    const letters = await eventually(
      () => backends.deadLetters.list({ queue: 'wms.inbound-events', status: 'open' }),
      (l) => l.items.some((d) => d.jobId === `wms-${eventId}`),
      15_000,
      50,
    );
    const letter = letters.items.find((d) => d.jobId === `wms-${eventId}`)!;
    expect(letter.errorKind).toBe('unmapped');
    expect(letter.eventId).toBe(eventId);
    expect(letter.attemptsMade).toBe(1);
    expect(letter.reason).toMatch(/W-F-3/);
    expect(await platform.level('F-3', 'WH-1')).toBeUndefined();

    await backends.mappings.putXrefs('sku', [{ system: 'wms', externalCode: 'W-F-3', code: 'F-3' }]);
    // Every system-wms process drops its mapping cache on the change notification: replay once it has.
    const wmsMappings = backends.wms.app.get(Mappings);
    await eventually(
      () => wmsMappings.sku('wms', 'W-F-3').catch(() => null),
      (sku) => sku === 'F-3',
      5_000,
      10,
    );
    const replayed = await backends.deadLetters.replay(
      letter.id,
      'test',
      backends.wms.app.get(QueueRegistry),
      async () => undefined,
    );
    expect(replayed.status).toBe('replayed');
    await eventually(
      () => platform.level('F-3', 'WH-1'),
      (l) => l?.onHand === 12,
      15_000,
      50,
    );
    expect(await movementsOf(eventId)).toBe(1);
  });

  it('shows job outcomes, queue depth and open dead letters on /metrics', async () => {
    const text = async (url: string) => {
      const c = new HttpClient(url);
      try {
        return (await c.request('GET', '/metrics')).text;
      } finally {
        await c.close();
      }
    };
    const proc = await text(platform.processUrl);
    expect(proc).toMatch(
      /queue_jobs_processed_total\{[^}]*queue="inventory.stock-moved"[^}]*outcome="completed"[^}]*\} [1-9]/,
    );
    expect(proc).toMatch(/queue_jobs\{[^}]*queue="inventory.stock-moved"[^}]*state="waiting"[^}]*\} \d+/);
    const wms = await text(backends.wms.url);
    expect(wms).toMatch(
      /queue_jobs_processed_total\{[^}]*queue="wms.inbound-events"[^}]*outcome="dead-lettered"[^}]*\} 1/,
    );
    expect(wms).toMatch(/queue_job_duration_seconds_count\{[^}]*queue="wms.inbound-events"/);
  });

  it('refuses a bad, stale or missing signature with 401 and queues nothing; a good one carries its correlation id to the journal', async () => {
    const wms = new HttpClient(backends.wms.url);
    const before = await backends.queue('wms.inbound-events').getJobCounts();
    const body = JSON.stringify({
      eventId: '11111111-2222-4333-8444-555555555555',
      eventType: 'RECEIPT',
      sequence: 1,
      occurredAt: new Date().toISOString(),
      warehouse: 'DC-WH-1',
      itemCode: 'W-F-1',
      qty: 1,
      uom: 'EA',
    });
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, Record<string, string>> = {
      missing: {},
      'wrong secret': { 'x-wms-signature': signWebhook(body, 'not-the-secret-at-all', now) },
      stale: { 'x-wms-signature': signWebhook(body, backends.webhookSecret, now - 600) },
      'other body': {
        'x-wms-signature': signWebhook(body.replace('"qty":1', '"qty":9'), backends.webhookSecret, now),
      },
      'short mac': { 'x-wms-signature': `t=${now},v1=abcd` },
    };
    try {
      for (const [name, headers] of Object.entries(cases)) {
        const res = await wms.request<{ detail: string }>('POST', '/v1/webhooks/wms', {
          rawBody: body,
          headers: { 'content-type': 'application/json', ...headers },
        });
        expect({ name, status: res.status, type: res.contentType }).toEqual({
          name,
          status: 401,
          type: expect.stringContaining('application/problem+json'),
        });
      }
      const ok = await wms.request('POST', '/v1/webhooks/wms', {
        rawBody: body,
        headers: {
          'content-type': 'application/json',
          'x-wms-signature': signWebhook(body, backends.webhookSecret, now),
          'x-correlation-id': 'corr-wms-test-1',
        },
      });
      expect(ok.status).toBe(202);
      // The webhook's correlation id travels through both jobs into the journal.
      const journaled = await eventually(
        () =>
          platform.db.query<{ correlation_id: string }>(
            `SELECT correlation_id FROM stock_movements WHERE source_system = 'wms' AND source_event_id = '11111111-2222-4333-8444-555555555555'`,
          ),
        (r) => r.rows.length === 1,
        15_000,
        50,
      );
      expect(journaled.rows[0].correlation_id).toBe('corr-wms-test-1');
    } finally {
      await wms.close();
    }
    const after = await backends.queue('wms.inbound-events').getJobCounts();
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(total(after) - total(before)).toBe(1);
  });
});

describe('on-hand snapshots through the system APIs (ERP and WMS), in canonical codes', () => {
  let platform: TestPlatform;
  let backends: Backends;

  beforeAll(async () => {
    platform = await TestPlatform.start('snapshots');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['S-1', 'S-2'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [],
    });
    backends = await Backends.start(platform);
    await backends.catalog({ skus: ['S-1', 'S-2'], locations: ['WH-1'] });
  });

  afterAll(async () => {
    await backends?.stop();
    await platform?.stop();
  });

  it('translates the ERP on-hand of mapped items and lists unmapped ones apart; needs the service token', async () => {
    await backends.sandboxCall('PUT', '/admin/erp/items', { items: [{ itemNo: 'ITM-ORPHAN' }] });
    await backends.sandboxCall('PUT', '/admin/erp/on-hand', {
      rows: [
        { itemNo: 'ITM-S-1', siteCode: 'S-WH-1', qtyEach: 30 },
        { itemNo: 'ITM-ORPHAN', siteCode: 'S-WH-1', qtyEach: 4 },
      ],
    });
    const erp = new HttpClient(backends.erp.url, { authorization: `Bearer ${platform.serviceToken}` });
    try {
      const snap = await erp.request<{ rows: unknown[]; unmapped: unknown[] }>(
        'GET',
        '/v1/on-hand?location=WH-1',
      );
      expect(snap.status).toBe(200);
      expect(snap.body.rows).toEqual([{ sku: 'S-1', location: 'WH-1', onHand: 30 }]);
      expect(snap.body.unmapped).toEqual([{ item: 'ITM-ORPHAN', site: 'S-WH-1', onHand: 4 }]);
      expect((await erp.request('GET', '/v1/on-hand?location=NOWHERE')).status).toBe(422);
      expect((await new HttpClient(backends.erp.url).request('GET', '/v1/on-hand')).status).toBe(401);
    } finally {
      await erp.close();
    }
  });

  it('reads the WMS inventory in eaches after a receipt in cases', async () => {
    await backends.wmsOperation('receipts', { warehouse: 'DC-WH-1', itemCode: 'W-S-2', qty: 3, uom: 'CS' });
    const wms = new HttpClient(backends.wms.url, { authorization: `Bearer ${platform.serviceToken}` });
    try {
      const snap = await wms.request<{ rows: unknown[] }>('GET', '/v1/on-hand');
      expect(snap.status).toBe(200);
      expect(snap.body.rows).toEqual([{ sku: 'S-2', location: 'WH-1', onHand: 36 }]);
    } finally {
      await wms.close();
    }
  });

  it('reports a backend outage as 503 problem+json', async () => {
    await backends.sandboxCall('PUT', '/admin/faults/erp', { outage: true });
    const erp = new HttpClient(backends.erp.url, { authorization: `Bearer ${platform.serviceToken}` });
    try {
      const res = await erp.request('GET', '/v1/on-hand');
      expect(res.status).toBe(503);
      expect(res.contentType).toContain('application/problem+json');
    } finally {
      await erp.close();
      await backends.sandboxCall('DELETE', '/admin/faults');
    }
  });
});
