import { randomUUID } from 'node:crypto';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { countBy, eventually, HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';

interface Reservation {
  id: string;
  status: string;
  expiresAt: string;
  createdAt: string;
  lines: { sku: string; quantity: number; location: string }[];
}

type Problem = Record<string, unknown> & { type: string; status: number };

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('process API: extend, change lines, channel limits', () => {
  let platform: TestPlatform;
  let api: HttpClient;

  beforeAll(async () => {
    // A sweep this slow never runs during the tests: the read model can only be right because each change
    // publishes its SKUs at once.
    platform = await TestPlatform.start('reschanges', { processEnv: { READ_MODEL_SWEEP_MS: '600000' } });
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }, { code: 'WH-9' }],
      skus: ['X-1', 'X-2', 'X-3', 'Q-1'],
      channels: [
        { code: 'web', pool: ['WH-1', 'WH-2'], policy: { maxTtlSeconds: 1800 } },
        { code: 'capped', pool: ['WH-1'], policy: { maxTtlSeconds: 300, maxHeldUnitsPerClient: 30 } },
      ],
      stock: [
        { sku: 'X-1', location: 'WH-1', onHand: 10 },
        { sku: 'X-2', location: 'WH-1', onHand: 10 },
        { sku: 'X-3', location: 'WH-1', onHand: 3 },
        { sku: 'Q-1', location: 'WH-1', onHand: 1000 },
      ],
    });
    api = new HttpClient(platform.processUrl, { authorization: `Bearer ${platform.serviceToken}` });
  });

  afterAll(async () => {
    await api?.close();
    await platform?.stop();
  });

  afterEach(() => assertLedgerInvariants(platform));

  const path = (channel: string, rest = '') => `/v1/channels/${channel}/reservations${rest}`;

  async function create(
    channel: string,
    lines: { sku: string; quantity: number; location?: string }[],
    extra: { ttlSeconds?: number; principal?: string } = {},
  ) {
    return api.request<Reservation & Problem>('POST', path(channel), {
      body: { lines, ...(extra.ttlSeconds !== undefined ? { ttlSeconds: extra.ttlSeconds } : {}) },
      headers: {
        'idempotency-key': randomUUID(),
        ...(extra.principal ? { 'x-idempotency-principal': extra.principal } : {}),
      },
    });
  }

  function changeLines(
    channel: string,
    id: string,
    lines: { sku: string; quantity: number; location?: string }[],
    key: string | null = randomUUID(),
    principal = 'client:web-1',
  ) {
    return api.request<Reservation & Problem>('PUT', path(channel, `/${id}/lines`), {
      body: { lines },
      headers: { ...(key !== null ? { 'idempotency-key': key } : {}), 'x-idempotency-principal': principal },
    });
  }

  function expectProblem(
    res: { status: number; contentType: string; body: unknown },
    status: number,
    code: string,
  ) {
    expect({ status: res.status, contentType: res.contentType }).toEqual({
      status,
      contentType: expect.stringContaining('application/problem+json') as string,
    });
    expect(res.body).toMatchObject({ type: `https://stockbridge.dev/problems/${code}`, status });
  }

  async function published(channel: string, sku: string): Promise<number> {
    const [figure] = await platform.processApps[0].app.get(AvailabilityReadModel).read(channel, [sku]);
    return figure.available;
  }

  describe('maximum TTL on creation', () => {
    it('refuses ttlSeconds beyond the channel maximum with 422 ttl-exceeds-maximum and holds nothing', async () => {
      const res = await create('capped', [{ sku: 'Q-1', quantity: 1 }], { ttlSeconds: 301 });
      expectProblem(res, 422, 'ttl-exceeds-maximum');
      expect(res.body.maxTtlSeconds).toBe(300);
      expect((await platform.level('Q-1', 'WH-1')).reserved).toBe(0);
    });

    it('bounds the default TTL by the channel maximum', async () => {
      const capped = await create('capped', [{ sku: 'Q-1', quantity: 1 }]);
      expect(capped.status).toBe(201);
      expect(Date.parse(capped.body.expiresAt) - Date.parse(capped.body.createdAt)).toBe(300_000);
      const web = await create('web', [{ sku: 'X-1', quantity: 1 }]);
      expect(Date.parse(web.body.expiresAt) - Date.parse(web.body.createdAt)).toBe(900_000);
      for (const [channel, r] of [
        ['capped', capped],
        ['web', web],
      ] as const)
        expect((await api.request('POST', path(channel, `/${r.body.id}/release`))).status).toBe(200);
    });
  });

  describe('POST …/reservations/{id}/extend', () => {
    it('extends to now + ttlSeconds, keeps a later expiry, and answers the reservation as GET does', async () => {
      const r = await create('web', [{ sku: 'X-1', quantity: 1 }], { ttlSeconds: 60 });
      const before = Date.now();
      const res = await api.request<Reservation>('POST', path('web', `/${r.body.id}/extend`), {
        body: { ttlSeconds: 1200 },
      });
      expect(res.status).toBe(200);
      expect(Date.parse(res.body.expiresAt)).toBeGreaterThanOrEqual(before + 1_200_000 - 1000);
      expect((await api.request('GET', path('web', `/${r.body.id}`))).body).toEqual(res.body);
      const again = await api.request<Reservation>('POST', path('web', `/${r.body.id}/extend`), {
        body: { ttlSeconds: 10 },
      });
      expect(again).toMatchObject({ status: 200, body: { expiresAt: res.body.expiresAt } });
    });

    it('refuses to pass createdAt + maxTtlSeconds with 422 and the latest possible expiry', async () => {
      const r = await create('web', [{ sku: 'X-1', quantity: 1 }], { ttlSeconds: 60 });
      const res = await api.request<Problem>('POST', path('web', `/${r.body.id}/extend`), {
        body: { ttlSeconds: 1801 },
      });
      expectProblem(res, 422, 'ttl-exceeds-maximum');
      expect(res.body).toMatchObject({
        maxTtlSeconds: 1800,
        latestExpiresAt: new Date(Date.parse(r.body.createdAt) + 1_800_000).toISOString(),
      });
      expect((await api.request<Reservation>('GET', path('web', `/${r.body.id}`))).body.expiresAt).toBe(
        r.body.expiresAt,
      );
    });

    it('answers 409 for a reservation that is not active, 404 for an unknown one, 400 for a bad body', async () => {
      const r = await create('web', [{ sku: 'X-1', quantity: 1 }]);
      await api.request('POST', path('web', `/${r.body.id}/release`));
      const released = await api.request<Problem>('POST', path('web', `/${r.body.id}/extend`), {
        body: { ttlSeconds: 60 },
      });
      expectProblem(released, 409, 'reservation-not-active');
      expect(released.body.reservationStatus).toBe('released');
      expectProblem(
        await api.request('POST', path('web', `/${MISSING}/extend`), { body: { ttlSeconds: 60 } }),
        404,
        'reservation-not-found',
      );
      for (const body of [{}, { ttlSeconds: 0 }, { ttlSeconds: 604_801 }, { ttlSeconds: 1.5 }])
        expectProblem(
          await api.request('POST', path('web', `/${r.body.id}/extend`), { body }),
          400,
          'validation-failed',
        );
    });
  });

  describe('PUT …/reservations/{id}/lines', () => {
    it('replaces the lines, keeps the expiry, publishes the changed SKUs, and replays a repeated key', async () => {
      const r = await create('web', [
        { sku: 'X-1', quantity: 2 },
        { sku: 'X-2', quantity: 2 },
      ]);
      await eventually(
        () => published('web', 'X-2'),
        (v) => v === 8,
      );
      const key = randomUUID();
      const lines = [
        { sku: 'X-1', quantity: 2 },
        { sku: 'X-2', quantity: 5 },
      ];
      const res = await changeLines('web', r.body.id, lines, key);
      expect(res.status).toBe(200);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(res.body).toEqual({
        ...r.body,
        lines: [
          { sku: 'X-1', quantity: 2, location: 'WH-1' },
          { sku: 'X-2', quantity: 5, location: 'WH-1' },
        ],
      });
      expect((await platform.level('X-2', 'WH-1')).reserved).toBe(5);
      expect(
        await eventually(
          () => published('web', 'X-2'),
          (v) => v === 5,
          3000,
        ),
      ).toBe(5);

      const replay = await changeLines('web', r.body.id, lines, key);
      expect({
        status: replay.status,
        body: replay.body,
        replayed: replay.headers['idempotent-replayed'],
      }).toEqual({ status: 200, body: res.body, replayed: 'true' });
      expectProblem(
        await changeLines('web', r.body.id, [{ sku: 'X-2', quantity: 1 }], key),
        422,
        'idempotency-key-reused',
      );
      expect((await platform.level('X-2', 'WH-1')).reserved).toBe(5);
      await api.request('POST', path('web', `/${r.body.id}/release`));
    });

    it('changes nothing when short and answers 409 insufficient-stock with the shortages, replayed as such', async () => {
      const r = await create('web', [{ sku: 'X-3', quantity: 1 }]);
      const key = randomUUID();
      const res = await changeLines(
        'web',
        r.body.id,
        [
          { sku: 'X-3', quantity: 4 },
          { sku: 'X-1', quantity: 1 },
        ],
        key,
      );
      expectProblem(res, 409, 'insufficient-stock');
      expect(res.body.shortages).toEqual([{ sku: 'X-3', requested: 4, available: 3 }]);
      expect((await api.request('GET', path('web', `/${r.body.id}`))).body).toEqual(r.body);
      expect((await platform.level('X-3', 'WH-1')).reserved).toBe(1);
      const replay = await changeLines(
        'web',
        r.body.id,
        [
          { sku: 'X-3', quantity: 4 },
          { sku: 'X-1', quantity: 1 },
        ],
        key,
      );
      expect({
        status: replay.status,
        text: replay.text,
        replayed: replay.headers['idempotent-replayed'],
      }).toEqual({ status: 409, text: res.text, replayed: 'true' });
      await api.request('POST', path('web', `/${r.body.id}/release`));
    });

    it('refuses a missing key, bad lines, unknown SKUs, foreign locations and inactive reservations', async () => {
      const r = await create('web', [{ sku: 'X-1', quantity: 1 }]);
      const id = r.body.id;
      const reserved = (await platform.level('X-1', 'WH-1')).reserved;
      expectProblem(
        await changeLines('web', id, [{ sku: 'X-1', quantity: 2 }], null),
        400,
        'idempotency-key-required',
      );
      expectProblem(
        await changeLines('web', id, [{ sku: 'X-1', quantity: 2 }], 'a b'),
        400,
        'invalid-idempotency-key',
      );
      expectProblem(await changeLines('web', id, []), 400, 'validation-failed');
      expectProblem(await changeLines('web', id, [{ sku: 'X-1', quantity: 0 }]), 400, 'validation-failed');
      const unknown = await changeLines('web', id, [{ sku: 'NOPE', quantity: 1 }]);
      expectProblem(unknown, 422, 'unknown-sku');
      expect(unknown.body.skus).toEqual(['NOPE']);
      expectProblem(
        await changeLines('web', id, [{ sku: 'X-1', quantity: 1, location: 'WH-9' }]),
        422,
        'location-not-in-channel',
      );
      expectProblem(
        await changeLines('web', MISSING, [{ sku: 'X-1', quantity: 1 }]),
        404,
        'reservation-not-found',
      );
      expect((await api.request('POST', path('web', `/${id}/confirm`))).status).toBe(200);
      const confirmed = await changeLines('web', id, [{ sku: 'X-1', quantity: 2 }]);
      expectProblem(confirmed, 409, 'reservation-not-active');
      expect(confirmed.body.reservationStatus).toBe('confirmed');
      expect((await platform.level('X-1', 'WH-1')).reserved).toBe(reserved);
    });
  });

  describe('units held per client', () => {
    it('lets a burst of 200 parallel holds of one client hold exactly its limit; another client still holds', async () => {
      const before = (await platform.level('Q-1', 'WH-1')).reserved;
      const burst = await Promise.all(
        Array.from({ length: 200 }, () =>
          create('capped', [{ sku: 'Q-1', quantity: 1 }], { principal: 'client:burst' }),
        ),
      );
      expect(countBy(burst, (r) => r.status)).toEqual({ 201: 30, 409: 170 });
      for (const refused of burst.filter((r) => r.status === 409)) {
        expectProblem(refused, 409, 'hold-limit-exceeded');
        expect(refused.body).toMatchObject({ maxHeldUnits: 30, heldUnits: 30, requestedUnits: 1 });
      }
      expect((await platform.level('Q-1', 'WH-1')).reserved).toBe(before + 30);

      const other = await create('capped', [{ sku: 'Q-1', quantity: 30 }], { principal: 'client:other' });
      expect(other.status).toBe(201);
      // Growing a held reservation counts too; giving units back makes room.
      const held = burst.find((r) => r.status === 201)!.body;
      const grow = await changeLines('capped', held.id, [{ sku: 'Q-1', quantity: 2 }]);
      expectProblem(grow, 409, 'hold-limit-exceeded');
      expect(grow.body).toMatchObject({ maxHeldUnits: 30, heldUnits: 30, requestedUnits: 1 });
      await api.request('POST', path('capped', `/${held.id}/release`));
      expect(
        (await create('capped', [{ sku: 'Q-1', quantity: 1 }], { principal: 'client:burst' })).status,
      ).toBe(201);
    });
  });
});
