import { loadConfig } from '@stockbridge/config';
import { buildSystemErpApp } from '../../apps/system-erp/src/app';
import { SystemErpConfig } from '../../apps/system-erp/src/system-erp.config';
import { Backends } from '../support/backends';
import { eventually, HttpClient } from '../support/http';
import { TestPlatform, urlOf } from '../support/platform';

interface Stats {
  erp: { unauthorized: number; commitmentCalls: number };
  wms: { unauthorized: number };
  oms: { unauthorized: number; orderCalls: number };
}

/**
 * The system apps authenticate to their backends as configured (ERP: OAuth2 client credentials, WMS: API key,
 * OMS: basic), and the sandbox checks it. A refused credential pauses the work toward that backend, dead-letters
 * nothing, and the work goes through once the credential is fixed.
 */
describe('backend credentials', () => {
  const seed = {
    locations: [{ code: 'WH-1' }],
    skus: ['C-1'],
    channels: [{ code: 'web', pool: ['WH-1'] }],
    stock: [{ sku: 'C-1', location: 'WH-1', onHand: 100 }],
  };

  describe('configured right', () => {
    let platform: TestPlatform;
    let backends: Backends;
    let web: HttpClient;

    beforeAll(async () => {
      platform = await TestPlatform.start('backendauth');
      await platform.seed(seed);
      backends = await Backends.start(platform);
      await backends.catalog({ skus: ['C-1'], locations: ['WH-1'] });
      web = new HttpClient(platform.storefront.url, {
        authorization: `Bearer ${await platform.apiKey('web')}`,
      });
    });

    afterAll(async () => {
      await web?.close();
      await backends?.stop();
      await platform?.stop();
    });

    it("reach the ERP (OAuth2 token), the OMS (basic) and the WMS (API key) with each one's credential", async () => {
      const r = await web.reserve([{ sku: 'C-1', quantity: 1 }]);
      const id = (r.body as { id: string }).id;
      expect((await web.request('POST', `/v1/reservations/${id}/confirm`)).status).toBe(200);
      const stats = await eventually(
        () => backends.stats() as unknown as Promise<Stats>,
        (s) => s.erp.commitmentCalls === 1 && s.oms.orderCalls === 1,
        15_000,
        50,
      );
      for (const system of [backends.erp, backends.wms]) {
        const onHand = new HttpClient(system.url, { authorization: `Bearer ${platform.serviceToken}` });
        try {
          expect((await onHand.request('GET', '/v1/on-hand')).status).toBe(200);
        } finally {
          await onHand.close();
        }
      }
      const after = (await backends.stats()) as unknown as Stats;
      // Not one call of ours was refused.
      expect([after.erp.unauthorized, after.wms.unauthorized, after.oms.unauthorized]).toEqual([0, 0, 0]);
      expect(stats.erp.commitmentCalls).toBe(1);
    });
  });

  describe('configured wrong', () => {
    let platform: TestPlatform;
    let backends: Backends;
    let web: HttpClient;

    beforeAll(async () => {
      platform = await TestPlatform.start('backendauthbad');
      await platform.seed(seed);
      backends = await Backends.start(platform, {
        systemEnv: { BACKEND_CREDENTIALS_RETRY_MS: '1000' },
        erpEnv: { BACKEND_CLIENT_SECRET: 'not-the-erp-client-secret' },
        omsEnv: { BACKEND_PASSWORD: 'not-the-oms-password' },
        wmsEnv: { BACKEND_API_KEY: 'not-the-wms-api-key' },
      });
      await backends.catalog({ skus: ['C-1'], locations: ['WH-1'] });
      web = new HttpClient(platform.storefront.url, {
        authorization: `Bearer ${await platform.apiKey('web')}`,
      });
    });

    afterAll(async () => {
      await web?.close();
      await backends?.stop();
      await platform?.stop();
    });

    it('is refused by the backend (401); the work pauses, nothing is dead-lettered, and it goes through once fixed', async () => {
      const r = await web.reserve([{ sku: 'C-1', quantity: 1 }]);
      const id = (r.body as { id: string }).id;
      expect((await web.request('POST', `/v1/reservations/${id}/confirm`)).status).toBe(200);

      // The OMS refuses our basic credentials (its native 401), again and again: the job waits, it is not failed.
      await eventually(
        () => backends.stats() as unknown as Promise<Stats>,
        (s) => s.oms.unauthorized >= 2,
        15_000,
        50,
      );
      const stats = (await backends.stats()) as unknown as Stats;
      expect(stats.oms.orderCalls).toBe(0);
      expect(stats.erp.commitmentCalls).toBe(0);
      const open = await backends.deadLetters.list({ status: 'open' });
      expect(open.items).toEqual([]);
      const counts = await backends.queue('erp.commitments').getJobCounts('failed', 'completed');
      expect(counts).toEqual({ failed: 0, completed: 0 });

      // On-hand queries answer a 503 problem (the backend is unavailable to us), not a 422 or a 500.
      for (const system of [backends.erp, backends.wms]) {
        const onHand = new HttpClient(system.url, { authorization: `Bearer ${platform.serviceToken}` });
        try {
          const res = await onHand.request<{ type: string; detail: string }>('GET', '/v1/on-hand');
          expect(res.status).toBe(503);
          expect(res.contentType).toContain('application/problem+json');
          expect(res.body.detail).toContain('refused our credentials');
          // The secret never leaves in an answer.
          expect(res.text).not.toMatch(/not-the-(erp-client-secret|wms-api-key)/);
        } finally {
          await onHand.close();
        }
      }
      expect(((await backends.stats()) as unknown as Stats).wms.unauthorized).toBeGreaterThan(0);

      // The operator fixes the ERP's credential (a restart with the right secret): the waiting commitment lands.
      await backends.erp.app.close();
      const fixed = await buildSystemErpApp(
        loadConfig(SystemErpConfig, {
          ...platform.baseEnv(),
          BACKEND_URL: backends.sandbox.url,
          BACKEND_TIMEOUT_MS: '2000',
          ...backends.credentials.erpEnv(backends.sandbox.url),
        }),
      );
      await fixed.listen({ port: 0, host: '127.0.0.1' });
      backends.erp = { app: fixed, url: urlOf(fixed) };
      await eventually(
        async () =>
          (
            await backends.sandboxCall<{ totalItems: number }>(
              'GET',
              `/erp/api/v2/commitments?externalRef=${id}`,
            )
          ).totalItems,
        (n) => n === 1,
        15_000,
        100,
      );
      expect((await backends.deadLetters.list({ status: 'open' })).items).toEqual([]);
    });
  });
});
