import type { HttpClient } from '../support/http';
import { type Page, useSandbox } from './harness';

describe('sandbox backends', () => {
  const sandbox = useSandbox('sandbox_oms');
  const { stats } = sandbox;
  let api: HttpClient;

  beforeAll(() => {
    ({ api } = sandbox);
  });

  describe('OMS', () => {
    const order = {
      orderRef: 'web-1',
      channel: 'web',
      lines: [{ sku: 'SKU-1', quantity: 2 }],
      shipTo: { name: 'Ada', country: 'DE' },
    };

    it('creates an order once per orderRef and counts the duplicate', async () => {
      const before = await stats();
      const created = await api.request<{ orderId: string; status: string }>('POST', '/oms/api/orders', {
        body: order,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        orderId: expect.stringMatching(/^OMS-\d{6}$/),
        orderRef: 'web-1',
        channel: 'web',
        status: 'NEW',
        lines: order.lines,
        shipTo: order.shipTo,
      });
      const duplicate = await api.request<{ orderId: string }>('POST', '/oms/api/orders', {
        body: { ...order, lines: [{ sku: 'SKU-2', quantity: 1 }] },
      });
      expect(duplicate.status).toBe(200);
      expect(duplicate.body).toEqual(created.body);
      const after = await stats();
      expect(after.oms.ordersCreated - before.oms.ordersCreated).toBe(1);
      expect(after.oms.orderDuplicates - before.oms.orderDuplicates).toBe(1);
      expect(after.oms.orderCalls - before.oms.orderCalls).toBe(2);
    });

    it('finds, lists and moves orders through the OMS statuses', async () => {
      const { body: created } = await api.request<{ orderId: string }>('POST', '/oms/api/orders', {
        body: { ...order, orderRef: 'web-2', shipTo: undefined },
      });
      expect((await api.request('GET', `/oms/api/orders/${created.orderId}`)).body).toMatchObject({
        orderRef: 'web-2',
        shipTo: null,
      });
      const missing = await api.request('GET', '/oms/api/orders/OMS-999999');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: 'ORDER_NOT_FOUND' });
      const shipped = await api.request('PATCH', `/oms/api/orders/${created.orderId}`, {
        body: { status: 'SHIPPED' },
      });
      expect(shipped.status).toBe(200);
      expect(shipped.body).toMatchObject({ status: 'SHIPPED' });
      const back = await api.request('PATCH', `/oms/api/orders/${created.orderId}`, {
        body: { status: 'NEW' },
      });
      expect(back.status).toBe(409);
      expect(back.body).toMatchObject({ error: 'INVALID_STATUS_TRANSITION', currentStatus: 'SHIPPED' });
      expect(
        (await api.request('PATCH', `/oms/api/orders/${created.orderId}`, { body: { status: 'LOST' } }))
          .status,
      ).toBe(400);
      const list = await api.request<Page<{ orderRef: string }>>('GET', '/oms/api/orders?status=SHIPPED');
      expect(list.body.items.map((o) => o.orderRef)).toEqual(['web-2']);
      const byRef = await api.request<Page<{ orderRef: string }>>('GET', '/oms/api/orders?orderRef=web-1');
      expect(byRef.body).toMatchObject({ totalItems: 1, totalPages: 1 });
    });

    it('keeps the point a ship-to gives (lat and lng, together) and refuses half a point', async () => {
      const point = { lat: 52.52, lng: 13.405 };
      const created = await api.request<{ orderId: string }>('POST', '/oms/api/orders', {
        body: { ...order, orderRef: 'web-geo-1', shipTo: point },
      });
      expect(created.status).toBe(201);
      expect((await api.request('GET', `/oms/api/orders/${created.body.orderId}`)).body).toMatchObject({
        shipTo: point,
      });
      for (const shipTo of [{ lat: 52.52 }, { lng: 13.405 }, { lat: 91, lng: 0 }, { lat: '52', lng: 13 }]) {
        const refused = await api.request<{ detail: string }>('POST', '/oms/api/orders', {
          body: { ...order, orderRef: 'web-geo-2', shipTo },
        });
        expect(refused.status).toBe(400);
        expect(refused.body.detail).toMatch(/shipTo\.(lat|lng)/);
      }
    });
  });
});
