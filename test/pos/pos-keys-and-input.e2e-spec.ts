import { randomUUID } from 'node:crypto';
import { HttpClient } from '../support/http';
import { TestPlatform } from '../support/platform';
import { createPickup, expectProblem, postBatch, sale, STORES, WAREHOUSE } from './pos-fixture';

/** experience-pos: a key acts for its own store only, and bad input is a 4xx problem, never a 500. */
describe('POS API: store keys and bad input', () => {
  let platform: TestPlatform;
  let nyc: HttpClient;
  let bos: HttpClient;
  const clients: HttpClient[] = [];
  const client = (key: string | undefined, base = platform.pos!.url) => {
    const c = new HttpClient(base, key ? { authorization: `Bearer ${key}` } : {}, 8);
    clients.push(c);
    return c;
  };
  const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();

  beforeAll(async () => {
    platform = await TestPlatform.start('pos_keys', { pos: true });
    await platform.seed({
      locations: [WAREHOUSE, ...STORES],
      skus: ['A', 'B'],
      channels: [
        // Pickups held up to three days.
        { code: 'pos', pool: STORES.map((s) => s.code), policy: { maxTtlSeconds: 3 * 24 * 3600 } },
        { code: 'web', pool: [WAREHOUSE.code, 'S-NYC'] },
      ],
      stock: STORES.flatMap((s) => [
        { sku: 'A', location: s.code, onHand: 20 },
        { sku: 'B', location: s.code, onHand: 20 },
      ]),
    });
    nyc = client(await platform.storeKey('pos', 'S-NYC'));
    bos = client(await platform.storeKey('pos', 'S-BOS'));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await platform?.stop();
  });

  it('is ready when its database, Redis and process-reservations answer, without a key', async () => {
    const res = await client(undefined).request<{
      status: string;
      checks: Array<{ name: string; ok: boolean }>;
    }>('GET', '/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks.map((c) => [c.name, c.ok])).toEqual([
      ['postgres', true],
      ['redis', true],
      ['process-reservations', true],
    ]);
  });

  describe('keys bound to a store', () => {
    it('refuses a key of another store on every route with 403, and nothing changes', async () => {
      const before = await platform.level('A', 'S-NYC');
      const pickup = await createPickup(nyc, 'S-NYC', {
        lines: [{ sku: 'A', quantity: 1 }],
        pickupBy: tomorrow(),
      });
      expect(pickup.body).toMatchObject({ status: 'reserved' });
      const created = pickup.body;
      const attempts = [
        postBatch(bos, 'S-NYC', [sale(`x-${randomUUID()}`, [['A', 1]])]),
        bos.request('GET', '/v1/stores/S-NYC/stock?sku=A'),
        createPickup(bos, 'S-NYC', { lines: [{ sku: 'A', quantity: 1 }], pickupBy: tomorrow() }),
        bos.request('GET', `/v1/stores/S-NYC/pickups/${created.id}`),
        bos.request('POST', `/v1/stores/S-NYC/pickups/${created.id}/collect`),
        bos.request('POST', `/v1/stores/S-NYC/pickups/${created.id}/cancel`),
      ];
      for (const res of await Promise.all(attempts)) {
        expectProblem(res, 403, 'forbidden');
        expect(res.body).toMatchObject({
          store: 'S-BOS',
          detail: expect.stringContaining('bound to store "S-BOS"'),
        });
      }
      const after = await platform.level('A', 'S-NYC');
      expect({ onHand: after.onHand, reserved: after.reserved }).toEqual({
        onHand: before.onHand,
        reserved: before.reserved + 1,
      });
    });

    it("answers another store's pickup as unknown, even on that store's own path", async () => {
      const { body: created } = await createPickup(nyc, 'S-NYC', {
        lines: [{ sku: 'B', quantity: 1 }],
        pickupBy: tomorrow(),
      });
      expectProblem(
        await bos.request('GET', `/v1/stores/S-BOS/pickups/${created.id}`),
        404,
        'reservation-not-found',
      );
      expectProblem(
        await bos.request('POST', `/v1/stores/S-BOS/pickups/${created.id}/collect`),
        404,
        'reservation-not-found',
      );
      expect(
        (await nyc.request<{ status: string }>('GET', `/v1/stores/S-NYC/pickups/${created.id}`)).body.status,
      ).toBe('reserved');
    });

    it('refuses a key bound to no store, and a key without the scope, with 403', async () => {
      const storefrontKey = client(await platform.apiKey('pos'));
      const unbound = await storefrontKey.request('GET', '/v1/stores/S-NYC/stock?sku=A');
      expectProblem(unbound, 403, 'forbidden');
      expect(unbound.body).toMatchObject({ detail: expect.stringContaining('not bound to a store') });

      const readOnly = client(await platform.storeKey('pos', 'S-NYC', ['pos:stock:read']));
      expect((await readOnly.request('GET', '/v1/stores/S-NYC/stock?sku=A')).status).toBe(200);
      const refused = await postBatch(readOnly, 'S-NYC', [sale(`x-${randomUUID()}`, [['A', 1]])]);
      expectProblem(refused, 403, 'forbidden');
      expect(refused.body).toMatchObject({ requiredScope: 'pos:transactions' });
    });

    it('answers 401 without a key or with an unknown one, and a store key gets nothing from the storefront', async () => {
      expectProblem(
        await client(undefined).request('GET', '/v1/stores/S-NYC/stock?sku=A'),
        401,
        'unauthorized',
      );
      expectProblem(
        await client(`sb_pos_${randomUUID()}`).request('GET', '/v1/stores/S-NYC/stock?sku=A'),
        401,
        'unauthorized',
      );
      const atStorefront = client(await platform.storeKey('pos', 'S-NYC'), platform.storefront.url);
      expectProblem(await atStorefront.request('GET', '/v1/availability?sku=A'), 403, 'forbidden');
    });

    it("limits each store key's requests on its own: 429 with Retry-After past the limit, another store unaffected", async () => {
      const limited = await platform.startPos({ RATE_LIMIT_PER_MINUTE: '3' });
      try {
        const [nycKey, bosKey] = [
          await platform.storeKey('pos', 'S-NYC'),
          await platform.storeKey('pos', 'S-BOS'),
        ];
        const nycTill = client(nycKey, limited.url);
        const answers = [];
        for (let i = 0; i < 4; i++)
          answers.push(await nycTill.request('GET', '/v1/stores/S-NYC/stock?sku=A'));
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
        expectProblem(answers[3], 429, 'rate-limited');
        expect(Number(answers[3].headers['retry-after'])).toBeGreaterThan(0);
        expect(answers[0].headers['ratelimit-limit']).toBe('3');
        expect(
          (await client(bosKey, limited.url).request('GET', '/v1/stores/S-BOS/stock?sku=A')).status,
        ).toBe(200);
      } finally {
        await limited.app.close();
      }
    });

    it('refuses a store key for a warehouse or a store outside its channel when it is issued', async () => {
      await expect(platform.storeKey('pos', WAREHOUSE.code)).rejects.toThrow('is a warehouse, not a store');
      await expect(platform.storeKey('web', 'S-BOS')).rejects.toThrow('is not one of channel "web"');
    });
  });

  describe('bad input: a 4xx problem, never a 500, never a partial write', () => {
    it('refuses a body that is not a batch of 1–500 as a whole, and applies nothing', async () => {
      const before = await platform.level('A', 'S-NYC');
      const raw = (rawBody: string) =>
        nyc.request('POST', '/v1/stores/S-NYC/transactions', {
          rawBody,
          headers: { 'content-type': 'application/json' },
        });
      expectProblem(await raw('{"transactions": ['), 400, 'malformed-json');
      expectProblem(await raw('{"transactions": {}}'), 400, 'validation-failed');
      expectProblem(await raw('{"transactions": []}'), 400, 'validation-failed');
      expectProblem(await raw('[]'), 400);
      expectProblem(
        await raw(JSON.stringify({ transactions: [sale('t-1', [['A', 1]])], extra: 1 })),
        400,
        'validation-failed',
      );
      const tooMany = Array.from({ length: 501 }, (_, i) => sale(`many-${i}`, [['A', 1]]));
      const big = await postBatch(nyc, 'S-NYC', tooMany);
      expectProblem(big, 400, 'validation-failed');
      expect(big.body).toMatchObject({ detail: 'transactions must contain no more than 500 elements' });
      expectProblem(
        await nyc.request('POST', '/v1/stores/S-NYC/transactions', {
          rawBody: 'transactions=1',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'unsupported-media-type',
      );
      expect((await platform.level('A', 'S-NYC')).onHand).toBe(before.onHand);
    });

    it('refuses bad store stock queries with 400 naming the problem', async () => {
      expectProblem(await nyc.request('GET', '/v1/stores/S-NYC/stock'), 400, 'validation-failed');
      expectProblem(await nyc.request('GET', '/v1/stores/S-NYC/stock?sku=a%20b'), 400, 'validation-failed');
      const many = Array.from({ length: 51 }, (_, i) => `sku=S${i}`).join('&');
      const res = await nyc.request('GET', `/v1/stores/S-NYC/stock?${many}`);
      expectProblem(res, 400, 'validation-failed');
      expect(res.body).toMatchObject({ detail: 'Give at most 50 sku parameters per call (got 51).' });
    });

    it('refuses a pickup without an Idempotency-Key, with a deadline past or too far, or with bad lines', async () => {
      const before = await platform.level('B', 'S-NYC');
      const body = { lines: [{ sku: 'B', quantity: 1 }], pickupBy: tomorrow() };
      expectProblem(
        await nyc.request('POST', '/v1/stores/S-NYC/pickups', { body }),
        400,
        'idempotency-key-required',
      );
      const refused = async (over: Record<string, unknown>, detail: string) => {
        const res = await createPickup(nyc, 'S-NYC', { ...body, ...over });
        expectProblem(res, 400, 'validation-failed');
        expect(res.body).toMatchObject({ detail });
      };
      await refused(
        { pickupBy: new Date(Date.now() - 1000).toISOString() },
        'pickupBy must be in the future.',
      );
      await refused(
        { pickupBy: new Date(Date.now() + 8 * 24 * 3600_000).toISOString() },
        'pickupBy must be at most 7 days away.',
      );
      const tooLong = await createPickup(nyc, 'S-NYC', {
        ...body,
        pickupBy: new Date(Date.now() + 4 * 24 * 3600_000).toISOString(),
      });
      expectProblem(tooLong, 422, 'ttl-exceeds-maximum');
      expect(tooLong.body).toMatchObject({
        maxTtlSeconds: 259200,
        detail: 'pickupBy is too far away: your channel holds a pickup for at most 259200 seconds.',
      });
      await refused({ pickupBy: 'tomorrow' }, 'pickupBy must be an ISO 8601 date-time with a zone');
      await refused({ lines: [] }, 'lines must contain at least 1 elements');
      await refused({ lines: [{ sku: 'B', quantity: 0 }] }, 'lines.0.quantity must not be less than 1');
      const level = await platform.level('B', 'S-NYC');
      expect(level.reserved).toBe(before.reserved);
    });

    it('answers an unknown pickup, or an id that is not one, with 404', async () => {
      expectProblem(
        await nyc.request('GET', `/v1/stores/S-NYC/pickups/${randomUUID()}`),
        404,
        'reservation-not-found',
      );
      expectProblem(await nyc.request('GET', '/v1/stores/S-NYC/pickups/nope'), 404, 'reservation-not-found');
      expectProblem(
        await nyc.request('POST', '/v1/stores/S-NYC/pickups/nope/collect'),
        404,
        'reservation-not-found',
      );
    });

    it('serves its OpenAPI document with the store operations, and no storefront ones', async () => {
      const doc = await client(undefined).request<{
        paths: Record<string, unknown>;
        info: { version: string };
      }>('GET', '/docs/openapi.json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths).sort()).toEqual([
        '/v1/stores/{store}/pickups',
        '/v1/stores/{store}/pickups/{id}',
        '/v1/stores/{store}/pickups/{id}/cancel',
        '/v1/stores/{store}/pickups/{id}/collect',
        '/v1/stores/{store}/stock',
        '/v1/stores/{store}/transactions',
      ]);
    });
  });
});
