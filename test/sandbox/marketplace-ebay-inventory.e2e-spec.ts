import type { HttpClient } from '../support/http';
import {
  type BulkResponse,
  type EbayError,
  pathOf,
  priceQuantity,
  useMarketplace,
} from './marketplace-harness';

interface InventoryItems {
  href: string;
  next?: string;
  prev?: string;
  limit: number;
  size: number;
  total: number;
  inventoryItems: { sku: string; availability: { shipToLocationAvailability: { quantity: number } } }[];
}

describe('sandbox marketplace: eBay seller APIs', () => {
  const marketplace = useMarketplace('marketplace_inventory');
  const { stats, quantityOf } = marketplace;
  let url: string;
  let seller: HttpClient;
  let admin: HttpClient;

  beforeAll(() => {
    ({ seller } = marketplace);
    ({ baseUrl: url, api: admin } = marketplace.sandbox);
  });

  describe('bulk_update_price_quantity', () => {
    it('refuses more than 25 requests whole, in eBay error 25709, and changes nothing', async () => {
      const before = await stats();
      const many = Array.from({ length: 26 }, (_, i) =>
        priceQuantity(`MKT-${String(i + 1).padStart(3, '0')}`, 3),
      );
      const refused = await seller.request<{ errors: EbayError[] }>(
        'POST',
        '/sell/inventory/v1/bulk_update_price_quantity',
        { body: { requests: many } },
      );
      expect(refused.status).toBe(400);
      expect(refused.contentType).toContain('application/json');
      expect(refused.body.errors).toEqual([
        expect.objectContaining({
          errorId: 25709,
          domain: 'API_INVENTORY',
          category: 'REQUEST',
          message: expect.stringContaining('1 to 25'),
        }),
      ]);
      expect(await quantityOf('MKT-001')).toBe(10);
      const after = await stats();
      expect(after.bulkUpdateCalls).toBe(before.bulkUpdateCalls);
      expect(after.skuUpdatesApplied).toBe(before.skuUpdatesApplied);

      const full = await seller.request<BulkResponse>(
        'POST',
        '/sell/inventory/v1/bulk_update_price_quantity',
        {
          body: { requests: many.slice(0, 25) },
        },
      );
      expect(full.status).toBe(200);
      expect(full.body.responses).toHaveLength(25);
      expect(full.body.responses.every((r) => r.statusCode === 200)).toBe(true);
      expect(await quantityOf('MKT-025')).toBe(3);
      expect(await quantityOf('MKT-026')).toBe(10);
      expect((await stats()).skuUpdatesApplied - before.skuUpdatesApplied).toBe(25);
    });

    it('answers 207 when one SKU is unknown: that one is 404 (25702), the others apply and are recorded', async () => {
      const before = await stats();
      const res = await seller.request<BulkResponse>(
        'POST',
        '/sell/inventory/v1/bulk_update_price_quantity',
        {
          body: {
            requests: [
              priceQuantity('MKT-027', 7),
              priceQuantity('NOT-LISTED', 4),
              priceQuantity('MKT-028', 0),
            ],
          },
        },
      );
      expect(res.status).toBe(207);
      expect(res.body.responses).toEqual([
        { statusCode: 200, sku: 'MKT-027' },
        {
          statusCode: 404,
          sku: 'NOT-LISTED',
          errors: [
            expect.objectContaining({
              errorId: 25702,
              domain: 'API_INVENTORY',
              message: 'SKU NOT-LISTED is not available in the system',
            }),
          ],
        },
        { statusCode: 200, sku: 'MKT-028' },
      ]);
      expect(await quantityOf('MKT-027')).toBe(7);
      expect(await quantityOf('MKT-028')).toBe(0);
      const after = await stats();
      expect(after.bulkUpdateCalls - before.bulkUpdateCalls).toBe(1);
      expect(after.skuUpdatesApplied - before.skuUpdatesApplied).toBe(2);
      expect(after.skuUpdatesRejected - before.skuUpdatesRejected).toBe(1);

      // The same figure again is a revision too: recorded, per SKU, under its call.
      await seller.request('POST', '/sell/inventory/v1/bulk_update_price_quantity', {
        body: { requests: [priceQuantity('MKT-027', 7)] },
      });
      const history = await admin.request<{
        totalItems: number;
        items: { callId: number; quantity: number }[];
      }>('GET', '/admin/marketplace/quantity-updates?sku=MKT-027');
      expect(history.body.totalItems).toBe(2);
      expect(history.body.items.map((u) => u.quantity)).toEqual([7, 7]);
      expect(history.body.items[0].callId).toBeLessThan(history.body.items[1].callId);
    });

    it('answers a malformed request in its place and a SKU named twice for the whole call', async () => {
      const res = await seller.request<BulkResponse>(
        'POST',
        '/sell/inventory/v1/bulk_update_price_quantity',
        {
          body: { requests: [priceQuantity('MKT-029', -2), priceQuantity('MKT-030', 5)] },
        },
      );
      expect(res.status).toBe(207);
      expect(res.body.responses[0]).toMatchObject({
        statusCode: 400,
        sku: 'MKT-029',
        errors: [{ errorId: 25709 }],
      });
      expect(res.body.responses[1]).toEqual({ statusCode: 200, sku: 'MKT-030' });
      expect(await quantityOf('MKT-029')).toBe(10);
      const twice = await seller.request<{ errors: EbayError[] }>(
        'POST',
        '/sell/inventory/v1/bulk_update_price_quantity',
        { body: { requests: [priceQuantity('MKT-029', 1), priceQuantity('MKT-029', 2)] } },
      );
      expect(twice.status).toBe(400);
      expect(twice.body.errors[0].errorId).toBe(25734);
      expect(await quantityOf('MKT-029')).toBe(10);
    });
  });

  describe('inventory items', () => {
    it('pages by SKU with limit and offset (the page number), following next to the end', async () => {
      const first = await seller.request<InventoryItems>('GET', '/sell/inventory/v1/inventory_item?limit=12');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ limit: 12, total: 30, size: 3 });
      expect(first.body.prev).toBeUndefined();
      expect(first.body.href).toBe(`${url}/sell/inventory/v1/inventory_item?limit=12&offset=0`);
      const skus = first.body.inventoryItems.map((i) => i.sku);
      let next = first.body.next;
      let pages = 1;
      while (next) {
        const page = await seller.request<InventoryItems>('GET', pathOf(next));
        expect(page.body.prev).toBeDefined();
        skus.push(...page.body.inventoryItems.map((i) => i.sku));
        next = page.body.next;
        pages++;
      }
      expect(pages).toBe(3);
      expect(skus).toEqual(Array.from({ length: 30 }, (_, i) => `MKT-${String(i + 1).padStart(3, '0')}`));
    });

    it("answers eBay's errors for bad paging (25706) and an unknown SKU (404, 25710)", async () => {
      for (const query of ['limit=0', 'limit=201', 'offset=-1', 'limit=ten']) {
        const bad = await seller.request<{ errors: EbayError[] }>(
          'GET',
          `/sell/inventory/v1/inventory_item?${query}`,
        );
        expect(bad.status).toBe(400);
        expect(bad.body.errors[0]).toMatchObject({ errorId: 25706, domain: 'API_INVENTORY' });
      }
      const missing = await seller.request<{ errors: EbayError[] }>(
        'GET',
        '/sell/inventory/v1/inventory_item/NOPE',
      );
      expect(missing.status).toBe(404);
      expect(missing.body.errors[0]).toMatchObject({ errorId: 25710 });
    });
  });

  it('goes down with /admin/faults and answers in the API error body, while the admin routes stay up', async () => {
    expect((await admin.request('PUT', '/admin/faults/marketplace', { body: { outage: true } })).status).toBe(
      200,
    );
    const inventory = await seller.request<{ errors: EbayError[] }>(
      'GET',
      '/sell/inventory/v1/inventory_item',
    );
    expect(inventory.status).toBe(503);
    expect(inventory.body.errors[0]).toMatchObject({ errorId: 25001, category: 'APPLICATION' });
    const orders = await seller.request<{ errors: EbayError[] }>('GET', '/sell/fulfillment/v1/order');
    expect(orders.status).toBe(503);
    expect(orders.body.errors[0]).toMatchObject({ errorId: 30500 });
    const update = await seller.request('POST', '/sell/inventory/v1/bulk_update_price_quantity', {
      body: { requests: [priceQuantity('MKT-030', 99)] },
    });
    expect(update.status).toBe(503);
    expect((await admin.request('GET', '/admin/stats')).status).toBe(200);
    await admin.request('DELETE', '/admin/faults');
    expect(await quantityOf('MKT-030')).toBe(5);
  });
});
