// One file past 400 lines on purpose: the published reservation contract's cases run on one started platform;
// split, each file would start the storefront, the process API and the read model again.
import { randomUUID } from 'node:crypto';
import { HttpClient, countBy, eventually } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';

interface Reservation {
  id: string;
  status: string;
  expiresAt: string;
  reference: string | null;
  lines: { sku: string; quantity: number; location: string }[];
  shipTo: { latitude: number; longitude: number } | null;
}

describe('storefront reservations (contract v1)', () => {
  let platform: TestPlatform;
  let web: HttpClient;
  let pos: HttpClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('reservations', { processReplicas: 2 });
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }, { code: 'STORE-1', type: 'store' }],
      skus: ['A', 'B', 'C', 'D', 'E', 'TTL-1', 'IDEM-1', 'LIFE-1', 'SPLIT-1', 'SHIP-1'],
      channels: [
        { code: 'web', pool: ['WH-1', 'WH-2'] },
        { code: 'pos', pool: ['STORE-1'] },
      ],
      stock: [
        { sku: 'A', location: 'WH-1', onHand: 10 },
        { sku: 'B', location: 'WH-1', onHand: 1 },
        { sku: 'C', location: 'WH-1', onHand: 5 },
        { sku: 'C', location: 'WH-2', onHand: 5 },
        { sku: 'D', location: 'WH-2', onHand: 5 },
        { sku: 'E', location: 'STORE-1', onHand: 5 },
        { sku: 'TTL-1', location: 'WH-1', onHand: 10 },
        { sku: 'IDEM-1', location: 'WH-1', onHand: 50 },
        { sku: 'LIFE-1', location: 'WH-1', onHand: 10 },
        { sku: 'SPLIT-1', location: 'WH-1', onHand: 3 },
        { sku: 'SPLIT-1', location: 'WH-2', onHand: 3 },
        { sku: 'SHIP-1', location: 'WH-1', onHand: 20 },
      ],
    });
    web = new HttpClient(
      platform.storefront.url,
      { authorization: `Bearer ${await platform.apiKey('web')}` },
      50,
    );
    pos = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('pos')}`,
    });
  });

  afterAll(async () => {
    await web?.close();
    await pos?.close();
    await platform?.stop();
  });

  afterEach(async () => {
    await assertLedgerInvariants(platform);
  });

  describe('all or nothing', () => {
    it('holds nothing when the second of two lines is short, and lists the shortage', async () => {
      const before = await platform.level('A', 'WH-1');
      const res = await web.reserve([
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 3 },
      ]);
      expect(res.status).toBe(409);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        status: 409,
        title: 'Conflict',
        shortages: [{ sku: 'B', requested: 3, available: 1 }],
      });
      expect(res.body).toHaveProperty('detail');
      expect(await platform.level('A', 'WH-1')).toMatchObject({ reserved: before.reserved });
      expect(await platform.level('B', 'WH-1')).toMatchObject({ reserved: 0 });
    });

    it('serves an order from one location that has every line rather than splitting it', async () => {
      const res = await web.reserve([
        { sku: 'C', quantity: 2 },
        { sku: 'D', quantity: 1 },
      ]);
      expect(res.status).toBe(201);
      expect((res.body as unknown as Reservation).lines).toEqual([
        { sku: 'C', quantity: 2, location: 'WH-2' },
        { sku: 'D', quantity: 1, location: 'WH-2' },
      ]);
    });

    it('splits a line across locations only when no single location can serve it', async () => {
      const res = await web.reserve([{ sku: 'SPLIT-1', quantity: 5 }]);
      expect(res.status).toBe(201);
      expect((res.body as unknown as Reservation).lines).toEqual([
        { sku: 'SPLIT-1', quantity: 3, location: 'WH-1' },
        { sku: 'SPLIT-1', quantity: 2, location: 'WH-2' },
      ]);
    });

    it('holds at the requested location when the line names one', async () => {
      const res = await web.reserve([{ sku: 'C', quantity: 1, location: 'WH-1' }]);
      expect(res.status).toBe(201);
      expect((res.body as unknown as Reservation).lines).toEqual([
        { sku: 'C', quantity: 1, location: 'WH-1' },
      ]);
    });
  });

  describe('idempotency', () => {
    it('makes one reservation from 20 parallel requests with one key, each answer carrying its id or 409 in flight', async () => {
      const key = randomUUID();
      const before = await platform.level('IDEM-1', 'WH-1');
      const results = await Promise.all(
        Array.from({ length: 20 }, () => web.reserve([{ sku: 'IDEM-1', quantity: 2 }], { key })),
      );
      const statuses = countBy(results, (r) => r.status);
      expect(Object.keys(statuses).sort()).toEqual(expect.arrayContaining(['201']));
      expect(Object.keys(statuses).every((s) => s === '201' || s === '409')).toBe(true);
      const ids = new Set(
        results.filter((r) => r.status === 201).map((r) => (r.body as unknown as Reservation).id),
      );
      expect(ids.size).toBe(1);
      for (const r of results.filter((x) => x.status === 409))
        expect(r.body).toMatchObject({ type: expect.stringContaining('idempotency-key-in-flight') });
      expect((await platform.level('IDEM-1', 'WH-1')).reserved).toBe(before.reserved + 2);
      const count = await platform.db.query(
        `SELECT count(*)::int AS n FROM stock_movements WHERE sku = 'IDEM-1' AND movement_type = 'reserve'`,
      );
      expect(count.rows[0].n).toBe(1);

      const replay = await web.reserve([{ sku: 'IDEM-1', quantity: 2 }], { key });
      const first = results.find((r) => r.status === 201)!;
      expect(replay.status).toBe(201);
      expect(replay.text).toBe(first.text);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });

    it('answers 422 when a key is reused with a different body, and changes nothing', async () => {
      const key = randomUUID();
      expect((await web.reserve([{ sku: 'IDEM-1', quantity: 1 }], { key })).status).toBe(201);
      const before = await platform.level('IDEM-1', 'WH-1');
      const res = await web.reserve([{ sku: 'IDEM-1', quantity: 2 }], { key });
      expect(res.status).toBe(422);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body).toMatchObject({ type: expect.stringContaining('idempotency-key-reused') });
      expect(await platform.level('IDEM-1', 'WH-1')).toEqual(before);
    });

    it('replays a refusal byte for byte', async () => {
      const key = randomUUID();
      const first = await web.reserve([{ sku: 'B', quantity: 9 }], { key });
      const second = await web.reserve([{ sku: 'B', quantity: 9 }], { key });
      expect(first.status).toBe(409);
      expect(second.status).toBe(409);
      expect(second.text).toBe(first.text);
    });

    it('keeps the key spaces of two API clients apart', async () => {
      const key = randomUUID();
      const other = new HttpClient(platform.storefront.url, {
        authorization: `Bearer ${await platform.apiKey('web')}`,
      });
      try {
        const a = await web.reserve([{ sku: 'IDEM-1', quantity: 1 }], { key });
        const b = await other.reserve([{ sku: 'IDEM-1', quantity: 1 }], { key });
        expect(a.status).toBe(201);
        expect(b.status).toBe(201);
        expect((b.body as unknown as Reservation).id).not.toBe((a.body as unknown as Reservation).id);
      } finally {
        await other.close();
      }
    });

    it('does not store a request refused by validation, so the corrected request may reuse its key', async () => {
      const key = randomUUID();
      const bad = await web.reserve([{ sku: 'IDEM-1', quantity: 0 }], { key });
      expect(bad.status).toBe(400);
      const good = await web.reserve([{ sku: 'IDEM-1', quantity: 1 }], { key });
      expect(good.status).toBe(201);
    });
  });

  describe('shipTo (optional, additive in 1.1)', () => {
    const reserveShipping = (body: Record<string, unknown>, key = randomUUID()) =>
      web.request<Reservation & Record<string, unknown>>('POST', '/v1/reservations', {
        body: { lines: [{ sku: 'SHIP-1', quantity: 1 }], ...body },
        headers: { 'idempotency-key': key },
      });

    async function row(id: string) {
      const res = await platform.db.query<{
        ship_to_latitude: number | null;
        ship_to_longitude: number | null;
      }>('SELECT ship_to_latitude, ship_to_longitude FROM reservations WHERE id = $1', [id]);
      return res.rows[0];
    }

    async function confirmedPayload(id: string) {
      const res = await platform.db.query<{ payload: Record<string, unknown> }>(
        `SELECT envelope->'payload' AS payload FROM outbox_events
         WHERE event_type = 'reservation.confirmed' AND envelope->'payload'->>'reservationId' = $1`,
        [id],
      );
      return res.rows.map((r) => r.payload);
    }

    it('stores where the order ships to, shows it, and carries it in the reservation.confirmed event', async () => {
      const shipTo = { latitude: 40.7128, longitude: -74.006 };
      const created = await reserveShipping({ shipTo });
      expect(created.status).toBe(201);
      expect(created.body.shipTo).toEqual(shipTo);
      const id = created.body.id;
      expect(await row(id)).toEqual({ ship_to_latitude: 40.7128, ship_to_longitude: -74.006 });

      const fetched = await web.request<Reservation>('GET', `/v1/reservations/${id}`);
      expect(fetched.body.shipTo).toEqual(shipTo);
      const confirmed = await web.request<Reservation>('POST', `/v1/reservations/${id}/confirm`);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.shipTo).toEqual(shipTo);
      const payloads = await confirmedPayload(id);
      expect(payloads).toHaveLength(1);
      expect(payloads[0]).toMatchObject({ reservationId: id, shipTo });
    });

    it('answers shipTo: null and stores nothing when the checkout does not say', async () => {
      const created = await reserveShipping({});
      expect(created.status).toBe(201);
      expect(created.body.shipTo).toBeNull();
      expect(await row(created.body.id)).toEqual({ ship_to_latitude: null, ship_to_longitude: null });
      expect((await web.request('POST', `/v1/reservations/${created.body.id}/confirm`)).status).toBe(200);
      expect((await confirmedPayload(created.body.id))[0]).toMatchObject({ shipTo: null });
    });

    it('accepts the edges of the range', async () => {
      const created = await reserveShipping({ shipTo: { latitude: -90, longitude: 180 } });
      expect(created.status).toBe(201);
      expect(await row(created.body.id)).toEqual({ ship_to_latitude: -90, ship_to_longitude: 180 });
    });

    it('refuses an out-of-range shipTo with a 400 naming the field, and holds nothing', async () => {
      const before = await platform.level('SHIP-1', 'WH-1');
      const count = await platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reservations');
      const res = await reserveShipping({ shipTo: { latitude: 91, longitude: 0 } });
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 400, type: expect.stringMatching(/\/validation-failed$/) });
      expect(res.body.detail).toContain('shipTo.latitude must be between -90 and 90');
      expect(await platform.level('SHIP-1', 'WH-1')).toEqual(before);
      expect(
        (await platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reservations')).rows,
      ).toEqual(count.rows);
    });

    it('counts shipTo as part of the request under an Idempotency-Key', async () => {
      const key = randomUUID();
      const shipTo = { latitude: 51.5, longitude: -0.12 };
      const first = await reserveShipping({ shipTo }, key);
      expect(first.status).toBe(201);
      const replay = await reserveShipping({ shipTo: { longitude: -0.12, latitude: 51.5 } }, key);
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(first.text);
      const moved = await reserveShipping({ shipTo: { latitude: 48.85, longitude: 2.35 } }, key);
      expect(moved.status).toBe(422);
      expect(moved.body).toMatchObject({ type: expect.stringContaining('idempotency-key-reused') });
      const without = await reserveShipping({}, key);
      expect(without.status).toBe(422);
    });
  });

  describe('lifecycle', () => {
    it('returns stock at once on release, and release and confirm are idempotent', async () => {
      const created = await web.reserve([{ sku: 'LIFE-1', quantity: 4 }]);
      expect(created.status).toBe(201);
      const id = (created.body as unknown as Reservation).id;
      expect((await platform.level('LIFE-1', 'WH-1')).reserved).toBe(4);

      const released = await web.request<Reservation>('POST', `/v1/reservations/${id}/release`);
      expect(released.status).toBe(200);
      expect(released.body.status).toBe('released');
      expect((await platform.level('LIFE-1', 'WH-1')).reserved).toBe(0);
      const again = await web.request<Reservation>('POST', `/v1/reservations/${id}/release`);
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('released');
      expect((await platform.level('LIFE-1', 'WH-1')).reserved).toBe(0);

      const confirmReleased = await web.request('POST', `/v1/reservations/${id}/confirm`);
      expect(confirmReleased.status).toBe(409);
      expect(confirmReleased.contentType).toContain('application/problem+json');

      const other = await web.reserve([{ sku: 'LIFE-1', quantity: 1 }]);
      const otherId = (other.body as unknown as Reservation).id;
      for (let i = 0; i < 2; i++) {
        const confirmed = await web.request<Reservation>('POST', `/v1/reservations/${otherId}/confirm`);
        expect(confirmed.status).toBe(200);
        expect(confirmed.body.status).toBe('confirmed');
      }
      expect((await platform.level('LIFE-1', 'WH-1')).reserved).toBe(1);
      expect((await web.request('POST', `/v1/reservations/${otherId}/release`)).status).toBe(409);
      const fetched = await web.request<Reservation>('GET', `/v1/reservations/${otherId}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({
        id: otherId,
        status: 'confirmed',
        lines: [{ sku: 'LIFE-1', quantity: 1, location: 'WH-1' }],
      });
    });

    it('lets exactly one of a concurrent confirm and release win', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push(((await web.reserve([{ sku: 'LIFE-1', quantity: 1 }])).body as unknown as Reservation).id);
      const outcomes = await Promise.all(
        ids.map(async (id) => {
          const [c, r] = await Promise.all([
            web.request('POST', `/v1/reservations/${id}/confirm`),
            web.request('POST', `/v1/reservations/${id}/release`),
          ]);
          return [c.status, r.status].sort().join(',');
        }),
      );
      expect(outcomes).toEqual(Array(5).fill('200,409'));
    });

    it('expires a 1-second reservation and returns its stock within 5 s with two replicas sweeping', async () => {
      const created = await web.reserve([{ sku: 'TTL-1', quantity: 3 }], { ttlSeconds: 1 });
      expect(created.status).toBe(201);
      const id = (created.body as unknown as Reservation).id;
      expect((await platform.level('TTL-1', 'WH-1')).reserved).toBe(3);
      const started = Date.now();
      const res = await eventually(
        () => web.request<Reservation>('GET', `/v1/reservations/${id}`),
        (r) => r.body.status === 'expired',
        5000,
      );
      expect(res.body.status).toBe('expired');
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await platform.level('TTL-1', 'WH-1')).reserved).toBe(0);
      const expiries = await platform.db.query(
        `SELECT count(*)::int AS n FROM stock_movements WHERE reservation_id = $1 AND movement_type = 'expire'`,
        [id],
      );
      expect(expiries.rows[0].n).toBe(1);
      expect((await web.request('POST', `/v1/reservations/${id}/confirm`)).status).toBe(409);
      const available = await eventually(
        () => web.request<{ items: { available: number }[] }>('GET', '/v1/availability?sku=TTL-1'),
        (r) => r.body.items[0].available === 10,
      );
      expect(available.body.items[0].available).toBe(10);
    });
  });

  describe('access', () => {
    it('answers 401 without a key and with an unknown or revoked key', async () => {
      const anonymous = new HttpClient(platform.storefront.url);
      const unknown = new HttpClient(platform.storefront.url, {
        authorization: 'Bearer sb_web_not-a-real-key',
      });
      const revokedKey = await platform.apiKey('web');
      await platform.revokeKey(revokedKey);
      const revoked = new HttpClient(platform.storefront.url, { authorization: `Bearer ${revokedKey}` });
      try {
        for (const client of [anonymous, unknown, revoked]) {
          for (const res of [
            await client.request('GET', '/v1/availability?sku=A'),
            await client.reserve([{ sku: 'A', quantity: 1 }]),
          ]) {
            expect(res.status).toBe(401);
            expect(res.contentType).toContain('application/problem+json');
          }
        }
      } finally {
        await Promise.all([anonymous.close(), unknown.close(), revoked.close()]);
      }
    });

    it('answers 403 when the key lacks the scope', async () => {
      const readOnly = new HttpClient(platform.storefront.url, {
        authorization: `Bearer ${await platform.apiKey('web', ['availability:read'])}`,
      });
      const writeOnly = new HttpClient(platform.storefront.url, {
        authorization: `Bearer ${await platform.apiKey('web', ['reservations:write'])}`,
      });
      try {
        expect((await readOnly.request('GET', '/v1/availability?sku=A')).status).toBe(200);
        const denied = await readOnly.reserve([{ sku: 'A', quantity: 1 }]);
        expect(denied.status).toBe(403);
        expect(denied.body).toMatchObject({
          type: expect.stringContaining('forbidden'),
          requiredScope: 'reservations:write',
        });
        expect((await writeOnly.request('GET', '/v1/availability?sku=A')).status).toBe(403);
      } finally {
        await Promise.all([readOnly.close(), writeOnly.close()]);
      }
    });

    it("answers 404 for another channel's reservation on get, confirm and release, and leaves it alone", async () => {
      const mine = await web.reserve([{ sku: 'A', quantity: 1 }]);
      const id = (mine.body as unknown as Reservation).id;
      for (const [method, path] of [
        ['GET', `/v1/reservations/${id}`],
        ['POST', `/v1/reservations/${id}/confirm`],
        ['POST', `/v1/reservations/${id}/release`],
      ] as const) {
        const res = await pos.request(method, path);
        expect(res.status).toBe(404);
        expect(res.contentType).toContain('application/problem+json');
      }
      expect((await web.request<Reservation>('GET', `/v1/reservations/${id}`)).body.status).toBe('active');
    });

    it('answers 404 for an id that is not a reservation id', async () => {
      expect((await web.request('GET', '/v1/reservations/not-a-uuid')).status).toBe(404);
      expect((await web.request('GET', `/v1/reservations/${randomUUID()}`)).status).toBe(404);
    });

    it('refuses a location outside the channel pool with 422', async () => {
      const res = await web.reserve([{ sku: 'E', quantity: 1, location: 'STORE-1' }]);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ type: expect.stringContaining('location-not-in-channel') });
    });
  });

  describe('availability', () => {
    it('answers per SKU with per-location figures, and known: false for an unknown SKU', async () => {
      await platform.syncReadModel();
      const res = await web.request<{ channel: string; asOf: string; items: unknown[] }>(
        'GET',
        '/v1/availability?sku=C&sku=NOPE',
      );
      expect(res.status).toBe(200);
      expect(res.body.channel).toBe('web');
      expect(Date.parse(res.body.asOf)).not.toBeNaN();
      const c1 = await platform.level('C', 'WH-1');
      const c2 = await platform.level('C', 'WH-2');
      const at1 = c1.onHand - c1.reserved;
      const at2 = c2.onHand - c2.reserved;
      expect(res.body.items).toEqual([
        {
          sku: 'C',
          known: true,
          available: at1 + at2,
          locations: [
            { location: 'WH-1', available: at1 },
            { location: 'WH-2', available: at2 },
          ],
        },
        { sku: 'NOPE', known: false, available: 0, locations: [] },
      ]);
      const pickup = await web.request<{ items: { locations: unknown[] }[] }>(
        'GET',
        '/v1/availability?sku=C&location=WH-2',
      );
      expect(pickup.body.items[0].locations).toEqual([{ location: 'WH-2', available: at2 }]);
    });

    it('shows a reservation in availability right after it is made', async () => {
      const before = await web.request<{ items: { available: number }[] }>('GET', '/v1/availability?sku=A');
      expect((await web.reserve([{ sku: 'A', quantity: 1 }])).status).toBe(201);
      const after = await eventually(
        () => web.request<{ items: { available: number }[] }>('GET', '/v1/availability?sku=A'),
        (r) => r.body.items[0].available === before.body.items[0].available - 1,
        2000,
        20,
      );
      expect(after.body.items[0].available).toBe(before.body.items[0].available - 1);
    });
  });
});
