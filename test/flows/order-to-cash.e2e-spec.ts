// One file past 400 lines on purpose: every order-to-cash scenario runs on one started chain of apps and
// sandbox (seconds to start); split, each file would start it again.
import { Backends } from '../support/backends';
import { waitForQueuesToDrain } from '../support/drain';
import { eventually, HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { OrderApps, type OrderSnapshot } from '../support/order-apps';
import { TestPlatform } from '../support/platform';

/**
 * Issue 4 acceptance, through the real apps and the sandbox: storefront → process-reservations → outbox →
 * process-allocation → system-wms → sandbox WMS → webhooks → system-wms → process-allocation → system-erp →
 * sandbox ERP, over real HTTP, PostgreSQL and Redis.
 */
describe('order to cash: allocation, release, shipment, short pick, cancellation, postings, lifecycle', () => {
  let platform: TestPlatform;
  let backends: Backends;
  let orders: OrderApps;
  let web: HttpClient;

  const STOCK: [string, string, number][] = [
    ['A', 'WH-1', 20],
    ['B', 'WH-2', 20],
    ['C', 'WH-1', 5],
    ['C', 'WH-2', 5],
    ['D', 'WH-1', 2],
    ['D', 'WH-2', 5],
    ['E', 'WH-1', 10],
  ];

  const placeOrder = async (lines: { sku: string; quantity: number }[]): Promise<string> => {
    const r = await web.reserve(lines);
    expect(r.status).toBe(201);
    const id = (r.body as { id: string }).id;
    expect((await web.request('POST', `/v1/reservations/${id}/confirm`)).status).toBe(200);
    return id;
  };
  const waitFor = (id: string, accept: (o: OrderSnapshot) => boolean, what: string) =>
    eventually(
      () => orders.order(id).catch(() => null),
      (o) => o !== null && accept(o),
      20_000,
      50,
    ).catch(async (err: unknown) => {
      throw new Error(
        `order ${id} never got ${what}: ${JSON.stringify(await orders.order(id).catch(() => null))}`,
        {
          cause: err,
        },
      );
    }) as Promise<OrderSnapshot>;
  const inState = (id: string, state: string) => waitFor(id, (o) => o.state === state, `state ${state}`);
  const outbound = (ref: string) =>
    backends.sandboxCall<{
      orderRef: string;
      warehouse: string;
      status: string;
      lines: { itemCode: string; qty: number }[];
    }>('GET', `/wms/api/outbound-orders/${ref}`);
  const erpEntries = (reference: string) =>
    backends.sandboxCall<{
      totalItems: number;
      items: { type: string; postingKey: string; amount: unknown }[];
    }>('GET', `/erp/api/v2/journal-entries?reference=${reference}`);
  const ship = (location: string, sku: string, qty: number, orderRef: string) =>
    backends.wmsOperation('shipments', {
      warehouse: `DC-${location}`,
      itemCode: `W-${sku}`,
      qty,
      uom: 'EA',
      orderRef,
    });

  beforeAll(async () => {
    platform = await TestPlatform.start('o2c');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }],
      skus: ['A', 'B', 'C', 'D', 'E'],
      channels: [{ code: 'web', pool: ['WH-1', 'WH-2'] }],
      stock: STOCK.map(([sku, location, onHand]) => ({ sku, location, onHand })),
    });
    await platform.db.query(`UPDATE skus SET price_cents = 2500, cost_cents = 1000`);
    backends = await Backends.start(platform);
    await backends.catalog({ skus: ['A', 'B', 'C', 'D', 'E'], locations: ['WH-1', 'WH-2'] });
    // The WMS holds what the ledger says, except that the 2 D at WH-1 cannot be found (the short pick below).
    await backends.sandboxCall('PUT', '/admin/wms/inventory', {
      rows: STOCK.map(([sku, location, qty]) => ({
        warehouse: `DC-${location}`,
        itemCode: `W-${sku}`,
        qtyEach: qty,
      })),
    });
    orders = await OrderApps.start(platform);
    web = new HttpClient(orders.storefront.url, { authorization: `Bearer ${await platform.apiKey('web')}` });
  });

  afterAll(async () => {
    await web?.close();
    await orders?.stop();
    await backends?.stop();
    await platform?.stop();
  });

  afterEach(async () => {
    await backends.sandboxCall('PUT', '/admin/faults/erp', { failNext: 0, latencyMs: 0 });
  });

  it('reserve → confirm → allocated → released to the WMS → shipped → one revenue and one cost posting despite two ERP errors; every state recorded', async () => {
    const id = await placeOrder([{ sku: 'A', quantity: 2 }]);
    const released = await inState(id, 'released');
    expect(released.fulfilmentOrders).toHaveLength(1);
    const fo = released.fulfilmentOrders[0];
    expect(fo).toMatchObject({ location: 'WH-1', status: 'released', attempt: 1 });
    // The WMS has the outbound order under the fulfilment order's id, in its own codes.
    const wmsOrder = await outbound(fo.id);
    expect(wmsOrder).toMatchObject({ warehouse: 'DC-WH-1' });
    expect(wmsOrder.lines).toEqual([expect.objectContaining({ itemCode: 'W-A', qty: 2 })]);
    // Reserved → allocated in the ledger.
    expect(await platform.level('A', 'WH-1')).toMatchObject({ onHand: 20, reserved: 0, allocated: 2 });

    // The ERP answers its next two calls with 500, and is slow after that.
    await backends.sandboxCall('PUT', '/admin/faults/erp', { failNext: 2, latencyMs: 1500 });
    await ship('WH-1', 'A', 2, fo.id);
    await inState(id, 'shipped');
    expect(await platform.level('A', 'WH-1')).toMatchObject({ onHand: 18, reserved: 0, allocated: 0 });
    // The OMS reports the delivery in its own words.
    const delivered = await orders.http.request<{ state: string; applied: boolean }>(
      'POST',
      `/v1/orders/${id}/status-reports`,
      {
        body: { source: 'oms', status: 'DELIVERED' },
      },
    );
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ state: 'delivered', applied: true });

    const settled = await inState(id, 'settled');
    expect(settled.transitions.map((t) => t.to)).toEqual([
      'pending_validation',
      'reserved',
      'allocated',
      'released',
      'shipped',
      'delivered',
      'settled',
    ]);
    for (const t of settled.transitions) expect(t.cause).toMatch(/\S/);
    expect(settled.transitions.find((t) => t.to === 'delivered')).toMatchObject({
      source: 'oms',
      nativeStatus: 'DELIVERED',
    });
    expect(settled.postings.map((p) => [p.kind, p.amountCents, p.status]).sort()).toEqual([
      ['cost-of-goods', 2000, 'posted'],
      ['revenue', 5000, 'posted'],
    ]);

    // Exactly one revenue and one cost entry reached the ERP, although two calls failed first.
    const entries = await erpEntries(id);
    expect(entries.items.map((e) => e.type).sort()).toEqual(['COGS', 'REVENUE']);
    const faults = await backends.sandboxCall<{ erp: { faulted: number } }>('GET', '/admin/stats');
    expect(faults.erp.faulted).toBeGreaterThanOrEqual(2);

    // The storefront shows the order to its channel.
    const seen = await web.request<{ state: string; history: { state: string }[] }>(
      'GET',
      `/v1/orders/${id}`,
    );
    expect(seen.status).toBe(200);
    expect(seen.body.state).toBe('settled');
    expect(seen.body.history.map((h) => h.state)).toContain('delivered');
    expect(seen.text).not.toMatch(/postingKey|cause/);
  });

  it('holds a return in quality control until graded; resell is sellable again, damaged goes to damaged; the refund lands in the ERP once', async () => {
    const id = await placeOrder([{ sku: 'A', quantity: 2 }]);
    const fo = (await inState(id, 'released')).fulfilmentOrders[0];
    await ship('WH-1', 'A', 2, fo.id);
    await waitFor(id, (o) => ['shipped', 'settled'].includes(o.state), 'shipped');
    await platform.syncReadModel();
    const available = async () => {
      await platform.syncReadModel();
      const res = await web.request<{ items: { locations: { location: string; available: number }[] }[] }>(
        'GET',
        '/v1/availability?sku=A',
      );
      return res.body.items[0].locations.find((l) => l.location === 'WH-1')!.available;
    };
    const before = await platform.level('A', 'WH-1');
    const sellableBefore = await available();

    const opened = await orders.returnsHttp.request<{ id: string; status: string }>('POST', '/v1/returns', {
      body: {
        orderId: id,
        source: 'web',
        externalRef: `web-rma-${id}`,
        reason: 'too small',
        lines: [{ sku: 'A', quantity: 2 }],
      },
    });
    expect(opened.status).toBe(201);
    const rma = opened.body.id;
    const received = await orders.returnsHttp.request('POST', `/v1/returns/${rma}/receive`, {
      body: { location: 'WH-1', lines: [{ sku: 'A', quantity: 2 }] },
    });
    expect(received.status).toBe(200);
    // Received into quality control: on hand up, but nothing more to sell.
    expect(await platform.level('A', 'WH-1')).toMatchObject({
      onHand: before.onHand + 2,
      qualityControl: before.qualityControl + 2,
    });
    expect(await available()).toBe(sellableBefore);

    const graded = await orders.returnsHttp.request('POST', `/v1/returns/${rma}/grade`, {
      body: { lines: [{ sku: 'A', resell: 1, damaged: 1, destroy: 0 }] },
    });
    expect(graded.status).toBe(200);
    expect(await platform.level('A', 'WH-1')).toMatchObject({
      onHand: before.onHand + 2,
      qualityControl: before.qualityControl,
      damaged: before.damaged + 1,
    });
    expect(await available()).toBe(sellableBefore + 1);
    // Grading again changes nothing.
    expect(
      (
        await orders.returnsHttp.request('POST', `/v1/returns/${rma}/grade`, {
          body: { lines: [{ sku: 'A', resell: 1, damaged: 1, destroy: 0 }] },
        })
      ).status,
    ).toBe(200);

    // The refund reaches the ERP through system-erp, once, with the mapped reason code.
    const refund = await eventually(
      () =>
        backends.sandboxCall<{ totalItems: number; items: { type: string; reasonCode: string | null }[] }>(
          'GET',
          `/erp/api/v2/journal-entries?postingKey=refund:${rma}`,
        ),
      (r) => r.totalItems >= 1,
      20_000,
      100,
    );
    // Nothing left to deliver: a second booking of the refund would have happened by now.
    await waitForQueuesToDrain(platform, { queues: ['erp.postings'] });
    const again = await backends.sandboxCall<{
      totalItems: number;
      items: { type: string; reasonCode: string | null }[];
    }>('GET', `/erp/api/v2/journal-entries?postingKey=refund:${rma}`);
    expect(again.totalItems).toBe(1);
    expect(refund.items[0]).toMatchObject({ type: 'REFUND', reasonCode: 'RFND' });
    const order = await orders.order(id);
    expect(order.state).toBe('returned');
    expect(order.transitions.at(-1)).toMatchObject({ to: 'returned', source: 'process-returns' });
  });

  it('gives two fulfilment orders for two lines stocked only at different locations, and does not split a line that fits one location', async () => {
    const split = await placeOrder([
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 1 },
    ]);
    const o = await inState(split, 'released');
    expect(
      o.fulfilmentOrders.map((f) => [f.location, f.lines.map((l) => `${l.sku}×${l.quantity}`)]).sort(),
    ).toEqual([
      ['WH-1', ['A×1']],
      ['WH-2', ['B×1']],
    ]);
    for (const f of o.fulfilmentOrders) expect((await outbound(f.id)).status).toBe('RELEASED');

    // C is at both locations; 4 of C with 1 of A all fit WH-1: one fulfilment order, no split.
    const whole = await placeOrder([
      { sku: 'C', quantity: 4 },
      { sku: 'A', quantity: 1 },
    ]);
    const w = await inState(whole, 'released');
    expect(w.fulfilmentOrders).toHaveLength(1);
    expect(w.fulfilmentOrders[0].location).toBe('WH-1');
    expect(w.fulfilmentOrders[0].lines.map((l) => `${l.sku}×${l.quantity}`)).toEqual(['A×1', 'C×4']);
  });

  it('re-sources a short pick at the first location to the second, which ships it', async () => {
    const id = await placeOrder([{ sku: 'D', quantity: 2 }]);
    const first = (await inState(id, 'released')).fulfilmentOrders[0];
    expect(first.location).toBe('WH-1');
    await backends.sandboxCall('POST', '/wms/api/short-picks', {
      warehouse: 'DC-WH-1',
      itemCode: 'W-D',
      qty: 2,
      uom: 'EA',
      orderRef: first.id,
    });
    const resourced = await waitFor(
      id,
      (o) =>
        o.state === 'released' &&
        o.fulfilmentOrders.some((f) => f.location === 'WH-2' && f.status === 'released'),
      'a released fulfilment order at WH-2',
    );
    const second = resourced.fulfilmentOrders.find((f) => f.location === 'WH-2')!;
    expect(second.attempt).toBe(2);
    expect(resourced.fulfilmentOrders.find((f) => f.id === first.id)).toMatchObject({
      status: 'short_closed',
      lines: [expect.objectContaining({ sku: 'D', shortPicked: 2 })],
    });
    // The 2 units that were not there are written off at WH-1; WH-2 holds 2 for the order.
    expect(await platform.level('D', 'WH-1')).toMatchObject({ onHand: 0, allocated: 0 });
    expect(await platform.level('D', 'WH-2')).toMatchObject({ onHand: 5, allocated: 2 });

    await ship('WH-2', 'D', 2, second.id);
    // The ERP may book the sales before the next look: settled follows shipped then.
    const shipped = await waitFor(id, (o) => ['shipped', 'settled'].includes(o.state), 'shipped');
    expect(shipped.lines).toEqual([
      expect.objectContaining({ sku: 'D', quantity: 2, shipped: 2, cancelled: 0 }),
    ]);
    expect(shipped.transitions.map((t) => t.to).filter((to) => to !== 'settled')).toEqual([
      'pending_validation',
      'reserved',
      'allocated',
      'released',
      'allocated',
      'released',
      'shipped',
    ]);
    expect(shipped.transitions[4].cause).toMatch(/short pick at WH-1.*re-sourced to WH-2/);
    expect(await platform.level('D', 'WH-2')).toMatchObject({ onHand: 3, allocated: 0 });
  });

  it('cancels after release through the WMS, and refuses to cancel a shipped order', async () => {
    const id = await placeOrder([{ sku: 'E', quantity: 3 }]);
    const fo = (await inState(id, 'released')).fulfilmentOrders[0];
    expect(await platform.level('E', 'WH-1')).toMatchObject({ allocated: 3 });
    const asked = await orders.http.request<OrderSnapshot>('POST', `/v1/orders/${id}/cancel`, {
      body: { by: 'web' },
    });
    expect(asked.status).toBe(200);
    const cancelled = await inState(id, 'cancelled');
    expect(cancelled.fulfilmentOrders[0]).toMatchObject({ status: 'cancelled' });
    expect((await outbound(fo.id)).status).toBe('CANCELLED');
    expect(await platform.level('E', 'WH-1')).toMatchObject({ onHand: 10, allocated: 0, reserved: 0 });
    // Idempotent.
    expect(
      (await orders.http.request('POST', `/v1/orders/${id}/cancel`, { body: { by: 'web' } })).status,
    ).toBe(200);

    const shippedId = await placeOrder([{ sku: 'E', quantity: 1 }]);
    const sfo = (await inState(shippedId, 'released')).fulfilmentOrders[0];
    await ship('WH-1', 'E', 1, sfo.id);
    await waitFor(shippedId, (o) => ['shipped', 'settled'].includes(o.state), 'shipped');
    const refused = await orders.http.request<{ type: string; detail: string }>(
      'POST',
      `/v1/orders/${shippedId}/cancel`,
      {
        body: { by: 'web' },
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.contentType).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toMatch(/shipped/);
  });

  it('cancels before release at once, and withdraws the release that was still on its way', async () => {
    await backends.sandboxCall('PUT', '/admin/faults/wms', { outage: true });
    try {
      const id = await placeOrder([{ sku: 'E', quantity: 2 }]);
      const allocated = await inState(id, 'allocated');
      const fo = allocated.fulfilmentOrders[0];
      expect(fo.status).toBe('allocated');
      const before = await platform.level('E', 'WH-1');
      const cancelled = await orders.http.request<OrderSnapshot>('POST', `/v1/orders/${id}/cancel`, {
        body: { by: 'web' },
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.state).toBe('cancelled');
      expect(await platform.level('E', 'WH-1')).toMatchObject({ allocated: before.allocated - 2 });
      await backends.sandboxCall('PUT', '/admin/faults/wms', { outage: false });
      // The release request reaches the WMS once it is back; the WMS is then told to drop it.
      await eventually(
        () => outbound(fo.id).catch(() => null),
        (o) => o?.status === 'CANCELLED',
        20_000,
        100,
      );
      expect((await orders.order(id)).state).toBe('cancelled');
    } finally {
      await backends.sandboxCall('PUT', '/admin/faults/wms', { outage: false });
    }
  });

  it('answers bad requests with problems and changes nothing', async () => {
    const unknown = await orders.http.request('GET', '/v1/orders/7d1f0c1e-2d4a-4e6b-9c8d-7a6f5e4d3c2b');
    expect(unknown.status).toBe(404);
    expect((await orders.http.request('GET', '/v1/orders/not-a-uuid')).status).toBe(400);
    const anyOrder = (await orders.http.request<{ items: OrderSnapshot[] }>('GET', '/v1/orders?limit=1')).body
      .items[0];
    const unmapped = await orders.http.request<{ detail: string }>(
      'POST',
      `/v1/orders/${anyOrder.id}/status-reports`,
      {
        body: { source: 'oms', status: 'TELEPORTED' },
      },
    );
    expect(unmapped.status).toBe(422);
    expect(unmapped.body.detail).toMatch(/TELEPORTED/);
    expect((await orders.http.request('POST', `/v1/orders/${anyOrder.id}/cancel`, { body: {} })).status).toBe(
      400,
    );
    const noToken = new HttpClient(orders.allocation.url);
    expect((await noToken.request('GET', `/v1/orders/${anyOrder.id}`)).status).toBe(401);
    await noToken.close();
    expect(await orders.order(anyOrder.id)).toEqual(anyOrder);
  });

  it('leaves the ledger sound: buckets ≥ 0 and the journal reproduces every level', async () => {
    await assertLedgerInvariants(platform);
  });
});
