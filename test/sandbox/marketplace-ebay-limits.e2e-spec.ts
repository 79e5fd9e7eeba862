import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestEnvironment } from '../support/environment';
import { HttpClient } from '../support/http';
import { ADMIN_TOKEN } from './harness';
import {
  type BulkResponse,
  type EbayError,
  priceQuantity,
  sellerClient,
  startMarketplace,
  useMarketplace,
} from './marketplace-harness';

describe('sandbox marketplace: eBay seller APIs', () => {
  const marketplace = useMarketplace('marketplace_limits');
  const { stats, quantityOf } = marketplace;
  let env: TestEnvironment;
  let url: string;
  let seller: HttpClient;
  let admin: HttpClient;

  beforeAll(() => {
    ({ seller } = marketplace);
    ({ env, baseUrl: url, api: admin } = marketplace.sandbox);
  });

  it('wants its OAuth2 bearer token, and says so in eBay error 1001', async () => {
    const before = await stats();
    const anonymous = new HttpClient(url);
    try {
      const refused = await anonymous.request<{ errors: EbayError[] }>(
        'GET',
        '/sell/inventory/v1/inventory_item',
      );
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toContain('Bearer');
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ errorId: 1001, domain: 'OAuth', category: 'REQUEST' }),
      ]);
      const forged = await anonymous.request('POST', '/sell/inventory/v1/bulk_update_price_quantity', {
        body: { requests: [priceQuantity('MKT-001', 0)] },
        headers: { authorization: 'Bearer not-a-token' },
      });
      expect(forged.status).toBe(401);
      expect((await anonymous.request('GET', '/sell/fulfillment/v1/order')).status).toBe(401);
      expect((await anonymous.request('POST', '/post-order/v2/cancellation', { body: {} })).status).toBe(401);
      // Buyers and listings are the admin's: the seller's token does not reach them, nor does no token.
      for (const client of [anonymous, seller]) {
        const buy = await client.request('POST', '/admin/marketplace/orders', {
          body: { orders: [{ lineItems: [{ sku: 'MKT-001', quantity: 1 }] }] },
        });
        expect(buy.status).toBe(401);
        expect(buy.contentType).toContain('application/problem+json');
      }
    } finally {
      await anonymous.close();
    }
    expect(await quantityOf('MKT-001')).toBe(10);
    const after = await stats();
    expect(after.unauthorized - before.unauthorized).toBe(4);
    expect(after.bulkUpdateCalls).toBe(before.bulkUpdateCalls);
    expect(after.orders).toBe(before.orders);
  });

  describe('call limits', () => {
    let limited: NestFastifyApplication;
    let client: HttpClient;
    let limitedAdmin: HttpClient;

    beforeAll(async () => {
      const started = await startMarketplace(env, {
        SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND: '3',
        SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND: '2',
      });
      limited = started.app;
      client = await sellerClient(started.url);
      limitedAdmin = new HttpClient(started.url, { authorization: `Bearer ${ADMIN_TOKEN}` });
    });

    afterAll(async () => {
      await client?.close();
      await limitedAdmin?.close();
      await limited?.close();
    });

    it('answers 429 with Retry-After and eBay error 2001 past the rate, applies nothing then, and refills', async () => {
      const burst = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          client.request<BulkResponse & { errors?: EbayError[] }>(
            'POST',
            '/sell/inventory/v1/bulk_update_price_quantity',
            { body: { requests: [priceQuantity('MKT-026', 20 + i)] } },
          ),
        ),
      );
      const ok = burst.filter((r) => r.status === 200);
      const throttled = burst.filter((r) => r.status === 429);
      // A burst of the rate passes (plus what refills while the burst is sent), the rest is refused.
      expect(ok.length).toBeGreaterThanOrEqual(3);
      expect(ok.length).toBeLessThanOrEqual(4);
      expect(throttled).toHaveLength(9 - ok.length);
      for (const r of throttled) {
        expect(r.headers['retry-after']).toBe('1');
        expect(r.body.errors).toEqual([
          expect.objectContaining({ errorId: 2001, domain: 'ACCESS', message: 'Too many requests.' }),
        ]);
      }
      const history = await admin.request<{ totalItems: number }>(
        'GET',
        '/admin/marketplace/quantity-updates?sku=MKT-026',
      );
      expect(history.body.totalItems).toBe(ok.length);
      const counted = await stats(limitedAdmin);
      expect(counted.rateLimited).toBe(throttled.length);
      expect(counted.inventoryCalls).toBe(ok.length);

      // Each API has its own budget: the orders are still answered.
      expect((await client.request('GET', '/sell/fulfillment/v1/order')).status).toBe(200);

      await new Promise((r) => setTimeout(r, 1_000 * Number(throttled[0].headers['retry-after'])));
      const again = await Promise.all(
        Array.from({ length: 3 }, () => client.request('GET', '/sell/inventory/v1/inventory_item?limit=1')),
      );
      expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    });

    it('limits the Fulfillment API at its own rate', async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      const burst = await Promise.all(
        Array.from({ length: 6 }, () => client.request('GET', '/sell/fulfillment/v1/order?limit=1')),
      );
      const ok = burst.filter((r) => r.status === 200).length;
      expect(ok).toBeGreaterThanOrEqual(2);
      expect(ok).toBeLessThanOrEqual(3);
      expect(burst.filter((r) => r.status === 429)).toHaveLength(6 - ok);
    });
  });
});
