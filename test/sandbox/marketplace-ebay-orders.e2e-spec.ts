import type { HttpClient, HttpResult } from '../support/http';
import { type EbayError, pathOf, useMarketplace } from './marketplace-harness';

interface Order {
  orderId: string;
  creationDate: string;
  lastModifiedDate: string;
  orderFulfillmentStatus: string;
  cancelStatus: {
    cancelState: string;
    cancelledDate?: string;
    cancelRequests: { cancelInitiator: string; cancelReason: string; cancelRequestState: string }[];
  };
  lineItems: {
    lineItemId: string;
    sku: string;
    quantity: number;
    lineItemCost: { value: string; currency: string };
  }[];
  fulfillmentStartInstructions: {
    shippingStep: { shipTo: { fullName: string; contactAddress: { city: string } } };
  }[];
}
interface OrderPage {
  href: string;
  next?: string;
  prev?: string;
  limit: number;
  offset: number;
  total: number;
  orders: Order[];
}

describe('sandbox marketplace: eBay seller APIs', () => {
  const marketplace = useMarketplace('marketplace_orders');
  const { stats, quantityOf, listItems } = marketplace;
  let seller: HttpClient;
  let admin: HttpClient;

  const createOrders = (orders: unknown[]) =>
    admin.request<{ orders: Order[] }>('POST', '/admin/marketplace/orders', { body: { orders } });

  beforeAll(() => {
    ({ seller } = marketplace);
    ({ api: admin } = marketplace.sandbox);
  });

  describe('orders', () => {
    const HOUR = 3_600_000;
    const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
    let created: Order[];

    beforeAll(async () => {
      await listItems([
        { sku: 'ORD-A', quantity: 3 },
        { sku: 'ORD-B', quantity: 0 },
      ]);
      const res = await createOrders([
        { lineItems: [{ sku: 'ORD-A', quantity: 2 }], creationDate: ago(50) },
        { lineItems: [{ sku: 'ORD-A', quantity: 2 }], creationDate: ago(40) },
        { lineItems: [{ sku: 'ORD-B', quantity: 1 }], creationDate: ago(30), buyerUsername: 'late_buyer' },
        {
          lineItems: [
            { sku: 'ORD-A', quantity: 1 },
            { sku: 'ORD-B', quantity: 4 },
          ],
          creationDate: ago(20),
        },
        { lineItems: [{ sku: 'ORD-B', quantity: 1 }], creationDate: ago(10) },
      ]);
      expect(res.status).toBe(201);
      created = res.body.orders;
    });

    it('lets buyers buy whatever the listed quantity, and lowers it, not below 0', async () => {
      expect(created).toHaveLength(5);
      expect(created[2]).toMatchObject({
        orderFulfillmentStatus: 'NOT_STARTED',
        cancelStatus: { cancelState: 'NONE_REQUESTED', cancelRequests: [] },
        lineItems: [{ sku: 'ORD-B', quantity: 1, lineItemCost: { value: '10.00', currency: 'USD' } }],
      });
      expect(created[0].orderId).toMatch(/^\d{2}-\d{5}-\d{5}$/);
      expect(created[0].fulfillmentStartInstructions[0].shippingStep.shipTo.contactAddress.city).toBe(
        'San Jose',
      );
      expect(await quantityOf('ORD-A')).toBe(0);
      expect(await quantityOf('ORD-B')).toBe(0);
      const unknown = await createOrders([{ lineItems: [{ sku: 'NOT-LISTED', quantity: 1 }] }]);
      expect(unknown.status).toBe(422);
      expect(unknown.contentType).toContain('application/problem+json');
    });

    it('filters by lastmodifieddate, inclusive, in order of lastModifiedDate then orderId, paged with next', async () => {
      const from = created[1].lastModifiedDate;
      const to = created[3].lastModifiedDate;
      const window = await seller.request<OrderPage>(
        'GET',
        `/sell/fulfillment/v1/order?filter=${encodeURIComponent(`lastmodifieddate:[${from}..${to}]`)}`,
      );
      expect(window.status).toBe(200);
      expect(window.body.total).toBe(3);
      expect(window.body.orders.map((o) => o.orderId)).toEqual(created.slice(1, 4).map((o) => o.orderId));
      // getOrders returns cancelRequests always empty, as eBay's does.
      expect(window.body.orders.every((o) => o.cancelStatus.cancelRequests.length === 0)).toBe(true);

      const since = `lastmodifieddate:[${ago(60)}..]`;
      const seen: string[] = [];
      let page = await seller.request<OrderPage>(
        'GET',
        `/sell/fulfillment/v1/order?filter=${encodeURIComponent(since)}&limit=2`,
      );
      expect(page.body).toMatchObject({ limit: 2, offset: 0, total: 5 });
      expect(page.body.prev).toBeUndefined();
      for (;;) {
        seen.push(...page.body.orders.map((o) => o.orderId));
        if (!page.body.next) break;
        expect(new URL(page.body.next).searchParams.get('filter')).toBe(since);
        page = await seller.request<OrderPage>('GET', pathOf(page.body.next));
        expect(page.body.prev).toBeDefined();
      }
      expect(seen).toEqual(created.map((o) => o.orderId));

      const byIds = await seller.request<OrderPage>(
        'GET',
        `/sell/fulfillment/v1/order?orderIds=${created[4].orderId},${created[0].orderId},NOPE`,
      );
      expect(byIds.body.orders.map((o) => o.orderId)).toEqual([created[0].orderId, created[4].orderId]);
    });

    it("answers eBay's errors for a bad filter, limit or offset", async () => {
      const errorOf = async (query: string) => {
        const r: HttpResult<{ errors: EbayError[] }> = await seller.request(
          'GET',
          `/sell/fulfillment/v1/order?${query}`,
        );
        expect(r.status).toBe(400);
        expect(r.body.errors[0].domain).toBe('API_FULFILLMENT');
        return r.body.errors[0].errorId;
      };
      const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
      expect(await errorOf(q('modified:[2026-01-01T00:00:00Z..]'))).toBe(30700);
      expect(await errorOf(q('lastmodifieddate:[yesterday..]'))).toBe(30810);
      expect(await errorOf(q(`lastmodifieddate:[${ago(1)}..${ago(2)}]`))).toBe(30840);
      expect(await errorOf(q(`lastmodifieddate:[${ago(1)}..${ago(-1)}]`))).toBe(30850);
      expect(await errorOf('limit=201')).toBe(31100);
      expect(await errorOf('offset=-5')).toBe(31000);
    });

    it('a buyer cancel request and the seller cancellation each move lastModifiedDate; a retry changes nothing', async () => {
      const mark = new Date().toISOString();
      const requested = await admin.request<Order>(
        'POST',
        `/admin/marketplace/orders/${created[0].orderId}/buyer-cancel-request`,
        { body: {} },
      );
      expect(requested.status).toBe(200);
      expect(requested.body.cancelStatus).toMatchObject({
        cancelState: 'IN_PROGRESS',
        cancelRequests: [{ cancelInitiator: 'BUYER', cancelRequestState: 'REQUESTED' }],
      });
      const cancelled = await seller.request<{ cancelId: string }>('POST', '/post-order/v2/cancellation', {
        body: { legacyOrderId: created[2].orderId, cancelReason: 'OUT_OF_STOCK_OR_CANNOT_FULFILL' },
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.cancelId).toMatch(/^\d+$/);
      const retry = await seller.request('POST', '/post-order/v2/cancellation', {
        body: { legacyOrderId: created[2].orderId, cancelReason: 'OUT_OF_STOCK_OR_CANNOT_FULFILL' },
      });
      expect(retry.body).toEqual({
        orderEligibilityResult: {
          legacyOrderId: created[2].orderId,
          eligible: false,
          failureReason: ['CANCELLATION_EXIST'],
        },
      });

      const changed = await seller.request<OrderPage>(
        'GET',
        `/sell/fulfillment/v1/order?filter=${encodeURIComponent(`lastmodifieddate:[${mark}..]`)}`,
      );
      expect(changed.body.orders.map((o) => o.orderId)).toEqual([created[0].orderId, created[2].orderId]);
      const order = await seller.request<Order>('GET', `/sell/fulfillment/v1/order/${created[2].orderId}`);
      expect(order.body.cancelStatus).toMatchObject({
        cancelState: 'CANCELED',
        cancelledDate: expect.any(String),
        cancelRequests: [
          {
            cancelInitiator: 'SELLER',
            cancelReason: 'OUT_OF_STOCK_OR_CANNOT_FULFILL',
            cancelRequestState: 'COMPLETED',
          },
        ],
      });
      expect((await stats()).ordersCancelled).toBe(1);

      const unknown = await seller.request<{ errorMessage: { error: { errorId: number }[] } }>(
        'POST',
        '/post-order/v2/cancellation',
        { body: { legacyOrderId: 'NOPE' } },
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.errorMessage.error[0].errorId).toBe(1303);
      const missing = await seller.request<{ errors: EbayError[] }>('GET', '/sell/fulfillment/v1/order/NOPE');
      expect(missing.status).toBe(404);
      expect(missing.body.errors[0].errorId).toBe(32100);
    });
  });
});
