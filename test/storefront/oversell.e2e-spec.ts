import { HttpClient, countBy } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';

describe('never oversell: concurrent reservations through the storefront over HTTP', () => {
  let platform: TestPlatform;
  let http: HttpClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('oversell', { processEnv: { DB_POOL_SIZE: '20' } });
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['HOT-1', 'HOT-2'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [
        { sku: 'HOT-1', location: 'WH-1', onHand: 100 },
        { sku: 'HOT-2', location: 'WH-1', onHand: 100 },
      ],
    });
    http = new HttpClient(
      platform.storefront.url,
      { authorization: `Bearer ${await platform.apiKey('web')}` },
      200,
    );
  });

  afterAll(async () => {
    await http?.close();
    await platform?.stop();
  });

  it('grants exactly 100 of 1,000 parallel one-unit reservations for 100 units and refuses 900 with 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => http.reserve([{ sku: 'HOT-1', quantity: 1 }])),
    );
    const statuses = countBy(results, (r) => r.status);
    expect(statuses).toEqual({ 201: 100, 409: 900 });
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.contentType).toContain('application/problem+json');
      expect(r.body).toMatchObject({
        type: expect.stringContaining('insufficient-stock'),
        shortages: [{ sku: 'HOT-1', requested: 1 }],
      });
    }
    const level = await platform.level('HOT-1', 'WH-1');
    expect(level.reserved).toBe(100);
    expect(level.onHand).toBe(100);
    await assertLedgerInvariants(platform);
  });

  it('never grants more than 100 units to 1,000 parallel reservations of 1–5 units, and leaves fewer than 5 unreserved', async () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const quantities = Array.from({ length: 1000 }, () => 1 + Math.floor(rand() * 5));
    const results = await Promise.all(quantities.map((q) => http.reserve([{ sku: 'HOT-2', quantity: q }])));
    expect(results.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    const granted = results.reduce((sum, r, i) => sum + (r.status === 201 ? quantities[i] : 0), 0);
    expect(granted).toBeLessThanOrEqual(100);
    expect(100 - granted).toBeLessThan(5);
    const level = await platform.level('HOT-2', 'WH-1');
    expect(level.reserved).toBe(granted);
    await assertLedgerInvariants(platform);
  });
});
