// Storefront contract 1.2: extending an active reservation and changing its lines, through the storefront
// and the real process API, ledger, PostgreSQL and Redis.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@stockbridge/config';
import { buildStorefrontApp } from '../../apps/experience-storefront/src/app';
import { StorefrontConfig } from '../../apps/experience-storefront/src/storefront.config';
import { HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { type RunningApp, TestPlatform, urlOf } from '../support/platform';

interface Reservation {
  id: string;
  status: string;
  expiresAt: string;
  reference: string | null;
  lines: { sku: string; quantity: number; location: string }[];
  shipTo: { latitude: number; longitude: number } | null;
}

const MAX_TTL_SECONDS = 1800;

describe('storefront 1.2: extend a reservation and change its lines', () => {
  let platform: TestPlatform;
  let web: HttpClient;
  let pos: HttpClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('reservation-changes');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'STORE-1', type: 'store' }],
      skus: ['A', 'B', 'C', 'P'],
      channels: [
        { code: 'web', pool: ['WH-1'], policy: { maxTtlSeconds: MAX_TTL_SECONDS } },
        { code: 'pos', pool: ['STORE-1'] },
      ],
      stock: [
        { sku: 'A', location: 'WH-1', onHand: 100 },
        { sku: 'B', location: 'WH-1', onHand: 4 },
        { sku: 'C', location: 'WH-1', onHand: 2 },
        { sku: 'P', location: 'STORE-1', onHand: 5 },
      ],
    });
    web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
    pos = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('pos')}`,
    });
  }, 60_000);

  afterAll(async () => {
    await web?.close();
    await pos?.close();
    await platform?.stop();
  });

  afterEach(async () => {
    await assertLedgerInvariants(platform);
  });

  async function hold(
    client: HttpClient,
    lines: { sku: string; quantity: number }[],
    ttlSeconds = 300,
  ): Promise<Reservation> {
    const res = await client.reserve(lines, { ttlSeconds });
    expect(res.status).toBe(201);
    return res.body as unknown as Reservation;
  }

  const changeLines = (
    client: HttpClient,
    id: string,
    lines: { sku: string; quantity: number; location?: string }[],
    key: string | null = randomUUID(),
  ) =>
    client.request<Record<string, unknown>>('PUT', `/v1/reservations/${id}/lines`, {
      body: { lines },
      headers: key === null ? {} : { 'idempotency-key': key },
    });

  const extend = (client: HttpClient, id: string, ttlSeconds: number) =>
    client.request<Record<string, unknown>>('POST', `/v1/reservations/${id}/extend`, {
      body: { ttlSeconds },
    });

  describe('POST /v1/reservations/{id}/extend', () => {
    it('moves expiresAt to now + ttlSeconds and moves no stock', async () => {
      const r = await hold(web, [{ sku: 'A', quantity: 1 }], 60);
      const before = await platform.level('A', 'WH-1');
      const asked = Date.now();
      const res = await extend(web, r.id, 900);
      expect(res.status).toBe(200);
      const extended = res.body as unknown as Reservation;
      expect({ ...extended, expiresAt: undefined }).toEqual({ ...r, expiresAt: undefined });
      const expiresAt = Date.parse(extended.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(asked + 899_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 901_000);
      expect(await platform.level('A', 'WH-1')).toEqual(before);
      // Repeating it is harmless, and a shorter one never shortens the hold.
      const again = await extend(web, r.id, 30);
      expect(again.status).toBe(200);
      expect((again.body as unknown as Reservation).expiresAt).toBe(extended.expiresAt);
    });

    it("answers 422 ttl-exceeds-maximum past the channel's maximum, naming the limits", async () => {
      const r = await hold(web, [{ sku: 'A', quantity: 1 }], 60);
      const res = await extend(web, r.id, MAX_TTL_SECONDS + 600);
      expect(res.status).toBe(422);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        type: 'https://stockbridge.dev/problems/ttl-exceeds-maximum',
        status: 422,
        maxTtlSeconds: MAX_TTL_SECONDS,
      });
      expect(typeof res.body.latestExpiresAt).toBe('string');
      const after = await web.request<Reservation>('GET', `/v1/reservations/${r.id}`);
      expect(after.body.expiresAt).toBe(r.expiresAt);
    });

    it('answers 409 reservation-not-active for a released reservation', async () => {
      const r = await hold(web, [{ sku: 'A', quantity: 1 }]);
      expect((await web.request('POST', `/v1/reservations/${r.id}/release`)).status).toBe(200);
      const res = await extend(web, r.id, 600);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        type: 'https://stockbridge.dev/problems/reservation-not-active',
        reservationStatus: 'released',
      });
    });

    it("answers 404 for another channel's reservation, like one that does not exist", async () => {
      const theirs = await hold(pos, [{ sku: 'P', quantity: 1 }]);
      for (const id of [theirs.id, randomUUID(), 'not-a-uuid']) {
        const res = await extend(web, id, 600);
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ type: 'https://stockbridge.dev/problems/reservation-not-found' });
      }
      const still = await pos.request<Reservation>('GET', `/v1/reservations/${theirs.id}`);
      expect(still.body.expiresAt).toBe(theirs.expiresAt);
    });

    it('refuses an invalid ttlSeconds with 400 before calling the process API', async () => {
      const r = await hold(web, [{ sku: 'A', quantity: 1 }]);
      for (const ttlSeconds of [0, 1.5, 604801]) {
        const res = await extend(web, r.id, ttlSeconds);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ type: 'https://stockbridge.dev/problems/validation-failed' });
      }
    });
  });

  describe('PUT /v1/reservations/{id}/lines', () => {
    it('replaces the lines, holding and returning the difference, and keeps expiresAt', async () => {
      const r = await hold(web, [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ]);
      const a = await platform.level('A', 'WH-1');
      const b = await platform.level('B', 'WH-1');
      const res = await changeLines(web, r.id, [
        { sku: 'A', quantity: 5 },
        { sku: 'C', quantity: 1 },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: r.id,
        status: 'active',
        expiresAt: r.expiresAt,
        lines: expect.arrayContaining([
          { sku: 'A', quantity: 5, location: 'WH-1' },
          { sku: 'C', quantity: 1, location: 'WH-1' },
        ]) as unknown,
      });
      expect((res.body.lines as unknown[]).length).toBe(2);
      expect((await platform.level('A', 'WH-1')).reserved).toBe(a.reserved + 3);
      expect((await platform.level('B', 'WH-1')).reserved).toBe(b.reserved - 1);
    });

    it('leaves the lines unchanged on insufficient stock, and lists the shortage', async () => {
      const r = await hold(web, [{ sku: 'B', quantity: 1 }]);
      const b = await platform.level('B', 'WH-1');
      const c = await platform.level('C', 'WH-1');
      const res = await changeLines(web, r.id, [
        { sku: 'B', quantity: 2 },
        { sku: 'C', quantity: 50 },
      ]);
      expect(res.status).toBe(409);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        type: 'https://stockbridge.dev/problems/insufficient-stock',
        shortages: [{ sku: 'C', requested: 50 }],
      });
      expect(await platform.level('B', 'WH-1')).toEqual(b);
      expect(await platform.level('C', 'WH-1')).toEqual(c);
      const after = await web.request<Reservation>('GET', `/v1/reservations/${r.id}`);
      expect(after.body.lines).toEqual(r.lines);
    });

    it('replays the first answer for the same key and body, and refuses the key with another body', async () => {
      const r = await hold(web, [{ sku: 'A', quantity: 1 }]);
      const key = randomUUID();
      const first = await changeLines(web, r.id, [{ sku: 'A', quantity: 2 }], key);
      expect(first.status).toBe(200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const reserved = (await platform.level('A', 'WH-1')).reserved;

      const replay = await changeLines(web, r.id, [{ sku: 'A', quantity: 2 }], key);
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(first.text);
      expect((await platform.level('A', 'WH-1')).reserved).toBe(reserved);

      const reused = await changeLines(web, r.id, [{ sku: 'A', quantity: 3 }], key);
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ type: 'https://stockbridge.dev/problems/idempotency-key-reused' });
      expect((await platform.level('A', 'WH-1')).reserved).toBe(reserved);
    });

    it('replays a refusal for want of stock byte for byte', async () => {
      const r = await hold(web, [{ sku: 'A', quantity: 1 }]);
      const key = randomUUID();
      const first = await changeLines(web, r.id, [{ sku: 'C', quantity: 99 }], key);
      expect(first.status).toBe(409);
      const replay = await changeLines(web, r.id, [{ sku: 'C', quantity: 99 }], key);
      expect(replay.status).toBe(409);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(first.text);
    });

    it('answers 409 reservation-not-active for a confirmed reservation', async () => {
      const r = await hold(web, [{ sku: 'A', quantity: 1 }]);
      expect((await web.request('POST', `/v1/reservations/${r.id}/confirm`)).status).toBe(200);
      const res = await changeLines(web, r.id, [{ sku: 'A', quantity: 2 }]);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        type: 'https://stockbridge.dev/problems/reservation-not-active',
        reservationStatus: 'confirmed',
      });
    });

    it("answers 404 for another channel's reservation and changes nothing", async () => {
      const theirs = await hold(pos, [{ sku: 'P', quantity: 1 }]);
      const p = await platform.level('P', 'STORE-1');
      const res = await changeLines(web, theirs.id, [{ sku: 'A', quantity: 1 }]);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ type: 'https://stockbridge.dev/problems/reservation-not-found' });
      expect(await platform.level('P', 'STORE-1')).toEqual(p);
    });

    it('needs an Idempotency-Key and validates the lines at the edge', async () => {
      const r = await hold(web, [{ sku: 'A', quantity: 1 }]);
      const missing = await changeLines(web, r.id, [{ sku: 'A', quantity: 2 }], null);
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({
        type: 'https://stockbridge.dev/problems/idempotency-key-required',
      });
      const empty = await changeLines(web, r.id, []);
      expect(empty.status).toBe(400);
      expect(empty.body).toMatchObject({ type: 'https://stockbridge.dev/problems/validation-failed' });
      const fraction = await changeLines(web, r.id, [{ sku: 'A', quantity: 1.5 }]);
      expect(fraction.status).toBe(400);
      const after = await web.request<Reservation>('GET', `/v1/reservations/${r.id}`);
      expect(after.body.lines).toEqual(r.lines);
    });
  });

  describe('when the process API is down', () => {
    let server: Server;
    let storefront: RunningApp;
    let client: HttpClient;

    /** A process API that answers every call with its retryable 503, as during a database failover. */
    beforeAll(async () => {
      server = createServer((_req, res) => {
        res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '7' });
        res.end(
          JSON.stringify({
            type: 'https://stockbridge.dev/problems/database-unavailable',
            title: 'Service Unavailable',
            status: 503,
            detail: 'The database is unavailable; retry shortly.',
          }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const config = loadConfig(StorefrontConfig, {
        ...platform.baseEnv(),
        PROCESS_RESERVATIONS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        PROCESS_ALLOCATION_URL: 'http://127.0.0.1:1',
        API_KEY_CACHE_MS: '0',
      });
      const app = await buildStorefrontApp(config, { quiet: true });
      await app.listen({ port: 0, host: '127.0.0.1' });
      storefront = { app, url: urlOf(app) };
      client = new HttpClient(storefront.url, { authorization: `Bearer ${await platform.apiKey('web')}` });
    });

    afterAll(async () => {
      await client?.close();
      await storefront?.app.close();
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    });

    it("relays its 503 as a retryable 503 with the process API's Retry-After, not a 502", async () => {
      const id = randomUUID();
      for (const res of [
        await changeLines(client, id, [{ sku: 'A', quantity: 1 }]),
        await extend(client, id, 600),
        await client.reserve([{ sku: 'A', quantity: 1 }]),
      ]) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('7');
        expect(res.body).toMatchObject({ type: 'https://stockbridge.dev/problems/upstream-unavailable' });
      }
    });
  });
});
