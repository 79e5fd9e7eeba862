import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import { buildSandboxApp } from '../../apps/sandbox/src/app';
import { SandboxConfig } from '../../apps/sandbox/src/sandbox.config';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { HttpClient } from '../support/http';

/** A page of a native ERP, WMS or OMS list. */
export interface Page<T> {
  page: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
  items: T[];
}

/** The counters of GET /admin/stats that the backend tests read. */
export interface Stats {
  erp: {
    commitmentCalls: number;
    commitmentsCreated: number;
    commitmentDuplicates: number;
    rejected: number;
    journalEntryCalls: number;
    journalEntriesCreated: number;
    journalEntryDuplicates: number;
    journalEntriesRejected: number;
    throttled: number;
    faulted: number;
  };
  oms: { orderCalls: number; ordersCreated: number; orderDuplicates: number; faulted: number };
  wms: {
    eventsCreated: number;
    deliveryAttempts: number;
    deliveriesSucceeded: number;
    deliveriesFailed: number;
    outboundOrders: number;
    faulted: number;
  };
  marketplace: { skuUpdatesApplied: number; faulted: number };
}

/** One WMS event as GET /admin/wms/events lists it. */
export interface WmsEventSummary {
  seq: number;
  eventId: string;
  eventType: string;
  deliveredAt: string | null;
  attempts: number;
  lastError: string | null;
}

/** One webhook request the receiver got, with the status it answered. */
export interface Hook {
  headers: IncomingHttpHeaders;
  raw: string;
  at: number;
  answered: number;
}

/** The secret the WMS webhooks are signed with. */
export const SECRET = 'whsec-sandbox-e2e';
/** The admin token of every sandbox these tests start. */
export const ADMIN_TOKEN = 'sandbox-e2e-admin-token-0123456789';
/** The headers that open the sandbox's /admin routes. */
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A tiny webhook receiver: records every request and answers 500 while `failNext` lasts. */
export class Receiver {
  readonly hooks: Hook[] = [];
  failNext = 0;
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answered = this.failNext > 0 ? 500 : 204;
        if (this.failNext > 0) this.failNext--;
        this.hooks.push({
          headers: req.headers,
          raw: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
          answered,
        });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/wms`;
  }

  of(eventId: string): Hook[] {
    return this.hooks.filter((h) => h.headers['x-wms-event-id'] === eventId);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Checks X-Wms-Signature as a receiver would: HMAC-SHA256 over "<t>.<raw body>". */
export function verifySignature(hook: Hook, secret: string): boolean {
  const header = String(hook.headers['x-wms-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${hook.raw}`).digest();
  return (
    timingSafeEqual(expected, Buffer.from(match[2], 'hex')) &&
    Math.abs(Date.now() / 1000 - Number(match[1])) < 60
  );
}

/**
 * Starts a sandbox on the database of `env`, silent, with ADMIN_TOKEN and the `extra` environment, listening
 * on a free port of 127.0.0.1.
 */
export async function startSandbox(
  env: TestEnvironment,
  extra: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await buildSandboxApp(
    loadConfig(SandboxConfig, {
      DATABASE_URL: env.databaseUrl,
      LOG_LEVEL: 'silent',
      SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
      ...extra,
    }),
    { quiet: true },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

/** How useSandbox starts its sandbox. */
export interface SandboxOptions {
  /** Environment of the sandbox beside the database, the log level and the admin token. */
  env?: Record<string, string>;
  /** Subscribes the receiver to the WMS webhooks (with SECRET) once the sandbox is up. */
  subscribe?: boolean;
}

/**
 * One test file's sandbox: its own database, the app on a free port, an admin client and a webhook receiver.
 * The fields are set by the `beforeAll` of useSandbox; the helpers can be taken apart before that.
 */
export class SandboxHarness {
  env: TestEnvironment;
  app: NestFastifyApplication;
  /** A client with the admin token, 32 connections. */
  api: HttpClient;
  baseUrl: string;
  readonly receiver = new Receiver();
  /** Where the receiver takes WMS webhooks. */
  receiverUrl: string;
  private readonly owned: { close(): Promise<void> }[] = [];

  /** GET /admin/stats. */
  readonly stats = async () => (await this.api.request<Stats>('GET', '/admin/stats')).body;

  /** Merges `faults` into those of `backend` (expects 200). */
  readonly setFaults = async (backend: string, faults: Record<string, unknown>) => {
    const res = await this.api.request('PUT', `/admin/faults/${backend}`, { body: faults });
    expect(res.status).toBe(200);
  };

  /** The WMS inventory of one warehouse. */
  readonly inventory = async (warehouse: string) =>
    (
      await this.api.request<Page<{ itemCode: string; qtyEach: number }>>(
        'GET',
        `/wms/api/inventory?warehouse=${warehouse}`,
      )
    ).body.items;

  /** GET /admin/wms/events with `query` (e.g. "?delivered=false"). */
  readonly wmsEvents = async (query = '') =>
    (await this.api.request<WmsEventSummary[]>('GET', `/admin/wms/events${query}`)).body;

  /** Closes `closable` (a client of this sandbox, say) when the sandbox stops, before the app. */
  own<T extends { close(): Promise<void> }>(closable: T): T {
    this.owned.push(closable);
    return closable;
  }

  async start(label: string, options: SandboxOptions): Promise<void> {
    this.env = await createTestEnvironment(label);
    this.receiverUrl = await this.receiver.start();
    ({ app: this.app, url: this.baseUrl } = await startSandbox(this.env, options.env));
    this.api = new HttpClient(this.baseUrl, ADMIN, 32);
    if (options.subscribe) {
      const sub = await this.api.request('PUT', '/admin/wms/subscription', {
        body: { url: this.receiverUrl, secret: SECRET },
      });
      expect(sub.status).toBe(200);
    }
  }

  async stop(): Promise<void> {
    for (const closable of this.owned.reverse()) await closable.close();
    await this.api?.close();
    await this.app?.close();
    await this.receiver.stop();
    await this.env?.teardown();
  }
}

/**
 * Starts a sandbox for the enclosing describe (beforeAll), resets its faults after each test and stops it
 * again (afterAll).
 */
export function useSandbox(label: string, options: SandboxOptions = {}): SandboxHarness {
  const sandbox = new SandboxHarness();
  beforeAll(() => sandbox.start(label, options));
  afterEach(async () => {
    await sandbox.api.request('DELETE', '/admin/faults');
  });
  afterAll(() => sandbox.stop());
  return sandbox;
}
