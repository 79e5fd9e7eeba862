import { randomUUID } from 'node:crypto';
import { HttpClient } from '../support/http';
import { TestPlatform } from '../support/platform';

interface Case {
  name: string;
  status: number;
  send: (http: HttpClient) => Promise<{ status: number; contentType: string; text: string; body: unknown }>;
  /** Expected problem type suffix. */
  type?: string;
}

const post =
  (body: unknown, headers: Record<string, string> = {}) =>
  (http: HttpClient) =>
    http.request('POST', '/v1/reservations', {
      body,
      headers: { 'idempotency-key': randomUUID(), ...headers },
    });
const postRaw = (rawBody: string, headers: Record<string, string>) => (http: HttpClient) =>
  http.request('POST', '/v1/reservations', {
    rawBody,
    headers: { 'idempotency-key': randomUUID(), ...headers },
  });
const line = (quantity: unknown, sku: unknown = 'A') => ({ lines: [{ sku, quantity }] });

const CASES: Case[] = [
  { name: 'zero quantity', status: 400, send: post(line(0)), type: 'validation-failed' },
  { name: 'negative quantity', status: 400, send: post(line(-3)), type: 'validation-failed' },
  { name: 'fractional quantity', status: 400, send: post(line(1.5)), type: 'validation-failed' },
  { name: 'string quantity', status: 400, send: post(line('2')), type: 'validation-failed' },
  { name: 'huge quantity', status: 400, send: post(line(1e12)), type: 'validation-failed' },
  { name: 'quantity over 100000', status: 400, send: post(line(100_001)), type: 'validation-failed' },
  { name: 'empty lines', status: 400, send: post({ lines: [] }), type: 'validation-failed' },
  { name: 'missing lines', status: 400, send: post({}), type: 'validation-failed' },
  { name: 'lines not an array', status: 400, send: post({ lines: 'A' }), type: 'validation-failed' },
  {
    name: '101 lines',
    status: 400,
    send: post({ lines: Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }),
    type: 'validation-failed',
  },
  {
    name: 'line without sku',
    status: 400,
    send: post({ lines: [{ quantity: 1 }] }),
    type: 'validation-failed',
  },
  { name: 'unknown SKU', status: 422, send: post(line(1, 'NO-SUCH-SKU')), type: 'unknown-sku' },
  {
    name: 'unknown top-level field',
    status: 400,
    send: post({ ...line(1), status: 'confirmed' }),
    type: 'validation-failed',
  },
  {
    name: 'unknown line field',
    status: 400,
    send: post({ lines: [{ sku: 'A', quantity: 1, reservedQty: 5 }] }),
    type: 'validation-failed',
  },
  {
    name: '__proto__ in the body',
    status: 400,
    send: postRaw('{"lines":[{"sku":"A","quantity":1}],"__proto__":{"admin":true}}', {
      'content-type': 'application/json',
    }),
  },
  {
    name: 'malformed JSON',
    status: 400,
    send: postRaw('{"lines": [', { 'content-type': 'application/json' }),
    type: 'malformed-json',
  },
  {
    name: 'wrong content type',
    status: 415,
    send: postRaw('sku=A&quantity=1', { 'content-type': 'text/plain' }),
    type: 'unsupported-media-type',
  },
  {
    name: 'a 2 MB body',
    status: 413,
    send: postRaw(
      JSON.stringify({ lines: [{ sku: 'A', quantity: 1 }], reference: 'x'.repeat(2 * 1024 * 1024) }),
      { 'content-type': 'application/json' },
    ),
    type: 'body-too-large',
  },
  {
    name: 'missing Idempotency-Key',
    status: 400,
    send: (http) => http.request('POST', '/v1/reservations', { body: line(1) }),
    type: 'idempotency-key-required',
  },
  {
    name: 'Idempotency-Key of 256 characters',
    status: 400,
    send: post(line(1), { 'idempotency-key': 'k'.repeat(256) }),
    type: 'invalid-idempotency-key',
  },
  {
    name: 'SQL in a SKU',
    status: 400,
    send: post(line(1, "A'; DROP TABLE stock_levels; --")),
    type: 'validation-failed',
  },
  {
    name: 'SQL in an availability SKU',
    status: 400,
    send: (http) => http.request('GET', `/v1/availability?sku=${encodeURIComponent("A' OR '1'='1")}`),
    type: 'validation-failed',
  },
  {
    name: 'availability without SKU',
    status: 400,
    send: (http) => http.request('GET', '/v1/availability'),
    type: 'validation-failed',
  },
  {
    name: 'availability with 101 SKUs',
    status: 400,
    send: (http) =>
      http.request('GET', `/v1/availability?${Array.from({ length: 101 }, (_, i) => `sku=S${i}`).join('&')}`),
    type: 'validation-failed',
  },
  {
    name: 'ttlSeconds of 0',
    status: 400,
    send: post({ ...line(1), ttlSeconds: 0 }),
    type: 'validation-failed',
  },
  {
    name: 'shipTo latitude over 90',
    status: 400,
    send: post({ ...line(1), shipTo: { latitude: 90.5, longitude: 0 } }),
    type: 'validation-failed',
  },
  {
    name: 'shipTo longitude under -180',
    status: 400,
    send: post({ ...line(1), shipTo: { latitude: 0, longitude: -181 } }),
    type: 'validation-failed',
  },
  {
    name: 'shipTo latitude as a string',
    status: 400,
    send: post({ ...line(1), shipTo: { latitude: '40.7', longitude: -74 } }),
    type: 'validation-failed',
  },
  {
    name: 'shipTo without longitude',
    status: 400,
    send: post({ ...line(1), shipTo: { latitude: 40.7 } }),
    type: 'validation-failed',
  },
  {
    name: 'shipTo not an object',
    status: 400,
    send: post({ ...line(1), shipTo: '40.7,-74.0' }),
    type: 'validation-failed',
  },
  {
    name: 'shipTo with an unknown field',
    status: 400,
    send: post({ ...line(1), shipTo: { latitude: 40.7, longitude: -74, altitude: 10 } }),
    type: 'validation-failed',
  },
  {
    name: 'unknown route',
    status: 404,
    send: (http) => http.request('GET', '/v1/nothing-here'),
    type: 'not-found',
  },
];

describe('bad input gets a 4xx problem+json and changes nothing', () => {
  let platform: TestPlatform;
  let http: HttpClient;

  beforeAll(async () => {
    platform = await TestPlatform.start('badinput');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['A'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [{ sku: 'A', location: 'WH-1', onHand: 10 }],
    });
    http = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
  });

  afterAll(async () => {
    await http?.close();
    await platform?.stop();
  });

  async function snapshot() {
    const res = await platform.db.query<{
      movements: number;
      reservations: number;
      keys: number;
      reserved: string;
    }>(
      `SELECT (SELECT count(*)::int FROM stock_movements) AS movements, (SELECT count(*)::int FROM reservations) AS reservations,
              (SELECT count(*)::int FROM idempotency_records) AS keys, (SELECT sum(reserved) FROM stock_levels) AS reserved`,
    );
    return res.rows[0];
  }

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await snapshot();
    const res = await c.send(http);
    expect(res.status).toBe(c.status);
    expect(res.contentType).toContain('application/problem+json');
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({
      status: c.status,
      title: expect.any(String),
      detail: expect.any(String),
      type: expect.any(String),
    });
    if (c.type) expect(body.type).toMatch(new RegExp(`/${c.type}$`));
    expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+|QueryFailedError|stack|node_modules|SELECT |INSERT /);
    expect(await snapshot()).toEqual(before);
  });

  it('covers at least 15 malformed requests', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
  });

  it('still works after all that', async () => {
    const res = await http.reserve([{ sku: 'A', quantity: 1 }]);
    expect(res.status).toBe(201);
    const level = await platform.level('A', 'WH-1');
    expect(level).toMatchObject({ onHand: 10, reserved: 1 });
  });

  it('sends security headers and hides the server framework', async () => {
    const res = await http.request('GET', '/v1/availability?sku=A');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-correlation-id']).toEqual(expect.any(String));
  });
});
