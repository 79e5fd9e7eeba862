import { randomUUID } from 'node:crypto';
import { Backends } from '../support/backends';
import { eventually, HttpClient } from '../support/http';
import { TestPlatform } from '../support/platform';

interface OmsOrder {
  orderRef: string;
  shipTo: Record<string, unknown> | null;
}

/** A confirmed reservation's ship-to travels with reservation.confirmed into the order system-oms creates. */
describe('the OMS order carries the ship-to of the reservation', () => {
  let platform: TestPlatform;
  let backends: Backends;
  let web: HttpClient;

  const confirm = async (shipTo?: { latitude: number; longitude: number }): Promise<string> => {
    const r = await web.request<{ id: string }>('POST', '/v1/reservations', {
      body: { lines: [{ sku: 'SHIP-1', quantity: 1 }], ...(shipTo ? { shipTo } : {}) },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(r.status).toBe(201);
    expect((await web.request('POST', `/v1/reservations/${r.body.id}/confirm`)).status).toBe(200);
    return r.body.id;
  };
  const omsOrder = (ref: string) =>
    eventually(
      () => backends.sandboxCall<{ items: OmsOrder[] }>('GET', `/oms/api/orders?orderRef=${ref}`),
      (page) => page.items.length === 1,
      15_000,
      50,
    ).then((page) => page.items[0]);

  beforeAll(async () => {
    platform = await TestPlatform.start('omsshipto');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['SHIP-1'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [{ sku: 'SHIP-1', location: 'WH-1', onHand: 10 }],
    });
    backends = await Backends.start(platform);
    await backends.catalog({ skus: ['SHIP-1'], locations: ['WH-1'] });
    web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
  });

  afterAll(async () => {
    await web?.close();
    await backends?.stop();
    await platform?.stop();
  });

  it('gives the OMS the point the checkout shipped to, in its own lat/lng', async () => {
    const id = await confirm({ latitude: 40.7128, longitude: -74.006 });
    expect(await omsOrder(id)).toMatchObject({ orderRef: id, shipTo: { lat: 40.7128, lng: -74.006 } });
  });

  it('creates the order without a ship-to when the reservation had none', async () => {
    const id = await confirm();
    expect(await omsOrder(id)).toMatchObject({ orderRef: id, shipTo: null });
  });
});
