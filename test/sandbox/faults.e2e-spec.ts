import { Client } from 'undici';
import type { HttpClient } from '../support/http';
import { type Page, useSandbox } from './harness';

describe('sandbox backends', () => {
  const sandbox = useSandbox('sandbox_faults');
  const { stats, setFaults, inventory } = sandbox;
  let api: HttpClient;
  let baseUrl: string;

  beforeAll(async () => {
    ({ api, baseUrl } = sandbox);
    // The commitments below name an item and a site the ERP knows.
    const items = await api.request('PUT', '/admin/erp/items', {
      body: { items: [{ itemNo: 'I0001', description: 'item 1' }] },
    });
    expect(items.status).toBe(200);
    const sites = await api.request('PUT', '/admin/erp/sites', {
      body: { sites: [{ siteCode: 'S1', name: 'East' }] },
    });
    expect(sites.status).toBe(200);
  });

  describe('fault injection', () => {
    const commitment = (ref: string) => ({
      externalRef: ref,
      lines: [{ itemNo: 'I0001', siteCode: 'S1', qty: 1, uom: 'EA' }],
    });

    it('lists, merges and resets the faults of every backend', async () => {
      const set = await api.request('PUT', '/admin/faults/oms', { body: { latencyMs: 5, errorRate: 0.25 } });
      expect(set.body).toEqual({
        latencyMs: 5,
        errorRate: 0.25,
        tooManyRequestsRate: 0,
        retryAfterSeconds: 1,
        timeoutRate: 0,
        outage: false,
        rateLimitPerSecond: 0,
        failNext: 0,
      });
      const merged = await api.request('PUT', '/admin/faults/oms', { body: { outage: true } });
      expect(merged.body).toMatchObject({ latencyMs: 5, errorRate: 0.25, outage: true });
      const all = await api.request<Record<string, { outage: boolean }>>('GET', '/admin/faults');
      expect(Object.keys(all.body).sort()).toEqual(['erp', 'marketplace', 'oms', 'wms']);
      expect(all.body.oms.outage).toBe(true);
      expect(all.body.erp.outage).toBe(false);
      expect((await api.request('PUT', '/admin/faults/crm', { body: { outage: true } })).status).toBe(404);
      expect((await api.request('PUT', '/admin/faults/erp', { body: { errorRate: 2 } })).status).toBe(400);
      expect((await api.request('PUT', '/admin/faults/erp', { body: { slow: true } })).status).toBe(400);
      const reset = await api.request<Record<string, { outage: boolean; errorRate: number }>>(
        'DELETE',
        '/admin/faults',
      );
      expect(reset.body.oms).toMatchObject({ outage: false, errorRate: 0 });
    });

    it('answers 503 during an outage, without a side effect, and leaves admin and health alone', async () => {
      await setFaults('erp', { outage: true });
      const before = await stats();
      const res = await api.request('POST', '/erp/api/v2/commitments', { body: commitment('c-outage') });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'SERVICE_UNAVAILABLE' });
      // Faults come before validation too: the backend is down whatever is sent.
      expect((await api.request('POST', '/erp/api/v2/commitments', { body: {} })).status).toBe(503);
      expect((await api.request('GET', '/health/live')).status).toBe(200);
      expect((await api.request('GET', '/admin/faults')).status).toBe(200);
      expect((await api.request('GET', '/docs/openapi.json')).status).toBe(200);
      expect((await api.request('GET', '/wms/api/inventory')).status).toBe(200);
      const after = await stats();
      expect(after.erp.commitmentCalls).toBe(before.erp.commitmentCalls);
      expect(after.erp.faulted - before.erp.faulted).toBe(2);
      await setFaults('erp', { outage: false });
      expect(
        (await api.request<Page<unknown>>('GET', '/erp/api/v2/commitments?externalRef=c-outage')).body
          .totalItems,
      ).toBe(0);
    });

    it('answers 429 with Retry-After at random and when the rate limit is exhausted', async () => {
      await setFaults('erp', { tooManyRequestsRate: 1, retryAfterSeconds: 7 });
      const before = await stats();
      const res = await api.request('POST', '/erp/api/v2/commitments', { body: commitment('c-429') });
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.body).toEqual({ error: 'RATE_LIMITED' });

      await setFaults('erp', { tooManyRequestsRate: 0, rateLimitPerSecond: 3, retryAfterSeconds: 2 });
      const burst = await Promise.all(
        Array.from({ length: 6 }, () => api.request('GET', '/erp/api/v2/items?pageSize=1')),
      );
      const statuses = burst.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
      expect(burst.filter((r) => r.status === 429).every((r) => r.headers['retry-after'] === '2')).toBe(true);
      const after = await stats();
      expect(after.erp.commitmentCalls).toBe(before.erp.commitmentCalls);
      expect(after.erp.throttled - before.erp.throttled).toBe(1 + statuses.filter((s) => s === 429).length);
      // Other backends have their own bucket.
      expect((await api.request('GET', '/oms/api/orders')).status).toBe(200);
    });

    it('fails every request with errorRate 1, and a failed WMS operation changes nothing', async () => {
      await setFaults('wms', { errorRate: 1 });
      const eventsBefore = (await stats()).wms.eventsCreated;
      const res = await api.request('POST', '/wms/api/receipts', {
        body: { warehouse: 'FAULTY', itemCode: 'X-1', qty: 1, uom: 'EA' },
      });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'INTERNAL' });
      await setFaults('wms', { errorRate: 0 });
      expect(await inventory('FAULTY')).toEqual([]);
      expect((await stats()).wms.eventsCreated).toBe(eventsBefore);
    });

    it('answers exactly the next N requests 500 with failNext, with no side effect, then recovers', async () => {
      const set = await api.request<{ failNext: number }>('PUT', '/admin/faults/erp', {
        body: { failNext: 2 },
      });
      expect(set.body.failNext).toBe(2);
      const before = await stats();
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (await api.request('POST', '/erp/api/v2/commitments', { body: commitment('c-fail-next') })).status,
        );
      expect(statuses).toEqual([500, 500, 201]);
      expect(
        (await api.request<{ erp: { failNext: number } }>('GET', '/admin/faults')).body.erp.failNext,
      ).toBe(0);
      const after = await stats();
      expect(after.erp.commitmentCalls - before.erp.commitmentCalls).toBe(1);
      expect(after.erp.faulted - before.erp.faulted).toBe(2);
      // Other backends keep working, and an outage comes first without using the count up.
      expect((await api.request('GET', '/oms/api/orders')).status).toBe(200);
      await setFaults('wms', { outage: true, failNext: 1 });
      expect((await api.request('GET', '/wms/api/inventory')).status).toBe(503);
      await setFaults('wms', { outage: false });
      expect((await api.request('GET', '/wms/api/inventory')).status).toBe(500);
      expect((await api.request('GET', '/wms/api/inventory')).status).toBe(200);
      expect((await api.request('PUT', '/admin/faults/erp', { body: { failNext: -1 } })).status).toBe(400);
    });

    it('delays requests by latencyMs', async () => {
      await setFaults('oms', { latencyMs: 300 });
      const started = performance.now();
      const res = await api.request('GET', '/oms/api/orders');
      const elapsed = performance.now() - started;
      expect(res.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      const quick = performance.now();
      await api.request('GET', '/admin/stats');
      expect(performance.now() - quick).toBeLessThan(290);
    });

    it('hangs a request picked by timeoutRate until the client gives up, with no side effect', async () => {
      const listed = await api.request('POST', '/admin/marketplace/inventory-items', {
        body: { inventoryItems: [{ sku: 'HANG-1', quantity: 1 }] },
      });
      expect(listed.status).toBe(200);
      const before = await stats();
      await setFaults('marketplace', { timeoutRate: 1 });
      const client = new Client(baseUrl);
      const started = performance.now();
      try {
        await expect(
          client.request({
            method: 'POST',
            path: '/sell/inventory/v1/bulk_update_price_quantity',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              requests: [{ sku: 'HANG-1', shipToLocationAvailability: { quantity: 5 } }],
            }),
            headersTimeout: 400,
          }),
        ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
      } finally {
        await client.destroy();
      }
      expect(performance.now() - started).toBeGreaterThanOrEqual(390);
      await setFaults('marketplace', { timeoutRate: 0 });
      const item = await api.request<{ availability: { shipToLocationAvailability: { quantity: number } } }>(
        'GET',
        '/sell/inventory/v1/inventory_item/HANG-1',
      );
      expect(item.body.availability.shipToLocationAvailability.quantity).toBe(1);
      const after = await stats();
      expect(after.marketplace.skuUpdatesApplied).toBe(before.marketplace.skuUpdatesApplied);
      expect(after.marketplace.faulted).toBeGreaterThanOrEqual(1);
    });
  });
});
