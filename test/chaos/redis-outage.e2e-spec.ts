import { HttpClient, eventually } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL } from '../support/environment';

describe('Redis outage on the request path', () => {
  let proxy: TcpProxy;
  let platform: TestPlatform;
  let web: HttpClient;

  beforeAll(async () => {
    const redis = new URL(TEST_REDIS_URL);
    proxy = await new TcpProxy(redis.hostname, Number(redis.port || 6379)).start();
    platform = await TestPlatform.start('redisoutage', { appRedisUrl: `redis://127.0.0.1:${proxy.port}` });
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['R-1'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [{ sku: 'R-1', location: 'WH-1', onHand: 50 }],
    });
    web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
  });

  afterAll(async () => {
    await web?.close();
    await platform?.stop();
    await proxy?.stop();
  });

  it('keeps taking reservations (PostgreSQL only), answers availability with 503, and catches up once Redis is back', async () => {
    proxy.cut();
    const reservations = await Promise.all(
      Array.from({ length: 20 }, () => web.reserve([{ sku: 'R-1', quantity: 1 }])),
    );
    expect(reservations.map((r) => r.status)).toEqual(Array(20).fill(201));

    const started = Date.now();
    const availability = await web.request('GET', '/v1/availability?sku=R-1');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(availability.status).toBe(503);
    expect(availability.contentType).toContain('application/problem+json');
    expect((await new HttpClient(platform.processUrl).request('GET', '/health/ready')).status).toBe(503);

    // A confirmation commits without Redis; its event waits in the outbox, the failed publish recorded.
    const confirmedId = (reservations[0].body as { id: string }).id;
    expect((await web.request('POST', `/v1/reservations/${confirmedId}/confirm`)).status).toBe(200);
    const outboxRow = () =>
      platform.db.query<{ publish_attempts: number; last_error: string | null; published_at: Date | null }>(
        `SELECT publish_attempts, last_error, published_at FROM outbox_events WHERE envelope->'payload'->>'reservationId' = $1`,
        [confirmedId],
      );
    const pending = await eventually(outboxRow, (r) => r.rows[0]?.publish_attempts > 0, 15_000, 200);
    expect(pending.rows[0].published_at).toBeNull();
    expect(pending.rows[0].last_error).toMatch(/\S/);

    proxy.restore();
    const healed = await eventually(
      () => web.request<{ items: { available: number }[] }>('GET', '/v1/availability?sku=R-1'),
      (r) => r.status === 200 && r.body.items[0].available === 30,
      15_000,
      200,
    );
    expect(healed.status).toBe(200);
    expect(healed.body.items[0].available).toBe(30);
    const published = await eventually(outboxRow, (r) => r.rows[0].published_at !== null, 15_000, 200);
    expect(published.rows[0].last_error).toBeNull();
    await assertLedgerInvariants(platform);
  });
});
