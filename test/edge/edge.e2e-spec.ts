import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { HttpClient, type HttpResult } from '../support/http';
import { type RunningApp, TestPlatform, urlOf } from '../support/platform';
import { ShutdownGate, startProbeApp } from './probe-app';
import { httpRequest, type RawResponse, rawRequest } from './raw-http';

const PROBLEM = 'application/problem+json';
const ADMIN = 'edge-admin-token-0123456789';
const METRICS_TOKEN = 'edge-metrics-token-0123456789';

/** `[[[…]]]` nested `depth` levels deep. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

interface Target {
  name: string;
  url: string;
  port: number;
  auth: Record<string, string>;
  /** A request that writes (POST or PUT), with the path and a valid JSON body that `extra` is merged into. */
  write: { method: 'POST' | 'PUT'; path: string; body: (extra: string) => string };
  /** A route with a path parameter, without the parameter. */
  paramPath: string;
  /** A read with free-text query parameters (the value goes after `=`). */
  readQuery: (value: string) => string;
  /** What the write would have stored. */
  written: () => Promise<number>;
}

function expectProblem(res: RawResponse | HttpResult, status: number, code: string): void {
  const contentType = 'contentType' in res ? res.contentType : res.headers['content-type'];
  const body = ('contentType' in res ? res.body : JSON.parse(res.body)) as Record<string, unknown>;
  expect({ status: res.status, contentType: String(contentType).split(';')[0], type: body.type }).toEqual({
    status,
    contentType: PROBLEM,
    type: `https://stockbridge.dev/problems/${code}`,
  });
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(js|ts):\d+|FST_ERR|statusCode/);
}

describe('the edge of every app (e2e)', () => {
  let platform: TestPlatform;
  let ops: RunningApp;
  let apiKey: string;
  const targets = new Map<string, Target>();
  const clients: HttpClient[] = [];

  const client = (t: Target) => {
    const c = new HttpClient(t.url, t.auth, 8);
    clients.push(c);
    return c;
  };
  const send = (t: Target, extra: string) =>
    client(t).request(t.write.method, t.write.path, {
      rawBody: t.write.body(extra),
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    });
  const port = (app: NestFastifyApplication) => (app.getHttpServer().address() as AddressInfo).port;
  const count = async (sql: string) => Number((await platform.ds.query<{ n: string }[]>(sql))[0].n);

  beforeAll(async () => {
    platform = await TestPlatform.start('edge');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['E-1'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      stock: [{ sku: 'E-1', location: 'WH-1', onHand: 50 }],
    });
    apiKey = await platform.apiKey('web');
    const opsApp = await buildOpsApp(
      loadConfig(OpsConfig, { ...platform.baseEnv(), OPS_ADMIN_TOKENS: `alice:${ADMIN}`, DB_POOL_SIZE: '2' }),
      { quiet: true },
    );
    await opsApp.listen({ port: 0, host: '127.0.0.1' });
    ops = { app: opsApp, url: urlOf(opsApp) };

    const reservation = (extra: string) =>
      `{"lines":[{"sku":"E-1","quantity":1}],"reference":"cart-1"${extra ? `,${extra}` : ''}}`;
    const reservations = () => count('SELECT count(*) AS n FROM reservations');
    targets.set('experience-storefront', {
      name: 'experience-storefront',
      url: platform.storefront.url,
      port: port(platform.storefront.app),
      auth: { authorization: `Bearer ${apiKey}` },
      write: { method: 'POST', path: '/v1/reservations', body: reservation },
      paramPath: '/v1/reservations/',
      readQuery: (v) => `/v1/availability?sku=${v}`,
      written: reservations,
    });
    targets.set('process-reservations', {
      name: 'process-reservations',
      url: platform.processUrl,
      port: port(platform.processApps[0].app),
      auth: { authorization: `Bearer ${platform.serviceToken}` },
      write: { method: 'POST', path: '/v1/channels/web/reservations', body: reservation },
      paramPath: '/v1/channels/web/reservations/',
      readQuery: (v) => `/v1/channels/web/availability?sku=${v}`,
      written: reservations,
    });
    targets.set('ops', {
      name: 'ops',
      url: ops.url,
      port: port(opsApp),
      auth: { authorization: `Bearer ${ADMIN}` },
      write: {
        method: 'PUT',
        path: '/v1/mappings/skus',
        body: (extra) =>
          `{"items":[{"system":"erp","externalCode":"ITEM-1","sku":"E-1"}]${extra ? `,${extra}` : ''}}`,
      },
      paramPath: '/v1/dead-letters/',
      readQuery: (v) => `/v1/audit?actor=${v}`,
      written: () => count('SELECT count(*) AS n FROM sku_xrefs'),
    });
  });

  afterAll(async () => {
    for (const c of clients) await c.close();
    await ops?.app.close();
    await platform?.stop();
  });

  const APPS = ['experience-storefront', 'process-reservations', 'ops'];
  const target = (name: string) => targets.get(name)!;

  describe.each(APPS)('%s', (name) => {
    it('refuses a body nested 2,000 levels deep (4 KB) with 400 body-too-deep, quickly and never 500', async () => {
      const t = target(name);
      const before = await t.written();
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => send(t, `"reference2":${nested(2_000)}`)),
      );
      const elapsed = Date.now() - started;
      for (const res of answers) {
        expectProblem(res, 400, 'body-too-deep');
        expect(res.body).toMatchObject({ maxDepth: 32 });
      }
      // Nothing is parsed past depth 32 (the unit test counts the bytes read); a generous bound for a busy machine.
      expect(elapsed).toBeLessThan(5_000);
      expect(await t.written()).toBe(before);
    });

    it('still takes a body nested 20 levels deep to validation (not refused as too deep)', async () => {
      const t = target(name);
      const res = await send(t, `"extra":${nested(18)}`);
      expectProblem(res, 400, 'validation-failed');
      expect(res.body).toMatchObject({ errors: expect.arrayContaining(['property extra should not exist']) });
    });

    it('refuses NUL (escaped \\u0000) and other control characters in body strings and keys; nothing is written', async () => {
      const t = target(name);
      const before = await t.written();
      const bodies = [
        `"note":"cart\\u0000"`,
        `"note":"bell\\u0007 and escape \\u001B"`,
        `"no\\u0000te":"x"`,
        `"note":"form feed\\f"`,
      ];
      for (const extra of bodies) expectProblem(await send(t, extra), 400, 'control-character');
      if (t.write.method === 'POST') {
        // The field the probe found: a NUL in the reservation's reference.
        const res = await client(t).request('POST', t.write.path, {
          rawBody: '{"lines":[{"sku":"E-1","quantity":1}],"reference":"cart\\u0000-7"}',
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        });
        expectProblem(res, 400, 'control-character');
      }
      expect(await t.written()).toBe(before);
    });

    it('refuses %00 (and other encoded control characters) in the query and the path with 400', async () => {
      const t = target(name);
      const c = client(t);
      expectProblem(await c.request('GET', t.readQuery('a%00b')), 400, 'control-character');
      expectProblem(await c.request('GET', t.readQuery('a%1b')), 400, 'control-character');
      expectProblem(await c.request('GET', '/v1/things/a%00b'), 400, 'control-character');
      // Tab, line feed and carriage return are text, not refused at the edge.
      expect((await c.request('GET', t.readQuery('a%09b'))).status).not.toBe(500);
    });

    it('answers a request Node cannot parse with a complete problem+json response', async () => {
      const t = target(name);
      const cases: [string, number, string][] = [
        [
          `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
          431,
          'headers-too-large',
        ],
        [`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414, 'uri-too-long'],
        ['GARBAGE\r\n\r\n', 400, 'malformed-request'],
        ['GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400, 'malformed-request'],
      ];
      for (const [bytes, status, code] of cases) {
        const res = await rawRequest(t.port, bytes);
        expect(res.statusLine).toMatch(new RegExp(`^HTTP/1\\.1 ${status} [A-Z]`));
        expect(res.complete).toBe(true);
        expectProblem(res, status, code);
        expect(res.body).not.toContain('aaaa');
      }
    });

    it('answers router errors, unknown routes and methods with problem+json, never echoing the URL', async () => {
      const t = target(name);
      const cases: [string, string, number, string][] = [
        ['GET', `${t.paramPath}${'x'.repeat(300)}`, 414, 'uri-too-long'],
        ['GET', `${t.paramPath}%zz-echo`, 400, 'malformed-request'],
        ['GET', '/no/such/route-echo', 404, 'not-found'],
        ['DELETE', '/health/live', 405, 'method-not-allowed'],
      ];
      for (const [method, path, status, code] of cases) {
        const res = await rawRequest(t.port, httpRequest(method, path, t.auth));
        expect(res.complete).toBe(true);
        expectProblem(res, status, code);
        expect(res.body).not.toMatch(/xxxx|echo/);
        if (status === 405) expect(res.headers.allow).toBe('GET, HEAD');
      }
    });
  });

  describe('switches (CommonConfig: SWAGGER_UI, OPENAPI_JSON, METRICS, METRICS_TOKEN)', () => {
    it('serves /docs, the OpenAPI document and /metrics by default outside production', async () => {
      const c = client(target('process-reservations'));
      expect((await c.request('GET', '/docs')).status).toBe(200);
      expect((await c.request('GET', '/docs/openapi.json')).status).toBe(200);
      expect((await c.request('GET', '/docs/openapi.yaml')).status).toBe(200);
      expect((await c.request('GET', '/metrics')).status).toBe(200);
    });

    it('answers 404 problem for /docs, the OpenAPI document and /metrics when they are switched off', async () => {
      const off = await platform.startProcess({
        SWAGGER_UI: 'false',
        OPENAPI_JSON: 'false',
        METRICS: 'false',
      });
      try {
        const c = new HttpClient(off.url, {}, 2);
        clients.push(c);
        for (const path of ['/docs', '/docs/openapi.json', '/docs/openapi.yaml', '/metrics'])
          expectProblem(await c.request('GET', path), 404, 'not-found');
        expect((await c.request('GET', '/health/live')).status).toBe(200);
      } finally {
        await off.app.close();
      }
    });

    it('switches the docs off by default in production (NODE_ENV=production)', async () => {
      const prod = await platform.startProcess({ NODE_ENV: 'production' });
      try {
        const c = new HttpClient(prod.url, {}, 2);
        clients.push(c);
        expect((await c.request('GET', '/docs')).status).toBe(404);
        expect((await c.request('GET', '/docs/openapi.json')).status).toBe(404);
        expect((await c.request('GET', '/metrics')).status).toBe(200);
      } finally {
        await prod.app.close();
      }
    });

    it('serves /metrics only with the bearer METRICS_TOKEN when one is set', async () => {
      const locked = await platform.startProcess({ METRICS_TOKEN });
      try {
        const c = new HttpClient(locked.url, {}, 2);
        clients.push(c);
        const without = await c.request('GET', '/metrics');
        expectProblem(without, 401, 'unauthorized');
        expect(without.headers['www-authenticate']).toMatch(/^Bearer/);
        const wrong = await c.request('GET', '/metrics', {
          headers: { authorization: `Bearer ${METRICS_TOKEN.slice(0, -1)}x` },
        });
        expectProblem(wrong, 401, 'unauthorized');
        const right = await c.request('GET', '/metrics', {
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        });
        expect(right.status).toBe(200);
        expect(right.text).toContain('http_request_duration_seconds');
      } finally {
        await locked.app.close();
      }
    });
  });
});

describe('an app built by createApp (e2e)', () => {
  it('answers 503 problem+json with Connection: close while it shuts down, before its hooks finish', async () => {
    const app = await startProbeApp();
    const gate = app.get(ShutdownGate);
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const closing = app.close();
    try {
      while (!gate.reached) await new Promise((r) => setTimeout(r, 10));
      const res = await rawRequest(port, httpRequest('GET', '/v1/echo'));
      expect(res.complete).toBe(true);
      expectProblem(res, 503, 'shutting-down');
      expect(res.headers.connection).toBe('close');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      gate.release();
      await closing;
    }
  });

  it('parses bodies up to MAX_JSON_DEPTH and keeps the raw bytes; one level deeper is refused', async () => {
    const app = await startProbeApp({ maxJsonDepth: 20 });
    const c = new HttpClient(urlOf(app), {}, 2);
    try {
      const ok = `{"a":${nested(19)},"text":"tab\\tnewline\\n \\u00e9 \\"quoted [{\\" \\\\"}`;
      const res = await c.request<{ body: unknown; raw: string }>('POST', '/v1/echo', {
        rawBody: ok,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ body: JSON.parse(ok), raw: ok });
      const deep = await c.request('POST', '/v1/echo', {
        rawBody: `{"a":${nested(20)}}`,
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(deep, 400, 'body-too-deep');
      expect(deep.body).toMatchObject({ maxDepth: 20 });
      // Fastify's protections stay: a __proto__ key is still refused, as malformed JSON.
      const poisoned = await c.request('POST', '/v1/echo', {
        rawBody: '{"__proto__":{"admin":true}}',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(poisoned, 400, 'malformed-json');
    } finally {
      await c.close();
      app.get(ShutdownGate).release();
      await app.close();
    }
  });
});
