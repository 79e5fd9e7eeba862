import { Reservations } from '@stockbridge/ledger';
import { HttpClient, eventually } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';

interface MovementResult {
  movementId: string;
  duplicate: boolean;
  level: Record<string, number | string>;
}

describe('process-reservations internal API', () => {
  let platform: TestPlatform;
  let api: HttpClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('processapi');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }, { code: 'STORE-1', type: 'store' }],
      skus: ['M-1', 'M-2', 'P-1'],
      channels: [
        { code: 'web', pool: ['WH-1', 'WH-2'] },
        {
          code: 'market',
          pool: ['WH-1', 'WH-2'],
          policy: { bufferPercent: 20, holdback: 2, maxExposed: 50 },
        },
      ],
      stock: [
        { sku: 'P-1', location: 'WH-1', onHand: 40 },
        { sku: 'P-1', location: 'WH-2', onHand: 30, safetyStock: 5 },
      ],
    });
    api = new HttpClient(platform.processUrl, { authorization: `Bearer ${platform.serviceToken}` });
  });

  afterAll(async () => {
    await api?.close();
    await platform?.stop();
  });

  afterEach(() => assertLedgerInvariants(platform));

  it('requires the service token on internal endpoints', async () => {
    const anonymous = new HttpClient(platform.processUrl);
    const wrong = new HttpClient(platform.processUrl, { authorization: `Bearer ${'x'.repeat(32)}` });
    try {
      for (const client of [anonymous, wrong]) {
        const res = await client.request('POST', '/v1/movements', {
          body: {
            kind: 'receive',
            sku: 'M-1',
            location: 'WH-1',
            quantity: 1,
            sourceSystem: 'wms',
            sourceEventId: 'e0',
          },
        });
        expect(res.status).toBe(401);
        expect(res.contentType).toContain('application/problem+json');
        expect((await client.request('GET', '/v1/levels?sku=M-1')).status).toBe(401);
      }
      expect((await platform.movements.levels({ sku: 'M-1' })).length).toBe(0);
    } finally {
      await Promise.all([anonymous.close(), wrong.close()]);
    }
  });

  it('applies a movement once per source event id, also when the twin arrives in parallel', async () => {
    const body = {
      kind: 'receive',
      sku: 'M-1',
      location: 'WH-1',
      quantity: 24,
      sourceSystem: 'wms',
      sourceEventId: 'rcpt-1',
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.request<MovementResult>('POST', '/v1/movements', { body })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200 && r.body.duplicate)).toHaveLength(9);
    expect(new Set(results.map((r) => r.body.movementId)).size).toBe(1);
    expect((await platform.level('M-1', 'WH-1')).onHand).toBe(24);
  });

  it('answers 409 when another movement reuses a source event id', async () => {
    const res = await api.request('POST', '/v1/movements', {
      body: {
        kind: 'adjust',
        sku: 'M-1',
        location: 'WH-1',
        quantity: -1,
        sourceSystem: 'wms',
        sourceEventId: 'rcpt-1',
      },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: expect.stringContaining('duplicate-event-conflict') });
  });

  it('sets on hand absolutely with a count and journals the difference', async () => {
    const res = await api.request<MovementResult>('POST', '/v1/movements', {
      body: {
        kind: 'count',
        sku: 'M-1',
        location: 'WH-1',
        quantity: 20,
        sourceSystem: 'wms',
        sourceEventId: 'count-1',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.level).toMatchObject({ onHand: 20, availableToSell: 20 });
    const journal = await platform.db.query(
      `SELECT d_on_hand FROM stock_movements WHERE source_event_id = 'count-1'`,
    );
    expect(Number(journal.rows[0].d_on_hand)).toBe(-4);
  });

  it('refuses a movement that would leave on hand below what is held, and changes nothing', async () => {
    const before = await platform.level('M-1', 'WH-1');
    const res = await api.request('POST', '/v1/movements', {
      body: {
        kind: 'adjust',
        sku: 'M-1',
        location: 'WH-1',
        quantity: -21,
        sourceSystem: 'wms',
        sourceEventId: 'adj-neg',
      },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: expect.stringContaining('invariant-violation') });
    expect(await platform.level('M-1', 'WH-1')).toEqual(before);
  });

  it('moves stock into damaged and quarantine and out again', async () => {
    const steps: [string, number, Record<string, number>][] = [
      ['damage', 2, { damaged: 2, availableToSell: 18 }],
      ['quarantine', 3, { qualityControl: 3, availableToSell: 15 }],
      ['release-quarantine', 3, { qualityControl: 0, availableToSell: 18 }],
      ['dispose-damaged', 2, { damaged: 0, onHand: 18, availableToSell: 18 }],
      ['set-safety-stock', 4, { safetyStock: 4, availableToSell: 14 }],
      ['expect-incoming', 12, { incoming: 12 }],
    ];
    for (const [kind, quantity, expected] of steps) {
      const res = await api.request<MovementResult>('POST', '/v1/movements', {
        body: {
          kind,
          sku: 'M-1',
          location: 'WH-1',
          quantity,
          sourceSystem: 'erp',
          sourceEventId: `step-${kind}`,
        },
      });
      expect({ kind, status: res.status }).toEqual({ kind, status: 201 });
      expect(res.body.level).toMatchObject(expected);
    }
  });

  it('refuses unknown SKUs, unknown locations and quantities that do not fit the kind with 422', async () => {
    const cases = [
      { kind: 'receive', sku: 'NOPE', location: 'WH-1', quantity: 1 },
      { kind: 'receive', sku: 'M-1', location: 'NOWHERE', quantity: 1 },
      { kind: 'receive', sku: 'M-1', location: 'WH-1', quantity: -1 },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await api.request('POST', '/v1/movements', {
        body: { ...c, sourceSystem: 'wms', sourceEventId: `bad-${i}` },
      });
      expect(res.status).toBe(422);
      expect(res.contentType).toContain('application/problem+json');
    }
    const unknownKind = await api.request('POST', '/v1/movements', {
      body: {
        kind: 'teleport',
        sku: 'M-1',
        location: 'WH-1',
        quantity: 1,
        sourceSystem: 'wms',
        sourceEventId: 'bad-kind',
      },
    });
    expect(unknownKind.status).toBe(400);
  });

  it('computes channel availability with each channel policy', async () => {
    const web = await api.request<{ items: { sku: string; available: number; locations: unknown[] }[] }>(
      'GET',
      '/v1/channels/web/availability?sku=P-1&sku=NOPE',
    );
    expect(web.status).toBe(200);
    expect(web.body.items).toEqual([
      {
        sku: 'P-1',
        known: true,
        available: 65,
        locations: [
          { location: 'WH-1', available: 40 },
          { location: 'WH-2', available: 25 },
        ],
      },
      { sku: 'NOPE', known: false, available: 0, locations: [] },
    ]);
    const market = await api.request<{ items: { available: number }[] }>(
      'GET',
      '/v1/channels/market/availability?sku=P-1',
    );
    // floor(65 × 0.8) − 2 = 50, capped at 50
    expect(market.body.items[0].available).toBe(50);
    expect((await api.request('GET', '/v1/channels/nope/availability?sku=P-1')).status).toBe(404);
  });

  it('publishes a movement to the storefront read model', async () => {
    const key = await platform.apiKey('web');
    const storefront = new HttpClient(platform.storefront.url, { authorization: `Bearer ${key}` });
    try {
      await api.request('POST', '/v1/movements', {
        body: {
          kind: 'receive',
          sku: 'M-2',
          location: 'WH-2',
          quantity: 7,
          sourceSystem: 'wms',
          sourceEventId: 'rcpt-m2',
        },
      });
      const res = await eventually(
        () => storefront.request<{ items: { available: number }[] }>('GET', '/v1/availability?sku=M-2'),
        (r) => r.body.items[0].available === 7,
        3000,
        20,
      );
      expect(res.body.items[0]).toMatchObject({ sku: 'M-2', known: true, available: 7 });
    } finally {
      await storefront.close();
    }
  });

  it('catches up on changes made behind its back (another process, the CLI) through the sweep', async () => {
    await platform.movements.apply({
      kind: 'receive',
      sku: 'M-2',
      location: 'WH-1',
      quantity: 5,
      sourceSystem: 'cli',
      sourceEventId: 'behind-back',
    });
    const key = await platform.apiKey('web');
    const storefront = new HttpClient(platform.storefront.url, { authorization: `Bearer ${key}` });
    try {
      const res = await eventually(
        () => storefront.request<{ items: { available: number }[] }>('GET', '/v1/availability?sku=M-2'),
        (r) => r.body.items[0].available === 12,
        5000,
      );
      expect(res.body.items[0].available).toBe(12);
    } finally {
      await storefront.close();
    }
  });

  it('serves liveness, readiness and Prometheus metrics', async () => {
    expect((await api.request('GET', '/health/live')).status).toBe(200);
    const ready = await api.request<{ status: string; checks: { name: string; ok: boolean }[] }>(
      'GET',
      '/health/ready',
    );
    expect(ready.status).toBe(200);
    expect(ready.body.checks.map((c) => c.name)).toEqual(['postgres', 'redis']);
    const metrics = await api.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('availability_published_total');
    const sfReady = await new HttpClient(platform.storefront.url).request<{ checks: { name: string }[] }>(
      'GET',
      '/health/ready',
    );
    expect(sfReady.status).toBe(200);
    expect(sfReady.body.checks.map((c) => c.name)).toEqual(['postgres', 'redis', 'process-reservations']);
  });

  it('serves its Swagger UI and OpenAPI document at /docs', async () => {
    const doc = await api.request<{ paths: Record<string, unknown> }>('GET', '/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/movements', '/v1/channels/{channel}/reservations']),
    );
    const ui = await api.request('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});

describe('idempotency record retention', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await TestPlatform.start('retention');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['R-1'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [{ sku: 'R-1', location: 'WH-1', onHand: 10 }],
    });
  });

  afterAll(() => platform?.stop());

  it('treats a key past its retention as new, and purges the old record', async () => {
    const web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
    try {
      const first = await web.reserve([{ sku: 'R-1', quantity: 1 }], { key: 'kept-24h' });
      expect(first.status).toBe(201);
      // 25 hours later:
      await platform.db.query(
        `UPDATE idempotency_records SET expires_at = now() - interval '1 hour', created_at = now() - interval '25 hours'`,
      );
      const again = await web.reserve([{ sku: 'R-1', quantity: 1 }], { key: 'kept-24h' });
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(first.body.id);
      const expired = await platform.db.query(
        `UPDATE idempotency_records SET expires_at = now() - interval '1 hour'`,
      );
      expect(expired.rowCount).toBe(1);
      // The app's own sweep may purge it first (it runs every few hundred ms here); either way it goes.
      const purged = await platform.processApps[0].app.get(Reservations).purgeIdempotencyRecords();
      expect([0, 1]).toContain(purged);
      const left = await platform.db.query('SELECT count(*)::int AS n FROM idempotency_records');
      expect(left.rows[0].n).toBe(0);
    } finally {
      await web.close();
    }
  });
});
