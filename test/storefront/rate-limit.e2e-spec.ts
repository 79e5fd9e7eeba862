import { randomUUID } from 'node:crypto';
import { ConfigError } from '@stockbridge/config';
import { Metrics } from '@stockbridge/app-platform';
import { countBy, eventually, HttpClient, type HttpResult } from '../support/http';
import { type RunningApp, TestPlatform } from '../support/platform';
import { startStorefront } from '../support/storefront-replica';
import { TcpProxy } from '../support/tcp-proxy';

/** The settings of every replica here: small limits, so that a test reaches them with a few dozen requests. */
const LIMITS = {
  RATE_LIMIT_PER_MINUTE: '20',
  RATE_LIMITS: JSON.stringify({
    'channel:pos': 8,
    'route:POST /v1/reservations': 3,
    'channel:pos route:POST /v1/reservations': 5,
  }),
  RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: '10',
};

const header = (res: HttpResult, name: string) => res.headers[name] as string | undefined;

function expectRateLimited(res: HttpResult, limit: number): void {
  expect(res.status).toBe(429);
  expect(res.contentType).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status: 429, type: expect.stringMatching(/\/rate-limited$/) as string });
  const retryAfter = Number(header(res, 'retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(header(res, 'ratelimit-limit')).toBe(String(limit));
  expect(header(res, 'ratelimit-remaining')).toBe('0');
  expect(header(res, 'ratelimit-reset')).toBe(String(retryAfter));
  expect(header(res, 'x-correlation-id')).toBeTruthy();
}

async function metric(app: RunningApp, name: string): Promise<number> {
  const text = await app.app.get(Metrics).registry.getSingleMetricAsString(name);
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe('storefront rate limits', () => {
  let platform: TestPlatform;
  let replicaA: RunningApp;
  let replicaB: RunningApp;
  const keys: Record<string, string> = {};
  const clients: HttpClient[] = [];
  const client = (url: string, key?: string, headers: Record<string, string> = {}) => {
    const c = new HttpClient(url, { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    platform = await TestPlatform.start('ratelimit');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['A'],
      channels: [
        { code: 'web', pool: ['WH-1'] },
        { code: 'pos', pool: ['WH-1'] },
      ],
      stock: [{ sku: 'A', location: 'WH-1', onHand: 1000 }],
    });
    for (const name of [
      'spread',
      'other',
      'pos',
      'webReservations',
      'posReservations',
      'sameAddress',
      'outage',
    ])
      keys[name] = await platform.apiKey(name.startsWith('pos') ? 'pos' : 'web');
    // Two replicas sharing the platform's Redis, as two instances behind a load balancer.
    replicaA = await startStorefront(platform, LIMITS);
    replicaB = await startStorefront(platform, LIMITS);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await replicaA?.app.close();
    await replicaB?.app.close();
    await platform?.stop();
  });

  it('counts one key across both replicas: past the combined limit, 429 problem with Retry-After and RateLimit headers', async () => {
    const [a, b] = [client(replicaA.url, keys.spread), client(replicaB.url, keys.spread)];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).request('GET', '/v1/availability?sku=A')),
    );
    expect(countBy(answers, (r) => r.status)).toEqual({ 200: 20, 429: 10 });
    for (const res of answers.filter((r) => r.status === 429)) expectRateLimited(res, 20);
    const ok = answers.filter((r) => r.status === 200);
    for (const res of ok) {
      expect(header(res, 'ratelimit-limit')).toBe('20');
      expect(Number(header(res, 'ratelimit-reset'))).toBeGreaterThan(0);
    }
    // One counter in Redis: the 20 answers let through saw each remaining count once.
    expect(ok.map((r) => Number(header(r, 'ratelimit-remaining'))).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    // Either replica may have answered the 429s (whichever got the requests past the limit): count both.
    const exceeded =
      (await metric(replicaA, 'rate_limit_exceeded_total')) +
      (await metric(replicaB, 'rate_limit_exceeded_total'));
    expect(exceeded).toBe(10);
  });

  it('leaves another key of the same channel unaffected', async () => {
    const res = await client(replicaB.url, keys.other).request('GET', '/v1/availability?sku=A');
    expect(res.status).toBe(200);
    expect(header(res, 'ratelimit-limit')).toBe('20');
    expect(header(res, 'ratelimit-remaining')).toBe('19');
  });

  it("applies the channel's override", async () => {
    const pos = client(replicaA.url, keys.pos);
    const answers: HttpResult[] = [];
    for (let i = 0; i < 10; i++) answers.push(await pos.request('GET', '/v1/availability?sku=A'));
    expect(answers.map((r) => r.status)).toEqual([...Array(8).fill(200), 429, 429]);
    expectRateLimited(answers[9], 8);
  });

  it("gives a route with an override a bucket of its own, the channel's route override first", async () => {
    const web = client(replicaA.url, keys.webReservations);
    const webAnswers: HttpResult[] = [];
    for (let i = 0; i < 4; i++) webAnswers.push(await web.reserve([{ sku: 'A', quantity: 1 }]));
    expect(webAnswers.map((r) => r.status)).toEqual([201, 201, 201, 429]);
    expectRateLimited(webAnswers[3], 3);
    // The rest of the key's requests count in its own bucket, with the default limit.
    const read = await web.request('GET', '/v1/availability?sku=A');
    expect(read.status).toBe(200);
    expect([header(read, 'ratelimit-limit'), header(read, 'ratelimit-remaining')]).toEqual(['20', '19']);

    const pos = client(replicaB.url, keys.posReservations);
    const posAnswers: HttpResult[] = [];
    for (let i = 0; i < 6; i++) posAnswers.push(await pos.reserve([{ sku: 'A', quantity: 1 }]));
    expect(posAnswers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 429]);
    expectRateLimited(posAnswers[5], 5);
  });

  it('limits requests without a valid key per client address across replicas, and not valid keys from that address', async () => {
    const anonymous = client(replicaA.url);
    const unknown = client(replicaB.url, `sb_web_${randomUUID()}`);
    const answers: HttpResult[] = [];
    for (let i = 0; i < 12; i++) {
      answers.push(
        await (i % 2 === 0 ? anonymous : unknown).request('POST', '/v1/reservations', {
          body: { lines: [{ sku: 'A', quantity: 1 }] },
          headers: { 'idempotency-key': randomUUID() },
        }),
      );
    }
    expect(answers.map((r) => r.status)).toEqual([...Array(10).fill(401), 429, 429]);
    expect(header(answers[0], 'ratelimit-limit')).toBe('10');
    expect(header(answers[0], 'ratelimit-remaining')).toBe('9');
    expectRateLimited(answers[11], 10);

    expect(
      (await client(replicaA.url, keys.sameAddress).request('GET', '/v1/availability?sku=A')).status,
    ).toBe(200);
    // Operations endpoints are never limited.
    const health = await anonymous.request('GET', '/health/live');
    expect(health.status).toBe(200);
    expect(header(health, 'ratelimit-limit')).toBeUndefined();
  });

  it('reads the client address from X-Forwarded-For only when TRUST_PROXY trusts the peer', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.7' };
    // Default TRUST_PROXY=false: the header is ignored, the loopback address is still over its limit.
    expect((await client(replicaA.url, undefined, forwarded).request('GET', '/v1/availability')).status).toBe(
      429,
    );
    const behindProxy = await startStorefront(platform, { ...LIMITS, TRUST_PROXY: 'loopback' });
    try {
      const res = await client(behindProxy.url, undefined, forwarded).request('GET', '/v1/availability');
      expect(res.status).toBe(401);
      expect(header(res, 'ratelimit-remaining')).toBe('9');
    } finally {
      await behindProxy.app.close();
    }
  });

  it('lets requests through unlimited (logged and counted) while Redis is unreachable, and limits again once it is back', async () => {
    const redis = new URL(platform.env.redisUrl);
    const proxy = await new TcpProxy(redis.hostname, Number(redis.port || 6379)).start();
    const viaProxy = `redis://${redis.hostname}:${proxy.port}`;
    const replica = await startStorefront(platform, { ...LIMITS, REDIS_URL: viaProxy });
    try {
      const web = client(replica.url, keys.outage);
      const path = `/v1/reservations/${randomUUID()}`;
      for (let i = 0; i < 20; i++) expect((await web.request('GET', path)).status).toBe(404);
      expectRateLimited(await web.request('GET', path), 20);

      proxy.cut();
      const during: HttpResult[] = [];
      for (let i = 0; i < 10; i++) during.push(await web.request('GET', path));
      expect(during.map((r) => r.status)).toEqual(Array(10).fill(404));
      expect(during.every((r) => header(r, 'ratelimit-limit') === undefined)).toBe(true);
      expect(await metric(replica, 'rate_limit_store_errors_total')).toBeGreaterThanOrEqual(10);

      proxy.restore();
      const limited = await eventually(
        () => web.request('GET', path),
        (r) => r.status === 429,
        10_000,
        200,
      );
      expectRateLimited(limited, 20);
    } finally {
      await replica.app.close();
      await proxy.stop();
    }
  });

  it('refuses to start when RATE_LIMITS names a route the API does not have, listing the routes', async () => {
    const started = startStorefront(platform, {
      RATE_LIMITS: JSON.stringify({ 'route:POST /v1/reservation': 5 }),
    });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(
      /RATE_LIMITS: "route:POST \/v1\/reservation" names no route of this API; routes are written like .*"POST \/v1\/reservations"/,
    );
  });
});
