import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import { buildSandboxApp } from '../../apps/sandbox/src/app';
import { SandboxConfig } from '../../apps/sandbox/src/sandbox.config';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { HttpClient } from '../support/http';

const ADMIN_TOKEN = 'sandbox-auth-e2e-admin-token-0123';
const ERP_CLIENT = 'erp-client';
const ERP_SECRET = 'erp-client-secret-0123';
const WMS_KEY = 'wms-api-key-0123456789';
const OMS_PASSWORD = 'oms-pass:word-0123';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function start(env: TestEnvironment, extra: Record<string, string>): Promise<NestFastifyApplication> {
  const app = await buildSandboxApp(
    loadConfig(SandboxConfig, { DATABASE_URL: env.databaseUrl, LOG_LEVEL: 'silent', ...extra }),
    { quiet: true },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

const urlOf = (app: NestFastifyApplication) =>
  `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

describe('sandbox credentials', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let http: HttpClient;

  const token = async (user = ERP_CLIENT, secret = ERP_SECRET) =>
    http.request<{ access_token: string; token_type: string; expires_in: number; error?: string }>(
      'POST',
      '/oauth/token',
      {
        body: { grant_type: 'client_credentials', scope: 'erp' },
        headers: { authorization: basic(user, secret) },
      },
    );

  beforeAll(async () => {
    env = await createTestEnvironment('sandboxauth');
    app = await start(env, {
      SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
      SANDBOX_ERP_AUTH: `oauth2:${ERP_CLIENT}:${ERP_SECRET}`,
      SANDBOX_WMS_AUTH: `api-key:X-Api-Key:${WMS_KEY}`,
      SANDBOX_OMS_AUTH: `basic:stockbridge:${OMS_PASSWORD}`,
      SANDBOX_TOKEN_TTL_SECONDS: '2',
    });
    http = new HttpClient(urlOf(app));
  });

  afterAll(async () => {
    await http?.close();
    await app?.close();
    await env?.teardown();
  });

  describe('admin routes', () => {
    const adminCalls: [string, string, unknown?][] = [
      ['GET', '/admin/faults'],
      ['PUT', '/admin/faults/erp', { outage: true }],
      ['DELETE', '/admin/faults'],
      ['GET', '/admin/stats'],
      ['PUT', '/admin/erp/items', { items: [{ itemNo: 'ITM-1' }] }],
      ['PUT', '/admin/wms/subscription', { url: 'http://attacker.example/hooks', secret: 'stolen-secret' }],
      ['GET', '/admin/wms/subscription'],
      ['GET', '/admin/wms/events'],
    ];

    it('refuse every call without the admin token, or with a wrong one, as a 401 problem', async () => {
      for (const [method, path, body] of adminCalls) {
        for (const headers of [
          {} as Record<string, string>,
          { authorization: 'Bearer wrong-token-wrong-token-0' },
          { authorization: ADMIN_TOKEN },
        ]) {
          const res = await http.request<{ type: string; status: number }>(method, path, { body, headers });
          expect({ method, path, status: res.status, type: res.contentType }).toEqual({
            method,
            path,
            status: 401,
            type: expect.stringContaining('application/problem+json'),
          });
          expect(res.body.type).toMatch(/unauthorized$/);
        }
      }
      // Nothing changed: no fault set, no subscription moved.
      const faults = await http.request<{ erp: { outage: boolean } }>('GET', '/admin/faults', {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(faults.body.erp.outage).toBe(false);
      const subscription = await http.request<{ url: string | null }>('GET', '/admin/wms/subscription', {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(subscription.body.url).toBeNull();
    });

    it('accept the admin token', async () => {
      const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
      expect(
        (await http.request('PUT', '/admin/faults/wms', { body: { latencyMs: 1 }, headers })).status,
      ).toBe(200);
      expect((await http.request('DELETE', '/admin/faults', { headers })).status).toBe(200);
      expect(
        (await http.request('PUT', '/admin/erp/sites', { body: { sites: [{ siteCode: 'S-1' }] }, headers }))
          .status,
      ).toBe(200);
    });

    it('are off when the sandbox has no admin token', async () => {
      const closed = await start(env, {});
      const client = new HttpClient(urlOf(closed));
      try {
        const res = await client.request<{ detail: string }>('GET', '/admin/faults', {
          headers: { authorization: 'Bearer ' },
        });
        expect(res.status).toBe(401);
        expect(res.body.detail).toContain('set SANDBOX_ADMIN_TOKEN');
        // Native APIs without a configured credential still answer.
        expect((await client.request('GET', '/wms/api/inventory')).status).toBe(200);
      } finally {
        await client.close();
        await closed.close();
      }
    });
  });

  describe('native APIs', () => {
    it('the ERP wants a bearer token from the token endpoint (client credentials grant)', async () => {
      const refused = await http.request<{ error: string }>('GET', '/erp/api/v2/on-hand');
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: 'UNAUTHORIZED' });
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);

      const issued = await token();
      expect(issued.status).toBe(200);
      expect(issued.headers['cache-control']).toBe('no-store');
      expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 2 });
      const bearer = { authorization: `Bearer ${issued.body.access_token}` };
      expect((await http.request('GET', '/erp/api/v2/on-hand', { headers: bearer })).status).toBe(200);

      // A forged or altered token is refused.
      const forged = `${issued.body.access_token.split('.')[0]}.AAAA`;
      expect(
        (await http.request('GET', '/erp/api/v2/on-hand', { headers: { authorization: `Bearer ${forged}` } }))
          .status,
      ).toBe(401);
      // The token is no key to another backend.
      expect((await http.request('GET', '/wms/api/inventory', { headers: bearer })).status).toBe(401);
    });

    it('the token endpoint refuses a wrong secret or an unknown client, in the OAuth2 error format', async () => {
      for (const [user, secret] of [
        [ERP_CLIENT, 'wrong-secret-0123'],
        ['someone', ERP_SECRET],
        ['stockbridge', OMS_PASSWORD],
      ]) {
        const res = await token(user, secret);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ error: 'invalid_client' });
        expect(res.body.access_token).toBeUndefined();
      }
      // The client credentials in the body work too (client_secret_post).
      const post = await http.request<{ access_token: string }>('POST', '/oauth/token', {
        body: { grant_type: 'client_credentials', client_id: ERP_CLIENT, client_secret: ERP_SECRET },
      });
      expect(post.status).toBe(200);
      expect(post.body.access_token).toEqual(expect.any(String));
    });

    it('an ERP token stops working when it expires', async () => {
      const issued = await token();
      const bearer = { authorization: `Bearer ${issued.body.access_token}` };
      expect((await http.request('GET', '/erp/api/v2/on-hand', { headers: bearer })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2_100));
      expect((await http.request('GET', '/erp/api/v2/on-hand', { headers: bearer })).status).toBe(401);
    });

    it('the WMS wants its API key in its header, the OMS basic credentials; the marketplace none', async () => {
      expect((await http.request('GET', '/wms/api/inventory')).status).toBe(401);
      expect(
        (await http.request('GET', '/wms/api/inventory', { headers: { 'x-api-key': 'wrong-key-0123456' } }))
          .status,
      ).toBe(401);
      const wms = await http.request('GET', '/wms/api/inventory', { headers: { 'x-api-key': WMS_KEY } });
      expect(wms.status).toBe(200);

      const omsPath = '/oms/api/orders?orderRef=nothing';
      expect((await http.request('GET', omsPath)).status).toBe(401);
      expect(
        (
          await http.request('GET', omsPath, {
            headers: { authorization: basic('stockbridge', 'wrong-password') },
          })
        ).status,
      ).toBe(401);
      expect(
        (await http.request('GET', omsPath, { headers: { authorization: basic('other', OMS_PASSWORD) } }))
          .status,
      ).toBe(401);
      expect(
        (
          await http.request('GET', omsPath, {
            headers: { authorization: basic('stockbridge', OMS_PASSWORD) },
          })
        ).status,
      ).toBe(200);

      expect((await http.request('GET', '/sell/inventory/v1/inventory_item')).status).toBe(200);
    });

    it('counts the refused calls per backend, and a refused call has no side effect', async () => {
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const before = await http.request<{ oms: { unauthorized: number; orderCalls: number } }>(
        'GET',
        '/admin/stats',
        {
          headers: admin,
        },
      );
      const refused = await http.request('POST', '/oms/api/orders', {
        body: { orderRef: 'ORD-UNAUTH-1', channel: 'web', lines: [{ sku: 'SKU-1', quantity: 1 }] },
      });
      expect(refused.status).toBe(401);
      const after = await http.request<{ oms: { unauthorized: number; orderCalls: number } }>(
        'GET',
        '/admin/stats',
        {
          headers: admin,
        },
      );
      expect(after.body.oms.unauthorized).toBe(before.body.oms.unauthorized + 1);
      expect(after.body.oms.orderCalls).toBe(before.body.oms.orderCalls);
    });
  });

  it('refuses to boot with a malformed credential, without echoing its secret', () => {
    expect(() =>
      loadConfig(SandboxConfig, { DATABASE_URL: env.databaseUrl, SANDBOX_ERP_AUTH: 'oauth2:client:short' }),
    ).toThrow(/SANDBOX_ERP_AUTH: the secret must be at least 8 characters/);
    expect(() =>
      loadConfig(SandboxConfig, {
        DATABASE_URL: env.databaseUrl,
        SANDBOX_WMS_AUTH: 'kerberos:x:long-secret-1',
      }),
    ).toThrow(/SANDBOX_WMS_AUTH: the scheme must be api-key, basic or oauth2/);
    expect(() =>
      loadConfig(SandboxConfig, { DATABASE_URL: env.databaseUrl, SANDBOX_ADMIN_TOKEN: 'short' }),
    ).toThrow(/SANDBOX_ADMIN_TOKEN must be at least 16 characters/);
  });
});
