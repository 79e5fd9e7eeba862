import { deterministicEventId } from '@stockbridge/messaging';
import { Redis } from 'ioredis';
import { Backends } from '../support/backends';
import { eventually, HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { OrderApps, type OrderSnapshot } from '../support/order-apps';
import { TestPlatform } from '../support/platform';

interface OmsOrder {
  orderId: string;
  orderRef: string;
  status: string;
  updatedAt: string;
}

/**
 * The OMS's own status changes reach the order lifecycle: system-oms polls the sandbox OMS for changes
 * (`?updatedSince=`) and reports each as an `order.status-reported` event to process-allocation, which maps
 * it (order_status_mappings) and applies it.
 */
describe('OMS status changes: polled by system-oms, applied by process-allocation', () => {
  let platform: TestPlatform;
  let backends: Backends;
  let orders: OrderApps;
  let web: HttpClient;
  let redis: Redis;

  const placeOrder = async (lines: { sku: string; quantity: number }[]): Promise<string> => {
    const r = await web.reserve(lines);
    expect(r.status).toBe(201);
    const id = (r.body as { id: string }).id;
    expect((await web.request('POST', `/v1/reservations/${id}/confirm`)).status).toBe(200);
    return id;
  };
  const waitFor = async (id: string, accept: (o: OrderSnapshot) => boolean, what: string) => {
    const o = await eventually(
      () => orders.order(id).catch(() => null),
      (v) => v !== null && accept(v),
      20_000,
      50,
    );
    if (!o || !accept(o)) throw new Error(`order ${id} never got ${what}: ${JSON.stringify(o)}`);
    return o;
  };
  const inState = (id: string, state: string) => waitFor(id, (o) => o.state === state, `state ${state}`);
  /** The OMS order system-oms created for the order (its orderRef is the order id). */
  const omsOrder = async (id: string): Promise<OmsOrder> => {
    const page = await eventually(
      () => backends.sandboxCall<{ items: OmsOrder[] }>('GET', `/oms/api/orders?orderRef=${id}`),
      (p) => p.items.length === 1,
      20_000,
      100,
    );
    expect(page.items).toHaveLength(1);
    return page.items[0];
  };
  const setOmsStatus = (orderId: string, status: string) =>
    backends.sandboxCall<OmsOrder>('PATCH', `/oms/api/orders/${orderId}`, { status });
  const outbound = (ref: string) =>
    backends.sandboxCall<{ status: string }>('GET', `/wms/api/outbound-orders/${ref}`);
  const ship = (sku: string, qty: number, orderRef: string) =>
    backends.wmsOperation('shipments', {
      warehouse: 'DC-WH-1',
      itemCode: `W-${sku}`,
      qty,
      uom: 'EA',
      orderRef,
    });
  const cursorKey = () => `${platform.baseEnv().REDIS_PREFIX}oms:status-cursor`;
  const statusJobs = async () => {
    const counts = await backends
      .queue('allocation.order-status')
      .getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  beforeAll(async () => {
    platform = await TestPlatform.start('omsstatus');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['A'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [{ sku: 'A', location: 'WH-1', onHand: 20 }],
    });
    await platform.db.query(`UPDATE skus SET price_cents = 2500, cost_cents = 1000`);
    backends = await Backends.start(platform, { systemEnv: { OMS_STATUS_POLL_MS: '500' } });
    await backends.catalog({ skus: ['A'], locations: ['WH-1'] });
    await backends.sandboxCall('PUT', '/admin/wms/inventory', {
      rows: [{ warehouse: 'DC-WH-1', itemCode: 'W-A', qtyEach: 20 }],
    });
    orders = await OrderApps.start(platform);
    web = new HttpClient(orders.storefront.url, { authorization: `Bearer ${await platform.apiKey('web')}` });
    redis = new Redis(platform.env.redisUrl, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await redis?.quit();
    await web?.close();
    await orders?.stop();
    await backends?.sandboxCall('PUT', '/admin/faults/erp', { outage: false }).catch(() => undefined);
    await backends?.stop();
    await platform?.stop();
  });

  it('lists the OMS orders changed since a time, by change time, with DELIVERED after SHIPPED', async () => {
    const a = await backends.sandboxCall<OmsOrder>('POST', '/oms/api/orders', {
      orderRef: 'web-poll-1',
      channel: 'web',
      lines: [{ sku: 'A', quantity: 1 }],
    });
    const since = new Date().toISOString();
    const b = await backends.sandboxCall<OmsOrder>('POST', '/oms/api/orders', {
      orderRef: 'web-poll-2',
      channel: 'web',
      lines: [{ sku: 'A', quantity: 1 }],
    });
    await setOmsStatus(a.orderId, 'SHIPPED');
    const delivered = await setOmsStatus(a.orderId, 'DELIVERED');
    expect(delivered.status).toBe('DELIVERED');
    const changed = await backends.sandboxCall<{ items: OmsOrder[] }>(
      'GET',
      `/oms/api/orders?updatedSince=${encodeURIComponent(since)}`,
    );
    expect(changed.items.map((o) => [o.orderRef, o.status])).toEqual([
      ['web-poll-2', 'NEW'],
      ['web-poll-1', 'DELIVERED'],
    ]);
    expect(changed.items[1].updatedAt).toBe(delivered.updatedAt);
    expect(changed.items[0].updatedAt <= changed.items[1].updatedAt).toBe(true);
    // A delivered order can be returned but not cancelled.
    const refused = await backends.sandboxHttp.request('PATCH', `/oms/api/orders/${a.orderId}`, {
      body: { status: 'CANCELLED' },
    });
    expect(refused.status).toBe(409);
    expect((await backends.sandboxHttp.request('GET', '/oms/api/orders?updatedSince=yesterday')).status).toBe(
      400,
    );
    expect(b.status).toBe('NEW');
  });

  it('cancels a released order the OMS cancelled: the WMS drops it and the allocation is released', async () => {
    const before = await platform.level('A', 'WH-1');
    const id = await placeOrder([{ sku: 'A', quantity: 3 }]);
    const fo = (await inState(id, 'released')).fulfilmentOrders[0];
    expect(await platform.level('A', 'WH-1')).toMatchObject({ allocated: before.allocated + 3 });

    const oms = await setOmsStatus((await omsOrder(id)).orderId, 'CANCELLED');

    const cancelled = await inState(id, 'cancelled');
    expect(cancelled.fulfilmentOrders[0]).toMatchObject({ status: 'cancelled' });
    // The cancellation was the OMS's: its event was taken by process-allocation.
    const job = await backends
      .queue('allocation.order-status')
      .getJob(deterministicEventId(`oms/status/${id}/CANCELLED/${oms.updatedAt}`));
    expect(job?.data).toMatchObject({ payload: { orderId: id, source: 'oms', nativeStatus: 'CANCELLED' } });
    expect(await job?.getState()).toBe('completed');
    expect((await outbound(fo.id)).status).toBe('CANCELLED');
    expect(await platform.level('A', 'WH-1')).toMatchObject({
      onHand: before.onHand,
      allocated: before.allocated,
      reserved: before.reserved,
    });
  });

  it('delivers a shipped order the OMS reports DELIVERED, once, however often the change is polled', async () => {
    // The ERP is away, so the order stays shipped (not settled) until the OMS delivers it.
    await backends.sandboxCall('PUT', '/admin/faults/erp', { outage: true });
    let id: string;
    let delivered: OmsOrder;
    try {
      id = await placeOrder([{ sku: 'A', quantity: 2 }]);
      const fo = (await inState(id, 'released')).fulfilmentOrders[0];
      await ship('A', 2, fo.id);
      await inState(id, 'shipped');

      const oms = await omsOrder(id);
      await setOmsStatus(oms.orderId, 'SHIPPED');
      delivered = await setOmsStatus(oms.orderId, 'DELIVERED');

      const order = await inState(id, 'delivered');
      expect(order.transitions.find((t) => t.to === 'delivered')).toMatchObject({
        source: 'oms',
        nativeStatus: 'DELIVERED',
      });
    } finally {
      await backends.sandboxCall('PUT', '/admin/faults/erp', { outage: false });
    }

    // The event of the change has the change's deterministic id as job id.
    const eventId = deterministicEventId(`oms/status/${id}/DELIVERED/${delivered.updatedAt}`);
    const job = await backends.queue('allocation.order-status').getJob(eventId);
    expect(job?.data).toMatchObject({
      id: eventId,
      type: 'order.status-reported',
      source: 'system-oms',
      payload: {
        orderId: id,
        source: 'oms',
        nativeStatus: 'DELIVERED',
        sourceEventId: `${id}:DELIVERED:${delivered.updatedAt}`,
      },
    });

    // Forget the cursor: the next poll reads every change of the last hour again, and publishes nothing new.
    const jobs = await statusJobs();
    await redis.del(cursorKey());
    await eventually(
      () => redis.get(cursorKey()),
      (c) => c === delivered.updatedAt,
      10_000,
      100,
    );
    expect(await redis.get(cursorKey())).toBe(delivered.updatedAt);
    await new Promise((r) => setTimeout(r, 1_200)); // two more ticks, each re-reading the last change
    expect(await statusJobs()).toBe(jobs);
    const after = await orders.order(id);
    expect(after.transitions.filter((t) => t.to === 'delivered')).toHaveLength(1);
  });

  it('leaves no dead letters behind and the ledger sound', async () => {
    const letters = await backends.deadLetters.list({ status: 'open' });
    expect(letters.items.map((l) => [l.queue, l.reason])).toEqual([]);
    await assertLedgerInvariants(platform);
  });
});
