import { randomBytes } from 'node:crypto';
import { loadConfig } from '@stockbridge/config';
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
import { HttpClient } from './http';
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
  sandboxHttp!: HttpClient;
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
    this.sandbox = await listen(
      await buildSandboxApp(loadConfig(SandboxConfig, { ...env }), { quiet: true }),
    );
    this.sandboxHttp = new HttpClient(this.sandbox.url);
    const systemEnv = {
      ...env,
      BACKEND_URL: this.sandbox.url,
      BACKEND_TIMEOUT_MS: '2000',
      BACKEND_HALF_OPEN_AFTER_MS: '1000',
      ...options.systemEnv,
    };
    this.erp = await listen(
      await buildSystemErpApp(
        loadConfig(SystemErpConfig, { ...systemEnv, BACKEND_URL: options.erpUrl ?? this.sandbox.url }),
      ),
    );
    this.oms = await listen(await buildSystemOmsApp(loadConfig(SystemOmsConfig, systemEnv)));
    this.wms = await listen(
      await buildSystemWmsApp(
        loadConfig(SystemWmsConfig, { ...systemEnv, WMS_WEBHOOK_SECRETS: this.webhookSecret }),
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
