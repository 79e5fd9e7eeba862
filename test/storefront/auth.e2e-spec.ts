import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { eventually, HttpClient, type HttpResult } from '../support/http';
import { type RunningApp, TestPlatform } from '../support/platform';
import { startStorefront } from '../support/storefront-replica';

/** Counts the queries a storefront sends to PostgreSQL (API keys are its only use of it). */
function countQueries(storefront: RunningApp): { count: () => number; reset: () => void } {
  const pool = storefront.app.get(Pool);
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  let n = 0;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    n++;
    return query(...args);
  };
  return {
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

function expectProblem(res: HttpResult, status: number, code: string): void {
  expect({ status: res.status, contentType: res.contentType }).toEqual({
    status,
    contentType: expect.stringContaining('application/problem+json') as string,
  });
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(new RegExp(`/${code}$`)) as string });
}

/**
 * A generous per-address limit, so that the floods below measure authentication, not the rate limit (every
 * storefront of this file counts in the same Redis buckets, as replicas do).
 */
const SETTINGS = { RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: '100000' };

describe('storefront authentication', () => {
  let platform: TestPlatform;
  let storefront: RunningApp;
  let key: string;

  beforeAll(async () => {
    platform = await TestPlatform.start('auth');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['A'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [{ sku: 'A', location: 'WH-1', onHand: 100 }],
    });
    key = await platform.apiKey('web');
    // As deployed: keys held in memory for API_KEY_CACHE_MS (10 s by default).
    storefront = await startStorefront(platform, SETTINGS);
  });

  afterAll(async () => {
    await storefront?.app.close();
    await platform?.stop();
  });

  describe('before the body is read', () => {
    const bigInvalidJson = `{"lines": [${'x'.repeat(900 * 1024)}`;

    it('answers 401 to a 900 KB body without a key or with an unknown key, quickly and without parsing it', async () => {
      const anonymous = new HttpClient(storefront.url);
      const unknown = new HttpClient(storefront.url, { authorization: `Bearer sb_web_${randomUUID()}` });
      try {
        for (const client of [anonymous, unknown]) {
          const started = Date.now();
          const res = await client.request('POST', '/v1/reservations', {
            rawBody: bigInvalidJson,
            headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          });
          // Invalid JSON that was parsed would be 400 malformed-json: the 401 shows it was never parsed.
          expectProblem(res, 401, 'unauthorized');
          expect(Date.now() - started).toBeLessThan(1000);
        }
      } finally {
        await Promise.all([anonymous.close(), unknown.close()]);
      }
    });

    it('answers 401, not 413, to a body over the size limit without a key', async () => {
      const anonymous = new HttpClient(storefront.url);
      try {
        const res = await anonymous.request('POST', '/v1/reservations', {
          rawBody: `{"pad":"${'y'.repeat(2 * 1024 * 1024)}"}`,
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        });
        expectProblem(res, 401, 'unauthorized');
      } finally {
        await anonymous.close();
      }
    });

    it('parses the same body once the key is valid (and refuses it as malformed JSON)', async () => {
      const web = new HttpClient(storefront.url, { authorization: `Bearer ${key}` });
      try {
        const res = await web.request('POST', '/v1/reservations', {
          rawBody: bigInvalidJson,
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        });
        expect(res.status).toBe(400);
        expect(res.contentType).toContain('application/problem+json');
      } finally {
        await web.close();
      }
    });
  });

  describe('API keys held in memory', () => {
    it('answers 1,000 random unknown keys without a database query each, and known keys without any', async () => {
      const web = new HttpClient(storefront.url, { authorization: `Bearer ${key}` });
      const queries = countQueries(storefront);
      try {
        expect((await web.request('GET', '/v1/availability?sku=A')).status).toBe(200);
        queries.reset();
        const started = Date.now();
        const statuses: number[] = [];
        for (let batch = 0; batch < 10; batch++) {
          const clients = Array.from(
            { length: 100 },
            () =>
              new HttpClient(
                storefront.url,
                { authorization: `Bearer sb_web_${randomBytes(32).toString('base64url')}` },
                1,
              ),
          );
          const answers = await Promise.all(clients.map((c) => c.request('GET', '/v1/availability?sku=A')));
          await Promise.all(clients.map((c) => c.close()));
          statuses.push(...answers.map((a) => a.status));
        }
        const seconds = (Date.now() - started) / 1000;
        expect(statuses.filter((s) => s === 401)).toHaveLength(1000);
        // At most one reload of the active keys per second of misses, whatever the number of unknown keys.
        expect(queries.count()).toBeLessThanOrEqual(Math.ceil(seconds) + 1);

        queries.reset();
        for (let i = 0; i < 50; i++)
          expect((await web.request('GET', '/v1/availability?sku=A')).status).toBe(200);
        expect(queries.count()).toBe(0);
      } finally {
        await web.close();
      }
    });

    it('accepts a key created while running within about a second, and stops accepting a revoked one within API_KEY_CACHE_MS', async () => {
      const fast = await startStorefront(platform, { ...SETTINGS, API_KEY_CACHE_MS: '1000' });
      try {
        const probe = new HttpClient(fast.url, { authorization: `Bearer ${key}` });
        expect((await probe.request('GET', '/v1/availability?sku=A')).status).toBe(200); // keys loaded
        await probe.close();

        const fresh = await platform.apiKey('web');
        const client = new HttpClient(fast.url, { authorization: `Bearer ${fresh}` });
        try {
          const created = Date.now();
          const accepted = await eventually(
            () => client.request('GET', '/v1/availability?sku=A'),
            (r) => r.status === 200,
            3000,
            50,
          );
          expect(accepted.status).toBe(200);
          expect(Date.now() - created).toBeLessThan(1500);

          await platform.revokeKey(fresh);
          const revoked = Date.now();
          const refused = await eventually(
            () => client.request('GET', '/v1/availability?sku=A'),
            (r) => r.status === 401,
            3000,
            50,
          );
          expectProblem(refused, 401, 'unauthorized');
          expect(Date.now() - revoked).toBeLessThan(1500);
        } finally {
          await client.close();
        }
      } finally {
        await fast.app.close();
      }
    });

    it('answers 503 problem with Retry-After, not 500, while the keys cannot be loaded at all', async () => {
      const cut = await startStorefront(platform, {
        ...SETTINGS,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/unreachable',
      });
      const client = new HttpClient(cut.url, { authorization: `Bearer ${key}` });
      try {
        const res = await client.request('GET', '/v1/availability?sku=A');
        expectProblem(res, 503, 'upstream-unavailable');
        expect(res.headers['retry-after']).toBe('1');
      } finally {
        await client.close();
        await cut.app.close();
      }
    });
  });

  describe('scopes', () => {
    it('checks the scope of the key the gate authenticated: 403 with requiredScope, 200 with the scope', async () => {
      const readOnly = new HttpClient(storefront.url, {
        authorization: `Bearer ${await platform.apiKey('web', ['availability:read'])}`,
      });
      try {
        await eventually(
          () => readOnly.request('GET', '/v1/availability?sku=A'),
          (r) => r.status === 200,
          3000,
          100,
        );
        const denied = await readOnly.reserve([{ sku: 'A', quantity: 1 }]);
        expectProblem(denied, 403, 'forbidden');
        expect(denied.body).toMatchObject({ requiredScope: 'reservations:write' });
      } finally {
        await readOnly.close();
      }
    });
  });
});
