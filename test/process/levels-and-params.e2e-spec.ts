import { HttpClient } from '../support/http';
import { TestPlatform } from '../support/platform';

interface Level {
  sku: string;
  location: string;
  onHand: number;
}
interface LevelPage {
  items: Level[];
  nextCursor: string | null;
}
interface Problem {
  type: string;
  detail: string;
}

const SKUS = ['L-1', 'L-2', 'L-3', 'L-4', 'L-5', 'L-6', 'L-7'];

/** process-reservations: the paged stock levels, and the request rules checked once, where requests arrive. */
describe('process-reservations levels and request parameters', () => {
  let platform: TestPlatform;
  let api: HttpClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('levels');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }],
      skus: SKUS,
      channels: [{ code: 'web', pool: ['WH-1', 'WH-2'] }],
      stock: SKUS.flatMap((sku, i) => [
        { sku, location: 'WH-1', onHand: 10 + i },
        { sku, location: 'WH-2', onHand: 20 + i },
      ]),
    });
    api = new HttpClient(platform.processUrl, { authorization: `Bearer ${platform.serviceToken}` });
  });

  afterAll(async () => {
    await api?.close();
    await platform?.stop();
  });

  /** Follows nextCursor from the first page to the last; every page must have at most `limit` items. */
  async function pageThrough(query: string, limit: number): Promise<{ items: Level[]; pages: number }> {
    const items: Level[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/levels?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await api.request<LevelPage>('GET', url);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
      expect(pages).toBeLessThan(20);
    } while (cursor !== null);
    return { items, pages };
  }

  it("pages through one location's levels: each once, by SKU, the last page without a cursor", async () => {
    const { items, pages } = await pageThrough('location=WH-1', 3);
    expect(pages).toBe(3);
    expect(items.map((l) => l.sku)).toEqual(SKUS);
    expect(items.map((l) => l.onHand)).toEqual(SKUS.map((_, i) => 10 + i));
    expect(new Set(items.map((l) => l.location))).toEqual(new Set(['WH-1']));
  });

  it("pages through one SKU's levels by location, and answers a page that fits without a cursor", async () => {
    const paged = await pageThrough('sku=L-3', 1);
    expect(paged.items.map((l) => `${l.sku}@${l.location}`)).toEqual(['L-3@WH-1', 'L-3@WH-2']);
    const whole = await api.request<LevelPage>('GET', '/v1/levels?sku=L-3');
    expect(whole.body.items).toHaveLength(2);
    expect(whole.body.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give out, a missing filter and bad bounds with 400 problems', async () => {
    const first = await api.request<LevelPage>('GET', '/v1/levels?location=WH-1&limit=2');
    const altered = `${first.body.nextCursor!.slice(0, -4)}AAAA`;
    const cases: Array<[string, string]> = [
      [`/v1/levels?location=WH-1&cursor=${altered}`, 'invalid-cursor'],
      [`/v1/levels?location=WH-1&cursor=${'x'.repeat(20)}`, 'invalid-cursor'],
      ['/v1/levels?location=WH-1&cursor=not%20base64', 'validation-failed'],
      ['/v1/levels', 'validation-failed'],
      ['/v1/levels?location=WH-1&limit=0', 'validation-failed'],
      ['/v1/levels?location=WH-1&limit=1001', 'validation-failed'],
      ['/v1/levels?sku=a%20b', 'validation-failed'],
    ];
    for (const [url, code] of cases) {
      const res = await api.request<Problem>('GET', url);
      expect({ url, status: res.status, type: res.body.type }).toEqual({
        url,
        status: 400,
        type: `https://stockbridge.dev/problems/${code}`,
      });
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.detail.length).toBeGreaterThan(10);
    }
  });

  it('checks the SKU list of channel availability in one place, naming what is wrong', async () => {
    const none = await api.request<Problem>('GET', '/v1/channels/web/availability');
    expect(none.status).toBe(400);
    expect(none.body.detail).toContain('at least one sku');
    const many = Array.from({ length: 101 }, (_, i) => `sku=S${i}`).join('&');
    const tooMany = await api.request<Problem>('GET', `/v1/channels/web/availability?${many}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toContain('at most 100');
    const bad = await api.request<Problem>('GET', '/v1/channels/web/availability?sku=L-1&sku=a%27b');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain(`"a'b"`);
    const ok = await api.request<{ items: Array<{ sku: string }> }>(
      'GET',
      '/v1/channels/web/availability?sku=L-2&sku=L-1&sku=L-2',
    );
    expect(ok.status).toBe(200);
    expect(ok.body.items.map((i) => i.sku)).toEqual(['L-2', 'L-1']);
  });

  it('answers a channel or reservation id that cannot exist as not found, and a bad key as 400', async () => {
    const badChannel = await api.request<Problem>(
      'GET',
      '/v1/channels/NOT_A_CHANNEL/reservations/0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11',
    );
    expect(badChannel.status).toBe(404);
    expect(badChannel.body.type).toMatch(/unknown-channel$/);
    const badId = await api.request<Problem>('GET', '/v1/channels/web/reservations/not-a-uuid');
    expect(badId.status).toBe(404);
    expect(badId.body.type).toMatch(/reservation-not-found$/);
    expect(badId.body.detail).toContain('not-a-uuid');
    const lines = { lines: [{ sku: 'L-1', quantity: 1 }] };
    const badKey = await api.request<Problem>('POST', '/v1/channels/web/reservations', {
      body: lines,
      headers: { 'idempotency-key': 'has space' },
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.type).toMatch(/invalid-idempotency-key$/);
    const noKey = await api.request<Problem>(
      'PUT',
      '/v1/channels/web/reservations/0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11/lines',
      { body: lines },
    );
    expect(noKey.status).toBe(400);
    expect(noKey.body.type).toMatch(/idempotency-key-required$/);
    const levels = await api.request<LevelPage>('GET', '/v1/levels?sku=L-1');
    expect(levels.body.items.map((l) => l.onHand)).toEqual([10, 20]);
  });
});
