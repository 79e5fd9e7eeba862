import { randomUUID } from 'node:crypto';
import { eventually, HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';
import { createPickup, expectProblem, type Pickup, STORES } from './pos-fixture';

interface StoreStock {
  store: string;
  asOf: string;
  items: {
    sku: string;
    available: number;
    nearby: { location: string; name: string; distanceKm: number | null; available: number }[];
  }[];
}

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Click-and-collect and store stock through experience-pos. */
describe('POS API: pickups and store stock', () => {
  let platform: TestPlatform;
  let nyc: HttpClient;

  const level = (sku: string, store = 'S-NYC') => platform.level(sku, store);
  const available = async (sku: string) =>
    (await nyc.request<StoreStock>('GET', `/v1/stores/S-NYC/stock?sku=${sku}`)).body.items[0].available;

  beforeAll(async () => {
    platform = await TestPlatform.start('pos_pickups', { pos: true });
    await platform.seed({
      locations: [...STORES, { code: 'S-FAR', type: 'store' }],
      skus: ['A', 'B', 'C', 'D'],
      channels: [
        {
          code: 'pos',
          pool: [...STORES.map((s) => s.code), 'S-FAR'],
          policy: { maxTtlSeconds: 3 * 24 * 3600 },
        },
      ],
      stock: [
        ...['A', 'B', 'C', 'D'].map((sku) => ({ sku, location: 'S-NYC', onHand: 10 })),
        { sku: 'A', location: 'S-BOS', onHand: 4 },
        { sku: 'A', location: 'S-SF', onHand: 7 },
        { sku: 'A', location: 'S-FAR', onHand: 1 },
      ],
    });
    nyc = new HttpClient(
      platform.pos!.url,
      { authorization: `Bearer ${await platform.storeKey('pos', 'S-NYC')}` },
      8,
    );
  });

  afterAll(async () => {
    await nyc?.close();
    await platform?.stop();
  });

  it("shows the store's figure and the other stores nearest first, those without coordinates last", async () => {
    const res = await nyc.request<StoreStock>('GET', '/v1/stores/S-NYC/stock?sku=A&sku=NOPE');
    expect(res.status).toBe(200);
    expect(res.body.store).toBe('S-NYC');
    const [a, nope] = res.body.items;
    expect(a.available).toBe(10);
    expect(a.nearby.map((n) => [n.location, n.available])).toEqual([
      ['S-BOS', 4],
      ['S-CHI', 0],
      ['S-SF', 7],
      ['S-FAR', 1],
    ]);
    expect(a.nearby[0]).toMatchObject({ name: 'Back Bay, Boston' });
    expect(a.nearby[0].distanceKm).toBeGreaterThan(290);
    expect(a.nearby[0].distanceKm).toBeLessThan(320);
    expect(a.nearby[3].distanceKm).toBeNull();
    expect(nope).toMatchObject({ sku: 'NOPE', available: 0 });
  });

  it('reserve → collect: the units leave the store once, however often collect is repeated', async () => {
    const created = await createPickup(nyc, 'S-NYC', {
      lines: [{ sku: 'B', quantity: 3 }],
      pickupBy: inHours(48),
      reference: 'order-77',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ store: 'S-NYC', status: 'reserved', reference: 'order-77' });
    expect(created.body.lines).toEqual([{ sku: 'B', quantity: 3 }]);
    expect(Math.abs(Date.parse(created.body.pickupBy) - Date.parse(inHours(48)))).toBeLessThan(5_000);
    expect(await level('B')).toMatchObject({ onHand: 10, reserved: 3 });
    expect(await available('B')).toBe(7);

    const collects = await Promise.all(
      [1, 2, 3].map(() => nyc.request<Pickup>('POST', `/v1/stores/S-NYC/pickups/${created.body.id}/collect`)),
    );
    expect(collects.map((c) => [c.status, c.body.status])).toEqual([
      [200, 'collected'],
      [200, 'collected'],
      [200, 'collected'],
    ]);
    expect(await level('B')).toMatchObject({ onHand: 7, reserved: 0 });
    const journal = await platform.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM stock_movements WHERE sku = 'B' AND movement_type = 'collect'`,
    );
    expect(Number(journal.rows[0].n)).toBe(1);
    expect(await available('B')).toBe(7);
    const cancel = await nyc.request('POST', `/v1/stores/S-NYC/pickups/${created.body.id}/cancel`);
    expectProblem(cancel, 409, 'reservation-not-active');
    expect(cancel.body).toMatchObject({ pickupStatus: 'collected' });
  });

  it('cancel gives the units back at once; a cancelled pickup cannot be collected', async () => {
    const { body } = await createPickup(nyc, 'S-NYC', {
      lines: [{ sku: 'C', quantity: 2 }],
      pickupBy: inHours(2),
    });
    expect(await available('C')).toBe(8);
    const cancelled = await nyc.request<Pickup>('POST', `/v1/stores/S-NYC/pickups/${body.id}/cancel`);
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    expect((await nyc.request<Pickup>('POST', `/v1/stores/S-NYC/pickups/${body.id}/cancel`)).status).toBe(
      200,
    );
    expect(await level('C')).toMatchObject({ onHand: 10, reserved: 0 });
    const collect = await nyc.request('POST', `/v1/stores/S-NYC/pickups/${body.id}/collect`);
    expectProblem(collect, 409, 'reservation-not-active');
    expect(collect.body).toMatchObject({ pickupStatus: 'cancelled' });
  });

  it('an uncollected pickup lapses at its deadline and its units return; it can no longer be collected', async () => {
    const { body } = await createPickup(nyc, 'S-NYC', {
      lines: [{ sku: 'D', quantity: 4 }],
      pickupBy: new Date(Date.now() + 2_000).toISOString(),
    });
    expect(body.status).toBe('reserved');
    expect(await level('D')).toMatchObject({ reserved: 4 });
    const lapsed = await eventually(
      () => nyc.request<Pickup>('GET', `/v1/stores/S-NYC/pickups/${body.id}`),
      (r) => r.body.status === 'lapsed',
      10_000,
      200,
    );
    expect(lapsed.body.status).toBe('lapsed');
    expect(await level('D')).toMatchObject({ onHand: 10, reserved: 0 });
    expect(await available('D')).toBe(10);
    const collect = await nyc.request('POST', `/v1/stores/S-NYC/pickups/${body.id}/collect`);
    expectProblem(collect, 409, 'reservation-not-active');
    expect(collect.body).toMatchObject({ pickupStatus: 'lapsed' });
  });

  it('a retry with the same Idempotency-Key seconds later replays the first pickup and holds nothing more', async () => {
    const key = randomUUID();
    const body = { lines: [{ sku: 'A', quantity: 1 }], pickupBy: inHours(30) };
    const first = await createPickup(nyc, 'S-NYC', body, key);
    expect(first.status).toBe(201);
    await sleep(1_100);
    const retry = await createPickup(nyc, 'S-NYC', body, key);
    expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(retry.body).toEqual(first.body);
    expect((await level('A')).reserved).toBe(1);
    const other = await createPickup(nyc, 'S-NYC', { ...body, lines: [{ sku: 'A', quantity: 2 }] }, key);
    expectProblem(other, 422, 'idempotency-key-reused');
  });

  it('holds every line or none: a short line is 409 with the shortages and nothing is held', async () => {
    const before = await level('A');
    const res = await createPickup(nyc, 'S-NYC', {
      lines: [
        { sku: 'C', quantity: 1 },
        { sku: 'A', quantity: 50 },
      ],
      pickupBy: inHours(1),
    });
    expectProblem(res, 409, 'insufficient-stock');
    expect(res.body).toMatchObject({ shortages: [{ sku: 'A', requested: 50 }] });
    expect((await level('A')).reserved).toBe(before.reserved);
    expect((await level('C')).reserved).toBe(0);
  });

  it("leaves the ledger's invariants intact: the journal reproduces every level", async () => {
    await assertLedgerInvariants(platform);
  });
});
