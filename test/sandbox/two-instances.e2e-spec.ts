import type { AddressInfo } from 'node:net';
import { loadConfig } from '@stockbridge/config';
import { buildSandboxApp } from '../../apps/sandbox/src/app';
import { SandboxConfig } from '../../apps/sandbox/src/sandbox.config';
import type { TestEnvironment } from '../support/environment';
import { eventually, HttpClient } from '../support/http';
import { ADMIN, ADMIN_TOKEN, SECRET, useSandbox } from './harness';

describe('sandbox backends', () => {
  const sandbox = useSandbox('sandbox_two_instances');
  const { inventory, wmsEvents, receiver } = sandbox;
  let env: TestEnvironment;
  let api: HttpClient;
  let receiverUrl: string;

  beforeAll(() => {
    ({ env, api, receiverUrl } = sandbox);
  });

  describe('two instances on one database', () => {
    it('start side by side, take faults and the subscription from the environment, and deliver each event once', async () => {
      await eventually(
        () => wmsEvents('?delivered=false'),
        (e) => e.length === 0,
      );
      const second = await buildSandboxApp(
        loadConfig(SandboxConfig, {
          DATABASE_URL: env.databaseUrl,
          LOG_LEVEL: 'silent',
          SANDBOX_FAULTS: JSON.stringify({ marketplace: { outage: true, retryAfterSeconds: 3 } }),
          SANDBOX_WMS_WEBHOOK_URL: receiverUrl,
          SANDBOX_WMS_WEBHOOK_SECRET: SECRET,
          SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
        }),
        { quiet: true },
      );
      await second.listen({ port: 0, host: '127.0.0.1' });
      const other = new HttpClient(
        `http://127.0.0.1:${(second.getHttpServer().address() as AddressInfo).port}`,
        ADMIN,
        16,
      );
      try {
        const faults = await other.request<Record<string, { outage: boolean; retryAfterSeconds: number }>>(
          'GET',
          '/admin/faults',
        );
        expect(faults.body.marketplace).toMatchObject({ outage: true, retryAfterSeconds: 3 });
        expect((await other.request('GET', '/sell/inventory/v1/inventory_item')).status).toBe(503);
        expect((await api.request('GET', '/sell/inventory/v1/inventory_item')).status).toBe(200);

        const clients = [api, other];
        const created = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            clients[i % 2].request<{ eventId: string }>('POST', '/wms/api/receipts', {
              body: { warehouse: 'DC9', itemCode: `TWIN-${i % 5}`, qty: 1, uom: 'EA' },
            }),
          ),
        );
        expect(created.every((r) => r.status === 201)).toBe(true);
        const ids = created.map((r) => r.body.eventId);
        await eventually(
          async () => ids.map((id) => receiver.of(id).length),
          (counts) => counts.every((n) => n >= 1),
          10_000,
        );
        // Give a duplicate send the time to show up before counting.
        await new Promise((r) => setTimeout(r, 600));
        expect(ids.map((id) => receiver.of(id).length)).toEqual(ids.map(() => 1));
        const stock = await inventory('DC9');
        expect(stock.reduce((sum, row) => sum + row.qtyEach, 0)).toBe(40);
      } finally {
        await other.close();
        await second.close();
      }
    });
  });
});
