import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@stockbridge/config';
import { buildStorefrontApp } from '../../apps/experience-storefront/src/app';
import { StorefrontConfig } from '../../apps/experience-storefront/src/storefront.config';
import { HttpClient } from '../support/http';
import { type RunningApp, TestPlatform, urlOf } from '../support/platform';

const ORDER_ID = randomUUID();
/** An id the stand-in answers for any channel, as a broken process API might: the storefront still says 404. */
const LEAKY_ID = randomUUID();
/** An id the stand-in answers with a 500. */
const FAILING_ID = randomUUID();

/** What process-allocation answers for ORDER_ID: the full internal view, postings and causes included. */
function orderView(id: string) {
  return {
    id,
    channel: 'web',
    reference: 'cart-42',
    state: 'partially_shipped',
    createdAt: '2026-01-05T10:00:00.000Z',
    updatedAt: '2026-01-05T12:30:00.000Z',
    lines: [
      { sku: 'A', quantity: 2, unitPriceCents: 1999, shipped: 1, cancelled: 0 },
      { sku: 'B', quantity: 1, unitPriceCents: 500, shipped: 0, cancelled: 1 },
    ],
    fulfilmentOrders: [
      {
        id: randomUUID(),
        location: 'WH-1',
        status: 'partially_shipped',
        attempt: 1,
        lines: [
          { sku: 'A', quantity: 2, shipped: 1, shortPicked: 0, cancelled: 0 },
          { sku: 'B', quantity: 1, shipped: 0, shortPicked: 1, cancelled: 0 },
        ],
      },
    ],
    transitions: [
      {
        from: null,
        to: 'pending_validation',
        cause: 'reservation-confirmed',
        source: 'platform',
        nativeStatus: null,
        at: '2026-01-05T10:00:00.000Z',
      },
      {
        from: 'pending_validation',
        to: 'reserved',
        cause: 'oms-accepted',
        source: 'oms',
        nativeStatus: 'ACCEPTED',
        at: '2026-01-05T10:00:01.000Z',
      },
      {
        from: 'reserved',
        to: 'allocated',
        cause: 'sourced',
        source: 'platform',
        nativeStatus: null,
        at: '2026-01-05T10:00:02.000Z',
      },
      {
        from: 'allocated',
        to: 'partially_shipped',
        cause: 'wms-shipped',
        source: 'wms',
        nativeStatus: 'SHIPPED',
        at: '2026-01-05T12:30:00.000Z',
      },
    ],
    postings: [
      {
        postingKey: `revenue:${id}:1`,
        kind: 'revenue',
        amountCents: 1999,
        status: 'acknowledged',
        reasonCode: null,
        erpReference: 'JE-1',
      },
    ],
  };
}

interface StandInRequest {
  path: string;
  authorization: string | undefined;
  correlationId: string | undefined;
}

/**
 * Plays process-allocation's `GET /v1/orders/{id}?channel=` (the real app is being written): checks the
 * service token, answers ORDER_ID for channel web and 404 problem+json otherwise.
 */
function standIn(serviceToken: string, seen: StandInRequest[]): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    seen.push({
      path: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
      correlationId: req.headers['x-correlation-id'] as string | undefined,
    });
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(body));
    };
    const problem = (status: number, code: string, detail: string) =>
      send(
        status,
        { type: `https://stockbridge.dev/problems/${code}`, title: code, status, detail },
        'application/problem+json',
      );
    if (req.headers.authorization !== `Bearer ${serviceToken}`)
      return problem(401, 'unauthorized', 'service token');
    const match = /^\/v1\/orders\/([^/]+)$/.exec(url.pathname);
    const channel = url.searchParams.get('channel');
    if (req.method !== 'GET' || !match || !channel) return problem(400, 'validation-failed', 'bad request');
    const id = match[1];
    // Like the real app's ParseUUIDPipe: version 1–8 and variant 8–b only.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id))
      return problem(400, 'validation-failed', 'Validation failed (uuid is expected)');
    if (id === FAILING_ID) return problem(500, 'internal', 'boom');
    if (id === LEAKY_ID) return send(200, orderView(LEAKY_ID));
    if (id === ORDER_ID && channel === 'web') return send(200, orderView(ORDER_ID));
    return problem(404, 'order-not-found', `Order "${id}" does not exist.`);
  });
}

describe('storefront orders: GET /v1/orders/{id} through process-allocation', () => {
  let platform: TestPlatform;
  let server: Server;
  let storefront: RunningApp;
  let web: HttpClient;
  let pos: HttpClient;
  let anonymous: HttpClient;
  const seen: StandInRequest[] = [];

  beforeAll(async () => {
    platform = await TestPlatform.start('orders');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'STORE-1', type: 'store' }],
      skus: ['A', 'B'],
      channels: [
        { code: 'web', pool: ['WH-1'] },
        { code: 'pos', pool: ['STORE-1'] },
      ],
      stock: [{ sku: 'A', location: 'WH-1', onHand: 10 }],
    });
    server = standIn(platform.serviceToken, seen);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config = loadConfig(StorefrontConfig, {
      ...platform.baseEnv(),
      PROCESS_RESERVATIONS_URL: platform.processUrl,
      PROCESS_ALLOCATION_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      API_KEY_CACHE_MS: '0',
    });
    const app = await buildStorefrontApp(config, { quiet: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    storefront = { app, url: urlOf(app) };
    web = new HttpClient(storefront.url, { authorization: `Bearer ${await platform.apiKey('web')}` });
    pos = new HttpClient(storefront.url, { authorization: `Bearer ${await platform.apiKey('pos')}` });
    anonymous = new HttpClient(storefront.url);
  });

  afterAll(async () => {
    await web?.close();
    await pos?.close();
    await anonymous?.close();
    await storefront?.app.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await platform?.stop();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it("shows the channel's order without postings, fulfilment internals or transition causes", async () => {
    const res = await web.request('GET', `/v1/orders/${ORDER_ID}`, {
      headers: { 'x-correlation-id': 'orders-1' },
    });
    expect(res.status).toBe(200);
    expect(res.contentType).toContain('application/json');
    expect(res.body).toEqual({
      id: ORDER_ID,
      reference: 'cart-42',
      state: 'partially_shipped',
      createdAt: '2026-01-05T10:00:00.000Z',
      updatedAt: '2026-01-05T12:30:00.000Z',
      lines: [
        { sku: 'A', quantity: 2, shipped: 1, cancelled: 0 },
        { sku: 'B', quantity: 1, shipped: 0, cancelled: 1 },
      ],
      shipments: [
        {
          location: 'WH-1',
          status: 'partially_shipped',
          lines: [
            { sku: 'A', quantity: 2, shipped: 1 },
            { sku: 'B', quantity: 1, shipped: 0 },
          ],
        },
      ],
      history: [
        { state: 'pending_validation', at: '2026-01-05T10:00:00.000Z' },
        { state: 'reserved', at: '2026-01-05T10:00:01.000Z' },
        { state: 'allocated', at: '2026-01-05T10:00:02.000Z' },
        { state: 'partially_shipped', at: '2026-01-05T12:30:00.000Z' },
      ],
    });
    expect(res.text).not.toMatch(
      /posting|cause|unitPrice|nativeStatus|shortPicked|attempt|erpReference|ACCEPTED|"channel"/,
    );
    // The stand-in was asked with the service token, the caller's channel and the request's correlation id.
    expect(seen).toEqual([
      {
        path: `/v1/orders/${ORDER_ID}?channel=web`,
        authorization: `Bearer ${platform.serviceToken}`,
        correlationId: 'orders-1',
      },
    ]);
  });

  it('accepts an upper-case id and asks for it in lower case', async () => {
    const res = await web.request<{ id: string }>('GET', `/v1/orders/${ORDER_ID.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(ORDER_ID);
    expect(seen.map((s) => s.path)).toEqual([`/v1/orders/${ORDER_ID}?channel=web`]);
  });

  it("answers 404 for another channel's order, exactly as for one that does not exist", async () => {
    const other = await pos.request<Record<string, unknown>>('GET', `/v1/orders/${ORDER_ID}`);
    expect(seen.map((s) => s.path)).toEqual([`/v1/orders/${ORDER_ID}?channel=pos`]);
    expect(other.status).toBe(404);
    expect(other.contentType).toContain('application/problem+json');
    expect(other.body).toMatchObject({ status: 404, type: expect.stringMatching(/\/order-not-found$/) });
    expect(other.text).not.toMatch(/cart-42|partially_shipped|"web"/);

    const missingId = randomUUID();
    const missing = await web.request<Record<string, unknown>>('GET', `/v1/orders/${missingId}`);
    expect(missing.status).toBe(404);
    const strip = (b: Record<string, unknown>, id: string) => ({
      ...b,
      detail: String(b.detail).replace(id, '<id>'),
      instance: undefined,
    });
    expect(strip(other.body, ORDER_ID)).toEqual(strip(missing.body, missingId));
  });

  it("never shows another channel's order even when the process API returns one", async () => {
    const res = await pos.request('GET', `/v1/orders/${LEAKY_ID}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toMatch(/cart-42|partially_shipped/);
  });

  it.each(['not-a-uuid', '12345', `${ORDER_ID}x`, "1' OR '1'='1"])(
    'refuses the malformed id %j with 400 without calling the process API',
    async (id) => {
      const res = await web.request<Record<string, unknown>>('GET', `/v1/orders/${encodeURIComponent(id)}`);
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        status: 400,
        type: expect.stringMatching(/\/validation-failed$/),
        detail: expect.stringContaining('UUID'),
      });
      expect(seen).toEqual([]);
    },
  );

  it('answers 400 too when only the process API finds the UUID malformed (version digit 0)', async () => {
    const res = await web.request<Record<string, unknown>>(
      'GET',
      '/v1/orders/12345678-1234-0234-8234-123456789012',
    );
    expect(seen).toHaveLength(1);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, type: expect.stringMatching(/\/validation-failed$/) });
  });

  it('answers 401 without an API key or with an unknown one, and 403 without the reservations:write scope', async () => {
    const none = await anonymous.request<Record<string, unknown>>('GET', `/v1/orders/${ORDER_ID}`);
    expect(none.status).toBe(401);
    expect(none.contentType).toContain('application/problem+json');
    const wrong = await anonymous.request('GET', `/v1/orders/${ORDER_ID}`, {
      headers: { authorization: 'Bearer sk_nope_0123456789' },
    });
    expect(wrong.status).toBe(401);
    const readOnly = new HttpClient(storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web', ['availability:read'])}`,
    });
    try {
      const denied = await readOnly.request<Record<string, unknown>>('GET', `/v1/orders/${ORDER_ID}`);
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ requiredScope: 'reservations:write' });
    } finally {
      await readOnly.close();
    }
    expect(seen).toEqual([]);
  });

  it('answers 502 problem when the process API fails', async () => {
    const res = await web.request<Record<string, unknown>>('GET', `/v1/orders/${FAILING_ID}`);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/\/upstream-error$/) });
    expect(res.text).not.toContain('boom');
  });

  it('answers 503 upstream-unavailable when process-allocation cannot be reached', async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const res = await web.request<Record<string, unknown>>('GET', `/v1/orders/${ORDER_ID}`);
    expect(res.status).toBe(503);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      status: 503,
      type: expect.stringMatching(/\/upstream-unavailable$/),
      detail: expect.any(String),
    });
    // Reservations do not depend on it.
    expect((await web.reserve([{ sku: 'A', quantity: 1 }])).status).toBe(201);
  });
});
