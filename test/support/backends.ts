import { randomBytes } from 'node:crypto';
import { loadConfig } from '@stockbridge/config';
import { ApiKeyAuth, type BackendAuth, BasicAuth, OAuth2ClientCredentials } from '@stockbridge/integration';
import { Mappings } from '@stockbridge/mapping';
import { DeadLetters, type QueueName, redisOptionsFromUrl } from '@stockbridge/messaging';
import { Queue } from 'bullmq';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { buildSandboxApp } from '../../apps/sandbox/src/app';
import { SandboxConfig } from '../../apps/sandbox/src/sandbox.config';
import { buildSystemErpApp } from '../../apps/system-erp/src/app';
import { SystemErpConfig } from '../../apps/system-erp/src/system-erp.config';
import { buildSystemOmsApp } from '../../apps/system-oms/src/app';
import { SystemOmsConfig } from '../../apps/system-oms/src/system-oms.config';
import { buildSystemWmsApp } from '../../apps/system-wms/src/app';
import { SystemWmsConfig } from '../../apps/system-wms/src/system-wms.config';
import { HttpClient, type HttpResult } from './http';
import type { Db } from '@stockbridge/persistence';
import { type RunningApp, urlOf } from './platform';

/** What the backends need of the platform beside them (a TestPlatform, or a hand-made one in chaos tests). */
export interface PlatformHandle {
  db: Db;
  baseEnv(): Record<string, string>;
}

export interface BackendsOptions {
  /** Extra environment for the system apps (e.g. a short BACKEND_HALF_OPEN_AFTER_MS). */
  systemEnv?: Record<string, string>;
  /** Where system-erp reaches the ERP (e.g. through a proxy); the sandbox by default. */
  erpUrl?: string;
  /** Extra environment of one system app (e.g. a wrong BACKEND_CLIENT_SECRET). */
  erpEnv?: Record<string, string>;
  wmsEnv?: Record<string, string>;
  omsEnv?: Record<string, string>;
}

/**
 * Fresh credentials per Backends, configured on both sides as in `npm start`: the ERP's native API takes
 * OAuth2 client credentials (the sandbox's token endpoint), the WMS's an API key, the OMS's HTTP basic.
 */
export class BackendCredentials {
  readonly adminToken = randomBytes(24).toString('hex');
  readonly erpClientId = 'stockbridge-erp';
  readonly erpClientSecret = randomBytes(24).toString('hex');
  readonly wmsApiKey = randomBytes(24).toString('hex');
  readonly omsUser = 'stockbridge';
  readonly omsPassword = randomBytes(24).toString('hex');

  sandboxEnv(): Record<string, string> {
    return {
      SANDBOX_ADMIN_TOKEN: this.adminToken,
      SANDBOX_ERP_AUTH: `oauth2:${this.erpClientId}:${this.erpClientSecret}`,
      SANDBOX_WMS_AUTH: `api-key:X-Api-Key:${this.wmsApiKey}`,
      SANDBOX_OMS_AUTH: `basic:${this.omsUser}:${this.omsPassword}`,
    };
  }

  erpEnv(sandboxUrl: string): Record<string, string> {
    return {
      BACKEND_AUTH: 'oauth2',
      BACKEND_TOKEN_URL: `${sandboxUrl}/oauth/token`,
      BACKEND_TOKEN_REQUEST: 'json',
      BACKEND_CLIENT_ID: this.erpClientId,
      BACKEND_CLIENT_SECRET: this.erpClientSecret,
    };
  }

  wmsEnv(): Record<string, string> {
    return { BACKEND_AUTH: 'api-key', BACKEND_API_KEY_HEADER: 'X-Api-Key', BACKEND_API_KEY: this.wmsApiKey };
  }

  omsEnv(): Record<string, string> {
    return { BACKEND_AUTH: 'basic', BACKEND_USERNAME: this.omsUser, BACKEND_PASSWORD: this.omsPassword };
  }
}

/**
 * A client of the sandbox that presents what each route needs, as the platform's callers do: the admin token
 * on /admin, each native API's own credential on its routes.
 */
export class SandboxClient extends HttpClient {
  private readonly native: Record<string, BackendAuth>;

  constructor(
    baseUrl: string,
    private readonly credentials: BackendCredentials,
  ) {
    super(baseUrl);
    this.native = {
      '/erp/': new OAuth2ClientCredentials('erp', {
        tokenUrl: `${baseUrl}/oauth/token`,
        clientId: credentials.erpClientId,
        clientSecret: credentials.erpClientSecret,
        requestFormat: 'json',
      }),
      '/wms/': new ApiKeyAuth('X-Api-Key', credentials.wmsApiKey),
      '/oms/': new BasicAuth(credentials.omsUser, credentials.omsPassword),
    };
  }

  override async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const native = Object.entries(this.native).find(([prefix]) => path.startsWith(prefix))?.[1];
    const auth = path.startsWith('/admin/')
      ? { authorization: `Bearer ${this.credentials.adminToken}` }
      : native
        ? await native.headers()
        : {};
    return super.request<T>(method, path, { ...options, headers: { ...auth, ...options.headers } });
  }

  override async close(): Promise<void> {
    await super.close();
    for (const auth of Object.values(this.native)) await auth.close?.();
  }
}

/**
 * The sandbox backends and the three system apps beside a TestPlatform, on the same database and Redis
 * prefix, wired as in production: the sandbox WMS pushes signed webhooks to system-wms, system-erp and
 * system-oms call the sandbox over HTTP.
 */
export class Backends {
  sandbox!: RunningApp;
  erp!: RunningApp;
  wms!: RunningApp;
  oms!: RunningApp;
  ops!: RunningApp;
  /** The ops API as the operator "tester". */
  opsHttp!: HttpClient;
  /** The sandbox with the admin token on /admin and each native API's credential on its routes. */
  sandboxHttp!: SandboxClient;
  readonly credentials = new BackendCredentials();
  mappings!: Mappings;
  deadLetters!: DeadLetters;
  readonly webhookSecret = randomBytes(24).toString('hex');
  readonly opsToken = randomBytes(16).toString('hex');
  private readonly queues = new Map<string, Queue>();

  private constructor(readonly platform: PlatformHandle) {}

  static async start(platform: PlatformHandle, options: BackendsOptions = {}): Promise<Backends> {
    const b = new Backends(platform);
    try {
      await b.boot(options);
    } catch (err) {
      await b.stop().catch(() => undefined);
      throw err;
    }
    return b;
  }

  private async boot(options: BackendsOptions): Promise<void> {
    const env = this.platform.baseEnv();
    this.mappings = new Mappings(this.platform.db, 0);
    this.deadLetters = new DeadLetters(this.platform.db);
    const c = this.credentials;
    this.sandbox = await listen(
      await buildSandboxApp(loadConfig(SandboxConfig, { ...env, ...c.sandboxEnv() }), { quiet: true }),
    );
    this.sandboxHttp = new SandboxClient(this.sandbox.url, c);
    const systemEnv = {
      ...env,
      BACKEND_URL: this.sandbox.url,
      BACKEND_TIMEOUT_MS: '2000',
      BACKEND_HALF_OPEN_AFTER_MS: '1000',
      ...options.systemEnv,
    };
    this.erp = await listen(
      await buildSystemErpApp(
        loadConfig(SystemErpConfig, {
          ...systemEnv,
          ...c.erpEnv(this.sandbox.url),
          BACKEND_URL: options.erpUrl ?? this.sandbox.url,
          ...options.erpEnv,
        }),
      ),
    );
    this.oms = await listen(
      await buildSystemOmsApp(
        loadConfig(SystemOmsConfig, { ...systemEnv, ...c.omsEnv(), ...options.omsEnv }),
      ),
    );
    this.wms = await listen(
      await buildSystemWmsApp(
        loadConfig(SystemWmsConfig, {
          ...systemEnv,
          ...c.wmsEnv(),
          WMS_WEBHOOK_SECRETS: this.webhookSecret,
          ...options.wmsEnv,
        }),
      ),
    );
    this.ops = await listen(
      await buildOpsApp(loadConfig(OpsConfig, { ...env, OPS_ADMIN_TOKENS: `tester:${this.opsToken}` })),
    );
    this.opsHttp = new HttpClient(this.ops.url, { authorization: `Bearer ${this.opsToken}` });
    await this.sandboxCall('PUT', '/admin/wms/subscription', {
      url: `${this.wms.url}/v1/webhooks/wms`,
      secret: this.webhookSecret,
    });
  }

  /** Declares SKUs and locations in the sandbox ERP and maps them for the ERP and the WMS. */
  async catalog(spec: { skus: string[]; locations: string[] }): Promise<void> {
    const item = (sku: string) => `ITM-${sku}`;
    const site = (loc: string) => `S-${loc}`;
    await this.sandboxCall('PUT', '/admin/erp/items', {
      items: spec.skus.map((s) => ({ itemNo: item(s), caseQty: 12 })),
    });
    await this.sandboxCall('PUT', '/admin/erp/sites', {
      sites: spec.locations.map((l) => ({ siteCode: site(l) })),
    });
    await this.mappings.putXrefs('sku', [
      ...spec.skus.map((sku) => ({ system: 'erp', externalCode: item(sku), code: sku })),
      ...spec.skus.map((sku) => ({ system: 'wms', externalCode: `W-${sku}`, code: sku })),
    ]);
    await this.mappings.putXrefs('location', [
      ...spec.locations.map((l) => ({ system: 'erp', externalCode: site(l), code: l })),
      ...spec.locations.map((l) => ({ system: 'wms', externalCode: `DC-${l}`, code: l })),
    ]);
    await this.mappings.putUoms([{ system: 'wms', uom: 'CS', sku: '*', factor: 12 }]);
  }

  async sandboxCall<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.sandboxHttp.request<T>(method, path, body === undefined ? {} : { body });
    if (res.status >= 300)
      throw new Error(`sandbox ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Enters a WMS operation in the sandbox (it then pushes the signed webhook). */
  async wmsOperation(
    kind: 'receipts' | 'shipments' | 'adjustments' | 'cycle-counts' | 'transfers' | 'picks',
    body: object,
  ) {
    return this.sandboxCall<{ eventId: string; seq: number }>('POST', `/wms/api/${kind}`, body);
  }

  async stats(): Promise<{
    erp: {
      commitmentCalls: number;
      commitmentsCreated: number;
      commitmentDuplicates: number;
      rejected: number;
    };
    oms: { orderCalls: number; ordersCreated: number; orderDuplicates: number };
    wms: { eventsCreated: number; deliveriesSucceeded: number };
  }> {
    return this.sandboxCall('GET', '/admin/stats');
  }

  /** A BullMQ handle on one of the platform's queues, for counts. */
  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const env = this.platform.baseEnv();
      q = new Queue(name, { connection: redisOptionsFromUrl(env.REDIS_URL), prefix: `${env.REDIS_PREFIX}q` });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  async stop(): Promise<void> {
    for (const q of this.queues.values()) await q.close();
    await this.sandboxHttp?.close();
    await this.opsHttp?.close();
    for (const a of [this.ops, this.wms, this.oms, this.erp, this.sandbox]) await a?.app.close();
  }
}

async function listen(app: RunningApp['app']): Promise<RunningApp> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: urlOf(app) };
}
