import { randomBytes } from 'node:crypto';
import type { ChannelPolicy } from '@stockbridge/canonical';
import { loadConfig } from '@stockbridge/config';
import { buildMarketplaceApp } from '../../apps/experience-marketplace/src/app';
import { MarketplaceConfig } from '../../apps/experience-marketplace/src/marketplace.config';
import { buildSandboxApp } from '../../apps/sandbox/src/app';
import { SandboxConfig } from '../../apps/sandbox/src/sandbox.config';
import { HttpClient } from '../support/http';
import { type RunningApp, TestPlatform, urlOf } from '../support/platform';

export const CHANNEL = 'marketplace';
export const LOCATIONS = ['WH-EAST', 'WH-WEST'];

export interface HarnessOptions {
  /** How many SKUs (`MK-00000`…). */
  skus: number;
  /** On hand per SKU at each location. */
  onHand?: number;
  policy?: Partial<ChannelPolicy>;
  /** SKUs the marketplace does not list (their updates are refused, 404). */
  unlisted?: string[];
  /** Extra settings of the marketplace app. */
  appEnv?: Record<string, string>;
  /** Start the marketplace app in this process (default); false leaves it to the test (a child process). */
  inProcess?: boolean;
  /** Extra settings of process-reservations (a bigger pool for a burst). */
  processEnv?: Record<string, string>;
}

export interface OutboundStatus {
  leading: boolean;
  pending: number;
  refused: number;
  listings: number;
  oldestPendingSeconds: number;
}

export interface MarketplaceStats {
  inventoryCalls: number;
  rateLimited: number;
  bulkUpdateCalls: number;
  skuUpdatesApplied: number;
  skuUpdatesRejected: number;
  faulted: number;
}

/**
 * The marketplace channel end to end: the platform (process-reservations and its read-model publisher), the
 * sandbox's eBay-shaped marketplace (OAuth2 client credentials, its Inventory API call limit), and
 * experience-marketplace between them, over HTTP, PostgreSQL and Redis.
 */
export class MarketplaceHarness {
  platform!: TestPlatform;
  sandbox!: RunningApp;
  app?: RunningApp;
  /** The sandbox's admin API. */
  admin!: HttpClient;
  /** process-reservations with the service token. */
  process!: HttpClient;
  readonly skus: string[];
  private readonly adminToken = randomBytes(24).toString('hex');
  private readonly clientId = 'stockbridge-marketplace';
  private readonly clientSecret = randomBytes(24).toString('hex');
  private events = 0;

  private constructor(private readonly options: HarnessOptions) {
    this.skus = Array.from({ length: options.skus }, (_, i) => `MK-${String(i).padStart(5, '0')}`);
  }

  static async start(label: string, options: HarnessOptions): Promise<MarketplaceHarness> {
    const h = new MarketplaceHarness(options);
    try {
      await h.boot(label);
    } catch (err) {
      await h.stop().catch(() => undefined);
      throw err;
    }
    return h;
  }

  private async boot(label: string): Promise<void> {
    this.platform = await TestPlatform.start(label, { processEnv: this.options.processEnv });
    const onHand = this.options.onHand ?? 100;
    await this.platform.seed({
      locations: LOCATIONS.map((code) => ({ code })),
      skus: this.skus,
      channels: [{ code: CHANNEL, pool: LOCATIONS, policy: this.options.policy }],
      stock: this.skus.flatMap((sku) => LOCATIONS.map((location) => ({ sku, location, onHand }))),
    });
    this.process = new HttpClient(this.platform.processUrl, {
      authorization: `Bearer ${this.platform.serviceToken}`,
    });
    const sandbox = await buildSandboxApp(
      loadConfig(SandboxConfig, {
        ...this.platform.baseEnv(),
        SANDBOX_ADMIN_TOKEN: this.adminToken,
        SANDBOX_MARKETPLACE_AUTH: `oauth2:${this.clientId}:${this.clientSecret}`,
      }),
      { quiet: true },
    );
    await sandbox.listen({ port: 0, host: '127.0.0.1' });
    this.sandbox = { app: sandbox, url: urlOf(sandbox) };
    this.admin = new HttpClient(this.sandbox.url, { authorization: `Bearer ${this.adminToken}` });
    const unlisted = new Set(this.options.unlisted ?? []);
    await this.list(this.skus.filter((s) => !unlisted.has(s)));
    if (this.options.inProcess !== false) await this.startApp();
  }

  /** Creates (or resets) listings on the marketplace with quantity 0, as a seller's catalog upload would. */
  async list(skus: string[], quantity = 0): Promise<void> {
    if (skus.length === 0) return;
    const res = await this.admin.request('POST', '/admin/marketplace/inventory-items', {
      body: { inventoryItems: skus.map((sku) => ({ sku, quantity })) },
    });
    if (res.status >= 300) throw new Error(`seeding the marketplace answered ${res.status}: ${res.text}`);
  }

  /** The marketplace app's environment, for an in-process app or a child process. */
  appEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...this.platform.baseEnv(),
      MARKETPLACE_URL: this.sandbox.url,
      MARKETPLACE_AUTH: 'oauth2',
      MARKETPLACE_TOKEN_URL: `${this.sandbox.url}/oauth/token`,
      MARKETPLACE_TOKEN_REQUEST: 'json',
      MARKETPLACE_CLIENT_ID: this.clientId,
      MARKETPLACE_CLIENT_SECRET: this.clientSecret,
      MARKETPLACE_RESYNC_INTERVAL_SECONDS: '0',
      MARKETPLACE_IDLE_MS: '200',
      MARKETPLACE_BACKOFF_MS: '200',
      MARKETPLACE_BACKOFF_MAX_MS: '2000',
      MARKETPLACE_LEADER_RETRY_MS: '500',
      ...this.options.appEnv,
      ...extra,
    };
  }

  async startApp(extra: Record<string, string> = {}): Promise<RunningApp> {
    const app = await buildMarketplaceApp(loadConfig(MarketplaceConfig, this.appEnv(extra)), { quiet: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    this.app = { app, url: urlOf(app) };
    return this.app;
  }

  async stopApp(): Promise<void> {
    await this.app?.app.close();
    this.app = undefined;
  }

  /** The marketplace app's own API with the service token. */
  appClient(url = this.app!.url): HttpClient {
    return new HttpClient(url, { authorization: `Bearer ${this.platform.serviceToken}` }, 4);
  }

  /** A stock movement reported as a source system would, through process-reservations' API. */
  async movement(
    sku: string,
    kind: 'adjust' | 'count' | 'receive',
    quantity: number,
    location = LOCATIONS[0],
  ): Promise<void> {
    const res = await this.process.request('POST', '/v1/movements', {
      body: { kind, sku, location, quantity, sourceSystem: 'wms', sourceEventId: `mk-${this.events++}` },
    });
    if (res.status !== 201) throw new Error(`movement answered ${res.status}: ${res.text}`);
  }

  /** Every listing's quantity on the marketplace (read from its store, so as not to spend its rate budget). */
  async listings(): Promise<Map<string, number>> {
    const res = await this.platform.db.query<{ sku: string; quantity: number }>(
      'SELECT sku, quantity FROM sandbox_marketplace.inventory_items',
    );
    return new Map(res.rows.map((r) => [r.sku, r.quantity]));
  }

  /** The channel's availability of every SKU, computed from the ledger now. */
  async availability(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < this.skus.length; i += 100) {
      const query = this.skus
        .slice(i, i + 100)
        .map((s) => `sku=${s}`)
        .join('&');
      const res = await this.process.request<{ items: { sku: string; available: number }[] }>(
        'GET',
        `/v1/channels/${CHANNEL}/availability?${query}`,
      );
      if (res.status !== 200) throw new Error(`availability answered ${res.status}: ${res.text}`);
      for (const item of res.body.items) out.set(item.sku, item.available);
    }
    return out;
  }

  /** SKUs whose listing differs from the channel's availability (unlisted ones excepted). */
  async differences(): Promise<{ sku: string; listed: number | undefined; available: number }[]> {
    const [listed, available] = await Promise.all([this.listings(), this.availability()]);
    const unlisted = new Set(this.options.unlisted ?? []);
    return [...available]
      .filter(([sku, n]) => !unlisted.has(sku) && listed.get(sku) !== n)
      .map(([sku, n]) => ({ sku, listed: listed.get(sku), available: n }));
  }

  /** Waits until every listing equals the channel's availability; answers the time it took (ms). */
  async converged(timeoutMs: number, url?: string): Promise<number> {
    const started = Date.now();
    let last: unknown[] = [];
    while (Date.now() - started < timeoutMs) {
      last = await this.differences();
      if (last.length === 0 && (await this.status(url)).pending === 0) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(
      `not converged within ${timeoutMs} ms: ${JSON.stringify(last.slice(0, 5))} (${last.length} differ)`,
    );
  }

  async status(url?: string): Promise<OutboundStatus> {
    const client = this.appClient(url);
    try {
      const res = await client.request<OutboundStatus>('GET', '/v1/marketplace/status');
      if (res.status !== 200) throw new Error(`status answered ${res.status}: ${res.text}`);
      return res.body;
    } finally {
      await client.close();
    }
  }

  async stats(): Promise<MarketplaceStats> {
    const res = await this.admin.request<{ marketplace: MarketplaceStats }>('GET', '/admin/stats');
    return res.body.marketplace;
  }

  async faults(patch: Record<string, unknown>): Promise<void> {
    const res = await this.admin.request('PUT', '/admin/faults/marketplace', { body: patch });
    if (res.status >= 300) throw new Error(`faults answered ${res.status}: ${res.text}`);
  }

  async stop(): Promise<void> {
    await this.app?.app.close();
    await this.admin?.close();
    await this.process?.close();
    await this.sandbox?.app.close();
    await this.platform?.stop();
  }
}
