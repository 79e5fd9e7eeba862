import { loadConfig } from '@stockbridge/config';
import type { OrderView } from '@stockbridge/orders';
import { buildProcessAllocationApp } from '../../apps/process-allocation/src/app';
import { ProcessAllocationConfig } from '../../apps/process-allocation/src/process-allocation.config';
import { buildProcessReturnsApp } from '../../apps/process-returns/src/app';
import { ProcessReturnsConfig } from '../../apps/process-returns/src/process-returns.config';
import { buildStorefrontApp } from '../../apps/experience-storefront/src/app';
import { StorefrontConfig } from '../../apps/experience-storefront/src/storefront.config';
import { HttpClient } from './http';
import { type RunningApp, type TestPlatform, urlOf } from './platform';

/**
 * The order workflows' apps on top of a TestPlatform: process-allocation, process-returns and a storefront that
 * reads orders from process-allocation.
 */
export class OrderApps {
  allocation!: RunningApp;
  returns!: RunningApp;
  /** process-returns' API with the service token. */
  returnsHttp!: HttpClient;
  storefront!: RunningApp;
  /** process-allocation's API with the service token. */
  http!: HttpClient;

  private constructor(private readonly platform: TestPlatform) {}

  static async start(platform: TestPlatform, env: Record<string, string> = {}): Promise<OrderApps> {
    const apps = new OrderApps(platform);
    try {
      const allocation = await buildProcessAllocationApp(
        loadConfig(ProcessAllocationConfig, { ...platform.baseEnv(), OUTBOX_POLL_MS: '200', ...env }),
      );
      await allocation.listen({ port: 0, host: '127.0.0.1' });
      apps.allocation = { app: allocation, url: urlOf(allocation) };
      apps.http = new HttpClient(apps.allocation.url, { authorization: `Bearer ${platform.serviceToken}` });
      const returns = await buildProcessReturnsApp(loadConfig(ProcessReturnsConfig, platform.baseEnv()));
      await returns.listen({ port: 0, host: '127.0.0.1' });
      apps.returns = { app: returns, url: urlOf(returns) };
      apps.returnsHttp = new HttpClient(apps.returns.url, {
        authorization: `Bearer ${platform.serviceToken}`,
      });
      const storefront = await buildStorefrontApp(
        loadConfig(StorefrontConfig, {
          ...platform.baseEnv(),
          PROCESS_RESERVATIONS_URL: platform.processUrl,
          PROCESS_ALLOCATION_URL: apps.allocation.url,
          API_KEY_CACHE_MS: '0',
        }),
      );
      await storefront.listen({ port: 0, host: '127.0.0.1' });
      apps.storefront = { app: storefront, url: urlOf(storefront) };
    } catch (err) {
      await apps.stop().catch(() => undefined);
      throw err;
    }
    return apps;
  }

  /** The order as process-allocation shows it. */
  async order(id: string): Promise<OrderSnapshot> {
    const res = await this.http.request<OrderSnapshot>('GET', `/v1/orders/${id}`);
    if (res.status !== 200) throw new Error(`GET /v1/orders/${id} answered ${res.status}: ${res.text}`);
    return res.body;
  }

  async stop(): Promise<void> {
    await this.http?.close();
    await this.returnsHttp?.close();
    await this.storefront?.app.close();
    await this.returns?.app.close();
    await this.allocation?.app.close();
  }
}

/** The order as process-allocation's API returns it. */
export type OrderSnapshot = OrderView;
