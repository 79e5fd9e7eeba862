import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import { Client } from 'undici';
import { buildSandboxApp } from '../../apps/sandbox/src/app';
import { SandboxConfig } from '../../apps/sandbox/src/sandbox.config';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { eventually, HttpClient } from '../support/http';

interface Page<T> {
  page: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
  items: T[];
}

interface Stats {
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
  marketplace: { quantityUpdates: number; faulted: number };
}

interface WmsEventSummary {
  seq: number;
  eventId: string;
  eventType: string;
  deliveredAt: string | null;
  attempts: number;
  lastError: string | null;
}

interface Hook {
  headers: IncomingHttpHeaders;
  raw: string;
  at: number;
  answered: number;
}

const SECRET = 'whsec-sandbox-e2e';
const ADMIN_TOKEN = 'sandbox-e2e-admin-token-0123456789';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A tiny webhook receiver: records every request and answers 500 while `failNext` lasts. */
class Receiver {
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
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Checks X-Wms-Signature as a receiver would: HMAC-SHA256 over "<t>.<raw body>". */
function verifySignature(hook: Hook, secret: string): boolean {
  const header = String(hook.headers['x-wms-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${hook.raw}`).digest();
  return (
    timingSafeEqual(expected, Buffer.from(match[2], 'hex')) &&
    Math.abs(Date.now() / 1000 - Number(match[1])) < 60
  );
}

describe('sandbox backends', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let api: HttpClient;
  let baseUrl: string;
  const receiver = new Receiver();
  let receiverUrl: string;

  const stats = async () => (await api.request<Stats>('GET', '/admin/stats')).body;
  const setFaults = async (backend: string, faults: Record<string, unknown>) => {
    const res = await api.request('PUT', `/admin/faults/${backend}`, { body: faults });
    expect(res.status).toBe(200);
  };
  const inventory = async (warehouse: string) =>
    (
      await api.request<Page<{ itemCode: string; qtyEach: number }>>(
        'GET',
        `/wms/api/inventory?warehouse=${warehouse}`,
      )
    ).body.items;
  const wmsEvents = async (query = '') =>
    (await api.request<WmsEventSummary[]>('GET', `/admin/wms/events${query}`)).body;

  beforeAll(async () => {
    env = await createTestEnvironment('sandbox');
    receiverUrl = await receiver.start();
    app = await buildSandboxApp(
      loadConfig(SandboxConfig, {
        DATABASE_URL: env.databaseUrl,
        LOG_LEVEL: 'silent',
        SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
      }),
      { quiet: true },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    api = new HttpClient(baseUrl, ADMIN, 32);
  });

  afterEach(async () => {
    await api.request('DELETE', '/admin/faults');
  });

  afterAll(async () => {
    await api?.close();
    await app?.close();
    await receiver.stop();
    await env?.teardown();
  });

  describe('ERP', () => {
    beforeAll(async () => {
      const items = Array.from({ length: 250 }, (_, i) => ({
        itemNo: `I${String(i + 1).padStart(4, '0')}`,
        description: `item ${i + 1}`,
      }));
      items.push({ itemNo: 'SIX-PACK', description: 'six to a case', caseQty: 6 } as (typeof items)[number]);
      expect((await api.request('PUT', '/admin/erp/items', { body: { items } })).body).toEqual({
        upserted: 251,
      });
      expect(
        (
          await api.request('PUT', '/admin/erp/sites', {
            body: { sites: [{ siteCode: 'S1', name: 'East' }, { siteCode: 'S2' }] },
          })
        ).status,
      ).toBe(200);
      const onHand = await api.request('PUT', '/admin/erp/on-hand', {
        body: {
          rows: [
            { itemNo: 'I0001', siteCode: 'S1', qtyEach: 30 },
            { itemNo: 'I0002', siteCode: 'S1', qtyEach: 5 },
            { itemNo: 'I0001', siteCode: 'S2', qtyEach: 12 },
            { itemNo: 'SIX-PACK', siteCode: 'S1', qtyEach: 20 },
          ],
        },
      });
      expect(onHand.status).toBe(200);
    });

    it('pages the item master by item number', async () => {
      const first = await api.request<Page<{ itemNo: string; description: string; caseQty: number }>>(
        'GET',
        '/erp/api/v2/items?page=1&pageSize=100',
      );
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ page: 1, pageSize: 100, totalItems: 251, totalPages: 3 });
      expect(first.body.items).toHaveLength(100);
      expect(first.body.items[0]).toEqual({ itemNo: 'I0001', description: 'item 1', caseQty: 12 });
      const last = await api.request<Page<{ itemNo: string }>>(
        'GET',
        '/erp/api/v2/items?page=3&pageSize=100',
      );
      expect(last.body.items.map((i) => i.itemNo)).toEqual([
        ...Array.from({ length: 50 }, (_, i) => `I${String(i + 201).padStart(4, '0')}`),
        'SIX-PACK',
      ]);
      const defaults = await api.request<Page<unknown>>('GET', '/erp/api/v2/items');
      expect(defaults.body).toMatchObject({ page: 1, pageSize: 100 });
      expect((await api.request('GET', '/erp/api/v2/items?pageSize=501')).status).toBe(400);
      expect((await api.request('GET', '/erp/api/v2/items?page=0')).status).toBe(400);
    });

    it('keeps fields left out of an item upsert', async () => {
      await api.request('PUT', '/admin/erp/items', { body: { items: [{ itemNo: 'SIX-PACK' }] } });
      const page = await api.request<Page<{ itemNo: string; description: string; caseQty: number }>>(
        'GET',
        '/erp/api/v2/items?page=251&pageSize=1',
      );
      expect(page.body.items).toEqual([{ itemNo: 'SIX-PACK', description: 'six to a case', caseQty: 6 }]);
    });

    it('reports on hand per site in each and in whole cases of the item', async () => {
      const res = await api.request<Page<unknown>>('GET', '/erp/api/v2/on-hand?siteCode=S1&pageSize=2');
      expect(res.body).toMatchObject({ totalItems: 3, totalPages: 2 });
      expect(res.body.items).toEqual([
        { itemNo: 'I0001', siteCode: 'S1', qtyEach: 30, qtyCases: 2 },
        { itemNo: 'I0002', siteCode: 'S1', qtyEach: 5, qtyCases: 0 },
      ]);
      const second = await api.request<Page<unknown>>(
        'GET',
        '/erp/api/v2/on-hand?siteCode=S1&pageSize=2&page=2',
      );
      expect(second.body.items).toEqual([{ itemNo: 'SIX-PACK', siteCode: 'S1', qtyEach: 20, qtyCases: 3 }]);
      expect((await api.request<Page<unknown>>('GET', '/erp/api/v2/on-hand')).body.totalItems).toBe(4);
    });

    it('refuses on hand for an item the ERP does not know', async () => {
      const res = await api.request('PUT', '/admin/erp/on-hand', {
        body: { rows: [{ itemNo: 'NOPE', siteCode: 'S1', qtyEach: 1 }] },
      });
      expect(res.status).toBe(422);
      expect(res.contentType).toContain('application/problem+json');
    });

    it('refuses a commitment with an unknown item (422, its own error body) and stores nothing', async () => {
      const before = await stats();
      const res = await api.request('POST', '/erp/api/v2/commitments', {
        body: {
          externalRef: 'c-unknown',
          lines: [
            { itemNo: 'I0001', siteCode: 'S1', qty: 1, uom: 'EA' },
            { itemNo: 'GHOST', siteCode: 'S1', qty: 1, uom: 'EA' },
          ],
        },
      });
      expect(res.status).toBe(422);
      expect(res.contentType).toContain('application/json');
      expect(res.body).toMatchObject({ error: 'UNKNOWN_ITEM', itemNo: 'GHOST', message: expect.any(String) });
      const site = await api.request('POST', '/erp/api/v2/commitments', {
        body: { externalRef: 'c-unknown', lines: [{ itemNo: 'I0001', siteCode: 'S9', qty: 1, uom: 'EA' }] },
      });
      expect(site.status).toBe(422);
      expect(site.body).toMatchObject({ error: 'UNKNOWN_SITE', siteCode: 'S9' });
      expect(
        (await api.request<Page<unknown>>('GET', '/erp/api/v2/commitments?externalRef=c-unknown')).body
          .totalItems,
      ).toBe(0);
      const after = await stats();
      expect(after.erp.rejected - before.erp.rejected).toBe(2);
      expect(after.erp.commitmentCalls - before.erp.commitmentCalls).toBe(2);
      expect(after.erp.commitmentsCreated).toBe(before.erp.commitmentsCreated);
    });

    it('converts cases to each with the case quantity of the item', async () => {
      const res = await api.request<{
        commitmentId: number;
        externalRef: string;
        lines: unknown[];
        receivedAt: string;
      }>('POST', '/erp/api/v2/commitments', {
        body: {
          externalRef: 'c-cases',
          lines: [
            { itemNo: 'I0001', siteCode: 'S1', qty: 2, uom: 'CS' },
            { itemNo: 'SIX-PACK', siteCode: 'S1', qty: 2, uom: 'CS' },
            { itemNo: 'I0002', siteCode: 'S2', qty: 5, uom: 'EA' },
          ],
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        commitmentId: expect.any(Number),
        externalRef: 'c-cases',
        lines: [
          { itemNo: 'I0001', siteCode: 'S1', qty: 24, uom: 'EA' },
          { itemNo: 'SIX-PACK', siteCode: 'S1', qty: 12, uom: 'EA' },
          { itemNo: 'I0002', siteCode: 'S2', qty: 5, uom: 'EA' },
        ],
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    });

    it('commits once per externalRef, also when twins arrive together, and counts the duplicates', async () => {
      const before = await stats();
      const body = {
        externalRef: 'c-twins',
        lines: [{ itemNo: 'I0003', siteCode: 'S2', qty: 1, uom: 'CS' }],
      };
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          api.request<{ commitmentId: number }>('POST', '/erp/api/v2/commitments', { body }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 200)).toHaveLength(7);
      expect(new Set(results.map((r) => r.body.commitmentId)).size).toBe(1);
      const again = await api.request('POST', '/erp/api/v2/commitments', {
        body: { ...body, lines: [{ itemNo: 'I0004', siteCode: 'S1', qty: 9, uom: 'EA' }] },
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ externalRef: 'c-twins', lines: [{ itemNo: 'I0003', qty: 12 }] });
      const after = await stats();
      expect(after.erp.commitmentsCreated - before.erp.commitmentsCreated).toBe(1);
      expect(after.erp.commitmentDuplicates - before.erp.commitmentDuplicates).toBe(8);
      expect(after.erp.commitmentCalls - before.erp.commitmentCalls).toBe(9);
      const list = await api.request<Page<{ externalRef: string }>>(
        'GET',
        '/erp/api/v2/commitments?pageSize=500',
      );
      expect(list.body.items.filter((c) => c.externalRef === 'c-twins')).toHaveLength(1);
    });

    it('validates a commitment with problem+json', async () => {
      const res = await api.request('POST', '/erp/api/v2/commitments', {
        body: { externalRef: '', lines: [{ itemNo: 'I0001', siteCode: 'S1', qty: 0, uom: 'BOX' }] },
      });
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
    });

    describe('journal entries', () => {
      const entry = (postingKey: string, extra: Record<string, unknown> = {}) => ({
        postingKey,
        type: 'REVENUE',
        amount: '39.8',
        currency: 'EUR',
        reference: 'ord-je-1',
        businessDate: '2025-11-28',
        lines: [
          { itemNo: 'I0001', siteCode: 'S1', qty: 2, amount: '39.80' },
          { itemNo: 'I0002', qty: 1, amount: '0' },
        ],
        ...extra,
      });
      const post = (body: Record<string, unknown>, key = String(body.postingKey)) =>
        api.request<Record<string, unknown>>('POST', '/erp/api/v2/journal-entries', {
          body,
          headers: { 'idempotency-key': key },
        });

      it('books an entry once per posting key, also when twins arrive together, and counts the duplicates', async () => {
        const before = await stats();
        const results = await Promise.all(Array.from({ length: 6 }, () => post(entry('rev:je-1'))));
        expect(results.filter((r) => r.status === 201)).toHaveLength(1);
        expect(results.filter((r) => r.status === 200)).toHaveLength(5);
        const created = results.find((r) => r.status === 201)!.body;
        expect(created).toEqual({ entryId: expect.stringMatching(/^JE-\d{8}$/), postingKey: 'rev:je-1' });
        expect(results.every((r) => r.body.entryId === created.entryId)).toBe(true);
        // A repeat that says something else is still the first entry.
        const changed = await post(entry('rev:je-1', { amount: '1.00', type: 'REFUND' }));
        expect(changed.status).toBe(200);
        expect(changed.body).toEqual(created);

        const list = await api.request<Page<Record<string, unknown>>>(
          'GET',
          '/erp/api/v2/journal-entries?reference=ord-je-1',
        );
        expect(list.body).toMatchObject({ totalItems: 1, page: 1 });
        expect(list.body.items[0]).toEqual({
          entryId: created.entryId,
          postingKey: 'rev:je-1',
          type: 'REVENUE',
          amount: '39.80',
          currency: 'EUR',
          reference: 'ord-je-1',
          reasonCode: null,
          businessDate: '2025-11-28',
          lines: [
            { itemNo: 'I0001', siteCode: 'S1', qty: 2, amount: '39.80' },
            { itemNo: 'I0002', siteCode: null, qty: 1, amount: '0.00' },
          ],
          receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        });
        const after = await stats();
        expect(after.erp.journalEntryCalls - before.erp.journalEntryCalls).toBe(7);
        expect(after.erp.journalEntriesCreated - before.erp.journalEntriesCreated).toBe(1);
        expect(after.erp.journalEntryDuplicates - before.erp.journalEntryDuplicates).toBe(6);
        expect(after.erp.commitmentCalls).toBe(before.erp.commitmentCalls);
      });

      it('finds entries by reference and by posting key, paged', async () => {
        for (const key of ['adj:je-2:a', 'adj:je-2:b', 'adj:je-2:c']) {
          const res = await post(
            entry(key, {
              type: 'INV_ADJ',
              reference: 'rma-je-2',
              reasonCode: 'DAMAGED',
              lines: [{ itemNo: 'I0001', siteCode: 'S2', qty: -1, amount: '-12.00' }],
            }),
          );
          expect(res.status).toBe(201);
        }
        const page = await api.request<Page<{ postingKey: string; reasonCode: string }>>(
          'GET',
          '/erp/api/v2/journal-entries?reference=rma-je-2&pageSize=2&page=2',
        );
        expect(page.body).toMatchObject({ totalItems: 3, totalPages: 2, pageSize: 2 });
        expect(page.body.items).toEqual([
          expect.objectContaining({ postingKey: 'adj:je-2:c', reasonCode: 'DAMAGED' }),
        ]);
        const one = await api.request<Page<{ postingKey: string }>>(
          'GET',
          '/erp/api/v2/journal-entries?postingKey=adj:je-2:b',
        );
        expect(one.body.items.map((e) => e.postingKey)).toEqual(['adj:je-2:b']);
      });

      it('refuses an entry with an unknown item or site (422, its own error body) and books nothing', async () => {
        const before = await stats();
        const item = await post(entry('rev:je-3', { lines: [{ itemNo: 'GHOST', qty: 1, amount: '1' }] }));
        expect(item.status).toBe(422);
        expect(item.body).toMatchObject({ error: 'UNKNOWN_ITEM', itemNo: 'GHOST' });
        const site = await post(
          entry('rev:je-3', { lines: [{ itemNo: 'I0001', siteCode: 'S9', qty: 1, amount: '1' }] }),
        );
        expect(site.status).toBe(422);
        expect(site.body).toMatchObject({ error: 'UNKNOWN_SITE', siteCode: 'S9' });
        expect(
          (await api.request<Page<unknown>>('GET', '/erp/api/v2/journal-entries?postingKey=rev:je-3')).body
            .totalItems,
        ).toBe(0);
        const after = await stats();
        expect(after.erp.journalEntriesRejected - before.erp.journalEntriesRejected).toBe(2);
      });

      it('answers bad input with problem+json that names the problem', async () => {
        const cases: [Record<string, unknown>, string | undefined, RegExp][] = [
          [entry('k-1'), undefined, /idempotency-key header is required/],
          [entry('k-1'), 'k-2', /must equal postingKey/],
          [entry('k-1', { amount: 12.5 }), 'k-1', /amount must be a decimal string/],
          [entry('k-1', { amount: '-1' }), 'k-1', /amount must be a decimal string/],
          [entry('k-1', { amount: '1.234' }), 'k-1', /amount must be a decimal string/],
          [entry('k-1', { type: 'BONUS' }), 'k-1', /type must be one of/],
          [entry('k-1', { currency: 'euro' }), 'k-1', /currency must be an ISO 4217 code/],
          [entry('k-1', { businessDate: '2025-02-30' }), 'k-1', /businessDate must be a calendar date/],
          [entry('k-1', { businessDate: '28.11.2025' }), 'k-1', /businessDate must be a date as YYYY-MM-DD/],
        ];
        for (const [body, key, detail] of cases) {
          const res = await api.request<{ detail: string }>('POST', '/erp/api/v2/journal-entries', {
            body,
            headers: key === undefined ? {} : { 'idempotency-key': key },
          });
          expect([res.status, res.contentType]).toEqual([
            400,
            expect.stringContaining('application/problem+json'),
          ]);
          expect(res.body.detail).toMatch(detail);
        }
        expect(
          (await api.request<Page<unknown>>('GET', '/erp/api/v2/journal-entries?postingKey=k-1')).body
            .totalItems,
        ).toBe(0);
      });
    });
  });

  describe('fault injection', () => {
    const commitment = (ref: string) => ({
      externalRef: ref,
      lines: [{ itemNo: 'I0001', siteCode: 'S1', qty: 1, uom: 'EA' }],
    });

    it('lists, merges and resets the faults of every backend', async () => {
      const set = await api.request('PUT', '/admin/faults/oms', { body: { latencyMs: 5, errorRate: 0.25 } });
      expect(set.body).toEqual({
        latencyMs: 5,
        errorRate: 0.25,
        tooManyRequestsRate: 0,
        retryAfterSeconds: 1,
        timeoutRate: 0,
        outage: false,
        rateLimitPerSecond: 0,
        failNext: 0,
      });
      const merged = await api.request('PUT', '/admin/faults/oms', { body: { outage: true } });
      expect(merged.body).toMatchObject({ latencyMs: 5, errorRate: 0.25, outage: true });
      const all = await api.request<Record<string, { outage: boolean }>>('GET', '/admin/faults');
      expect(Object.keys(all.body).sort()).toEqual(['erp', 'marketplace', 'oms', 'wms']);
      expect(all.body.oms.outage).toBe(true);
      expect(all.body.erp.outage).toBe(false);
      expect((await api.request('PUT', '/admin/faults/crm', { body: { outage: true } })).status).toBe(404);
      expect((await api.request('PUT', '/admin/faults/erp', { body: { errorRate: 2 } })).status).toBe(400);
      expect((await api.request('PUT', '/admin/faults/erp', { body: { slow: true } })).status).toBe(400);
      const reset = await api.request<Record<string, { outage: boolean; errorRate: number }>>(
        'DELETE',
        '/admin/faults',
      );
      expect(reset.body.oms).toMatchObject({ outage: false, errorRate: 0 });
    });

    it('answers 503 during an outage, without a side effect, and leaves admin and health alone', async () => {
      await setFaults('erp', { outage: true });
      const before = await stats();
      const res = await api.request('POST', '/erp/api/v2/commitments', { body: commitment('c-outage') });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'SERVICE_UNAVAILABLE' });
      // Faults come before validation too: the backend is down whatever is sent.
      expect((await api.request('POST', '/erp/api/v2/commitments', { body: {} })).status).toBe(503);
      expect((await api.request('GET', '/health/live')).status).toBe(200);
      expect((await api.request('GET', '/admin/faults')).status).toBe(200);
      expect((await api.request('GET', '/docs/openapi.json')).status).toBe(200);
      expect((await api.request('GET', '/wms/api/inventory')).status).toBe(200);
      const after = await stats();
      expect(after.erp.commitmentCalls).toBe(before.erp.commitmentCalls);
      expect(after.erp.faulted - before.erp.faulted).toBe(2);
      await setFaults('erp', { outage: false });
      expect(
        (await api.request<Page<unknown>>('GET', '/erp/api/v2/commitments?externalRef=c-outage')).body
          .totalItems,
      ).toBe(0);
    });

    it('answers 429 with Retry-After at random and when the rate limit is exhausted', async () => {
      await setFaults('erp', { tooManyRequestsRate: 1, retryAfterSeconds: 7 });
      const before = await stats();
      const res = await api.request('POST', '/erp/api/v2/commitments', { body: commitment('c-429') });
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.body).toEqual({ error: 'RATE_LIMITED' });

      await setFaults('erp', { tooManyRequestsRate: 0, rateLimitPerSecond: 3, retryAfterSeconds: 2 });
      const burst = await Promise.all(
        Array.from({ length: 6 }, () => api.request('GET', '/erp/api/v2/items?pageSize=1')),
      );
      const statuses = burst.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
      expect(burst.filter((r) => r.status === 429).every((r) => r.headers['retry-after'] === '2')).toBe(true);
      const after = await stats();
      expect(after.erp.commitmentCalls).toBe(before.erp.commitmentCalls);
      expect(after.erp.throttled - before.erp.throttled).toBe(1 + statuses.filter((s) => s === 429).length);
      // Other backends have their own bucket.
      expect((await api.request('GET', '/oms/api/orders')).status).toBe(200);
    });

    it('fails every request with errorRate 1, and a failed WMS operation changes nothing', async () => {
      await setFaults('wms', { errorRate: 1 });
      const eventsBefore = (await stats()).wms.eventsCreated;
      const res = await api.request('POST', '/wms/api/receipts', {
        body: { warehouse: 'FAULTY', itemCode: 'X-1', qty: 1, uom: 'EA' },
      });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'INTERNAL' });
      await setFaults('wms', { errorRate: 0 });
      expect(await inventory('FAULTY')).toEqual([]);
      expect((await stats()).wms.eventsCreated).toBe(eventsBefore);
    });

    it('answers exactly the next N requests 500 with failNext, with no side effect, then recovers', async () => {
      const set = await api.request<{ failNext: number }>('PUT', '/admin/faults/erp', {
        body: { failNext: 2 },
      });
      expect(set.body.failNext).toBe(2);
      const before = await stats();
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (await api.request('POST', '/erp/api/v2/commitments', { body: commitment('c-fail-next') })).status,
        );
      expect(statuses).toEqual([500, 500, 201]);
      expect(
        (await api.request<{ erp: { failNext: number } }>('GET', '/admin/faults')).body.erp.failNext,
      ).toBe(0);
      const after = await stats();
      expect(after.erp.commitmentCalls - before.erp.commitmentCalls).toBe(1);
      expect(after.erp.faulted - before.erp.faulted).toBe(2);
      // Other backends keep working, and an outage comes first without using the count up.
      expect((await api.request('GET', '/oms/api/orders')).status).toBe(200);
      await setFaults('wms', { outage: true, failNext: 1 });
      expect((await api.request('GET', '/wms/api/inventory')).status).toBe(503);
      await setFaults('wms', { outage: false });
      expect((await api.request('GET', '/wms/api/inventory')).status).toBe(500);
      expect((await api.request('GET', '/wms/api/inventory')).status).toBe(200);
      expect((await api.request('PUT', '/admin/faults/erp', { body: { failNext: -1 } })).status).toBe(400);
    });

    it('delays requests by latencyMs', async () => {
      await setFaults('oms', { latencyMs: 300 });
      const started = performance.now();
      const res = await api.request('GET', '/oms/api/orders');
      const elapsed = performance.now() - started;
      expect(res.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      const quick = performance.now();
      await api.request('GET', '/admin/stats');
      expect(performance.now() - quick).toBeLessThan(290);
    });

    it('hangs a request picked by timeoutRate until the client gives up, with no side effect', async () => {
      await setFaults('marketplace', { timeoutRate: 1 });
      const client = new Client(baseUrl);
      const started = performance.now();
      try {
        await expect(
          client.request({
            method: 'PUT',
            path: '/marketplace/api/listings/HANG-1/quantity',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ quantity: 5 }),
            headersTimeout: 400,
          }),
        ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
      } finally {
        await client.destroy();
      }
      expect(performance.now() - started).toBeGreaterThanOrEqual(390);
      await setFaults('marketplace', { timeoutRate: 0 });
      const listings = await api.request<Page<{ sellerSku: string }>>('GET', '/marketplace/api/listings');
      expect(listings.body.items.find((l) => l.sellerSku === 'HANG-1')).toBeUndefined();
      expect((await stats()).marketplace.faulted).toBeGreaterThanOrEqual(1);
    });
  });

  describe('WMS', () => {
    it('keeps events undelivered while there is no subscription', async () => {
      expect((await api.request('GET', '/admin/wms/subscription')).body).toEqual({ url: null });
      const res = await api.request<{ eventId: string; seq: number }>('POST', '/wms/api/receipts', {
        body: { warehouse: 'DC0', itemCode: 'EARLY', qty: 1, uom: 'EA' },
      });
      expect(res.status).toBe(201);
      await new Promise((r) => setTimeout(r, 700));
      const undelivered = await wmsEvents('?delivered=false');
      expect(undelivered.map((e) => e.eventId)).toContain(res.body.eventId);
      expect(undelivered.find((e) => e.eventId === res.body.eventId)!.attempts).toBe(0);
    });

    it('delivers a receipt of 2 CS as a signed webhook and holds 24 each', async () => {
      const sub = await api.request('PUT', '/admin/wms/subscription', {
        body: { url: receiverUrl, secret: SECRET },
      });
      expect(sub.body).toEqual({ url: receiverUrl });
      expect((await api.request('GET', '/admin/wms/subscription')).body).toEqual({ url: receiverUrl });

      const res = await api.request<{ eventId: string; seq: number }>('POST', '/wms/api/receipts', {
        body: { warehouse: 'DC1', itemCode: 'CUP-6', qty: 2, uom: 'CS' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        seq: expect.any(Number),
      });
      expect(await inventory('DC1')).toEqual([{ warehouse: 'DC1', itemCode: 'CUP-6', qtyEach: 24 }]);

      const hooks = await eventually(
        async () => receiver.of(res.body.eventId),
        (h) => h.length > 0,
      );
      expect(hooks).toHaveLength(1);
      const hook = hooks[0];
      expect(hook.headers['content-type']).toBe('application/json');
      expect(verifySignature(hook, SECRET)).toBe(true);
      expect(verifySignature(hook, 'another-secret')).toBe(false);
      expect(JSON.parse(hook.raw)).toEqual({
        eventId: res.body.eventId,
        eventType: 'RECEIPT',
        sequence: res.body.seq,
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        warehouse: 'DC1',
        itemCode: 'CUP-6',
        qty: 2,
        uom: 'CS',
      });
      // The event recorded before the subscription existed goes out now too.
      await eventually(
        () => wmsEvents('?delivered=false'),
        (e) => e.length === 0,
      );
      expect((await wmsEvents()).every((e) => e.deliveredAt !== null)).toBe(true);
    });

    it('applies picks, shipments, adjustments, counts and transfers, never below zero', async () => {
      const post = (path: string, body: Record<string, unknown>) =>
        api.request<{ eventId: string; error?: string }>('POST', `/wms/api/${path}`, { body });
      expect((await post('receipts', { warehouse: 'DC2', itemCode: 'MUG', qty: 30, uom: 'EA' })).status).toBe(
        201,
      );
      const pick = await post('picks', {
        warehouse: 'DC2',
        itemCode: 'MUG',
        qty: 1,
        uom: 'CS',
        orderRef: 'OMS-000009',
      });
      expect(pick.status).toBe(201);
      expect(await inventory('DC2')).toEqual([{ warehouse: 'DC2', itemCode: 'MUG', qtyEach: 30 }]);
      expect(
        (
          await post('shipments', {
            warehouse: 'DC2',
            itemCode: 'MUG',
            qty: 1,
            uom: 'CS',
            orderRef: 'OMS-000009',
          })
        ).status,
      ).toBe(201);
      expect((await inventory('DC2'))[0].qtyEach).toBe(18);
      const adjust = await post('adjustments', {
        warehouse: 'DC2',
        itemCode: 'MUG',
        qty: -3,
        uom: 'EA',
        reasonCode: 'DAMAGED',
      });
      expect(adjust.status).toBe(201);
      expect((await inventory('DC2'))[0].qtyEach).toBe(15);
      const transfer = await post('transfers', {
        fromWarehouse: 'DC2',
        toWarehouse: 'STORE1',
        itemCode: 'MUG',
        qty: 5,
        uom: 'EA',
      });
      expect(transfer.status).toBe(201);
      expect((await inventory('DC2'))[0].qtyEach).toBe(10);
      expect(await inventory('STORE1')).toEqual([{ warehouse: 'STORE1', itemCode: 'MUG', qtyEach: 5 }]);
      const count = await post('cycle-counts', {
        warehouse: 'STORE1',
        itemCode: 'MUG',
        countedQty: 1,
        uom: 'CS',
      });
      expect(count.status).toBe(201);
      expect((await inventory('STORE1'))[0].qtyEach).toBe(12);

      const eventsBefore = (await stats()).wms.eventsCreated;
      const short = await post('shipments', { warehouse: 'DC2', itemCode: 'MUG', qty: 11, uom: 'EA' });
      expect(short.status).toBe(409);
      expect(short.body).toMatchObject({ error: 'INSUFFICIENT_STOCK' });
      expect(
        (
          await post('adjustments', {
            warehouse: 'DC2',
            itemCode: 'NEVER-SEEN',
            qty: -1,
            uom: 'EA',
            reasonCode: 'LOST',
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await post('transfers', {
            fromWarehouse: 'STORE1',
            toWarehouse: 'DC2',
            itemCode: 'MUG',
            qty: 2,
            uom: 'CS',
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await post('transfers', {
            fromWarehouse: 'DC2',
            toWarehouse: 'DC2',
            itemCode: 'MUG',
            qty: 1,
            uom: 'EA',
          })
        ).status,
      ).toBe(422);
      expect(
        (await post('adjustments', { warehouse: 'DC2', itemCode: 'MUG', qty: 0, uom: 'EA', reasonCode: 'X' }))
          .status,
      ).toBe(400);
      expect((await post('receipts', { warehouse: 'DC 2', itemCode: 'MUG', qty: 1, uom: 'EA' })).status).toBe(
        400,
      );
      expect((await stats()).wms.eventsCreated).toBe(eventsBefore);
      expect((await inventory('DC2'))[0].qtyEach).toBe(10);

      const bodies = await eventually(
        async () => [adjust, transfer, count, pick].map((r) => receiver.of(r.body.eventId)[0]),
        (hooks) => hooks.every(Boolean),
      );
      const [adjustBody, transferBody, countBody, pickBody] = bodies.map(
        (h) => JSON.parse(h.raw) as Record<string, unknown>,
      );
      expect(adjustBody).toMatchObject({
        eventType: 'ADJUSTMENT',
        qty: -3,
        uom: 'EA',
        reasonCode: 'DAMAGED',
      });
      expect(transferBody).toMatchObject({
        eventType: 'TRANSFER',
        warehouse: 'DC2',
        toWarehouse: 'STORE1',
        qty: 5,
      });
      expect(countBody).toMatchObject({ eventType: 'CYCLE_COUNT', warehouse: 'STORE1', qty: 1, uom: 'CS' });
      expect(pickBody).toMatchObject({ eventType: 'PICK', orderRef: 'OMS-000009', qty: 1, uom: 'CS' });
    });

    describe('outbound orders', () => {
      interface Outbound {
        orderRef: string;
        warehouse: string;
        status: string;
        lines: {
          lineNo: number;
          itemCode: string;
          qty: number;
          uom: string;
          qtyEach: number;
          shippedEach: number;
          shortEach: number;
        }[];
      }
      const release = (orderRef: string, lines: { itemCode: string; qty: number; uom: string }[]) =>
        api.request<{ orderRef: string; status: string }>('POST', '/wms/api/outbound-orders', {
          body: { orderRef, warehouse: 'DC5', lines },
        });
      const outbound = async (orderRef: string) =>
        api.request<Outbound & { error?: string }>('GET', `/wms/api/outbound-orders/${orderRef}`);
      const cancel = (orderRef: string) =>
        api.request<{ orderRef?: string; status?: string; error?: string }>(
          'POST',
          `/wms/api/outbound-orders/${orderRef}/cancel`,
        );
      const op = (path: string, body: Record<string, unknown>) =>
        api.request<{ eventId: string; error?: string }>('POST', `/wms/api/${path}`, { body });

      beforeAll(async () => {
        await op('receipts', { warehouse: 'DC5', itemCode: 'PLATE', qty: 3, uom: 'CS' });
        await op('receipts', { warehouse: 'DC5', itemCode: 'BOWL', qty: 10, uom: 'EA' });
      });

      it('releases an order once per orderRef, also when twins arrive together, without touching stock', async () => {
        const ref = '0b8e3f4c-2f1a-4c7e-9d55-6a1e2b3c4d51';
        const lines = [
          { itemCode: 'PLATE', qty: 1, uom: 'CS' },
          { itemCode: 'BOWL', qty: 4, uom: 'EA' },
        ];
        const before = await stats();
        const twins = await Promise.all(Array.from({ length: 5 }, () => release(ref, lines)));
        expect(twins.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
        expect(twins.every((r) => r.body.orderRef === ref && r.body.status === 'RELEASED')).toBe(true);
        const other = await release(ref, [{ itemCode: 'MUG', qty: 99, uom: 'EA' }]);
        expect([other.status, other.body]).toEqual([200, { orderRef: ref, status: 'RELEASED' }]);
        const stored = await outbound(ref);
        expect(stored.status).toBe(200);
        expect(stored.body).toEqual({
          orderRef: ref,
          warehouse: 'DC5',
          status: 'RELEASED',
          lines: [
            { lineNo: 1, itemCode: 'PLATE', qty: 1, uom: 'CS', qtyEach: 12, shippedEach: 0, shortEach: 0 },
            { lineNo: 2, itemCode: 'BOWL', qty: 4, uom: 'EA', qtyEach: 4, shippedEach: 0, shortEach: 0 },
          ],
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        });
        expect((await stats()).wms.outboundOrders - before.wms.outboundOrders).toBe(1);
        expect((await stats()).wms.eventsCreated).toBe(before.wms.eventsCreated);
        expect(await inventory('DC5')).toEqual([
          { warehouse: 'DC5', itemCode: 'BOWL', qtyEach: 10 },
          { warehouse: 'DC5', itemCode: 'PLATE', qtyEach: 36 },
        ]);
        const listed = await api.request<Page<Outbound>>(
          'GET',
          '/wms/api/outbound-orders?warehouse=DC5&status=RELEASED',
        );
        expect(listed.body.items.map((o) => o.orderRef)).toContain(ref);
      });

      it('follows shipments under the orderRef to PART_SHIPPED and SHIPPED, and then refuses to cancel', async () => {
        const ref = 'ord-ship-1';
        await release(ref, [
          { itemCode: 'PLATE', qty: 1, uom: 'CS' },
          { itemCode: 'BOWL', qty: 2, uom: 'EA' },
        ]);
        const first = await op('shipments', {
          warehouse: 'DC5',
          itemCode: 'PLATE',
          qty: 12,
          uom: 'EA',
          orderRef: ref,
        });
        expect(first.status).toBe(201);
        expect((await outbound(ref)).body).toMatchObject({
          status: 'PART_SHIPPED',
          lines: [
            expect.objectContaining({ itemCode: 'PLATE', shippedEach: 12 }),
            expect.objectContaining({ itemCode: 'BOWL', shippedEach: 0 }),
          ],
        });
        const refused = await cancel(ref);
        expect([refused.status, refused.body.error]).toEqual([409, 'ALREADY_SHIPPED']);
        await op('shipments', { warehouse: 'DC5', itemCode: 'BOWL', qty: 2, uom: 'EA', orderRef: ref });
        expect((await outbound(ref)).body.status).toBe('SHIPPED');
        expect(
          (
            await api.request<Page<Outbound>>('GET', '/wms/api/outbound-orders?status=SHIPPED')
          ).body.items.map((o) => o.orderRef),
        ).toEqual([ref]);
        const hook = await eventually(
          async () => receiver.of(first.body.eventId)[0],
          (h) => h !== undefined,
        );
        expect(JSON.parse(hook.raw)).toMatchObject({
          eventType: 'SHIPMENT',
          orderRef: ref,
          qty: 12,
          uom: 'EA',
        });
      });

      it('cancels an order nothing has shipped for, again and again, and refuses later work on it', async () => {
        const ref = 'ord-cancel-1';
        await release(ref, [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }]);
        expect((await cancel(ref)).body).toEqual({ orderRef: ref, status: 'CANCELLED' });
        const again = await cancel(ref);
        expect([again.status, again.body.status]).toEqual([200, 'CANCELLED']);
        const eventsBefore = (await stats()).wms.eventsCreated;
        for (const path of ['shipments', 'short-picks']) {
          const res = await op(path, {
            warehouse: 'DC5',
            itemCode: 'BOWL',
            qty: 1,
            uom: 'EA',
            orderRef: ref,
          });
          expect([res.status, res.body.error]).toEqual([409, 'ORDER_CANCELLED']);
        }
        expect((await stats()).wms.eventsCreated).toBe(eventsBefore);
        expect((await outbound(ref)).body.status).toBe('CANCELLED');
        // A release of the same reference does not bring it back.
        expect((await release(ref, [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }])).body.status).toBe('CANCELLED');
      });

      it('lets exactly one of a cancellation and a shipment racing for the same order win', async () => {
        for (let i = 0; i < 5; i++) {
          const ref = `ord-race-${i}`;
          await release(ref, [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }]);
          await op('receipts', { warehouse: 'DC5', itemCode: 'BOWL', qty: 1, uom: 'EA' });
          const [c, s] = await Promise.all([
            cancel(ref),
            op('shipments', { warehouse: 'DC5', itemCode: 'BOWL', qty: 1, uom: 'EA', orderRef: ref }),
          ]);
          // Cancelled first: the shipment is refused. Shipped first: the cancellation is.
          expect([c.status, s.status]).toEqual(c.status === 200 ? [200, 409] : [409, 201]);
          expect((await outbound(ref)).body.status).toBe(c.status === 200 ? 'CANCELLED' : 'SHIPPED');
        }
      });

      it('records a short pick: stock down by what the WMS had of it at most, the shortfall on the order, a webhook', async () => {
        const ref = 'ord-short-1';
        await op('receipts', { warehouse: 'DC6', itemCode: 'JUG', qty: 3, uom: 'EA' });
        await release(ref, [{ itemCode: 'JUG', qty: 5, uom: 'EA' }]);
        const short = await op('short-picks', {
          warehouse: 'DC6',
          itemCode: 'JUG',
          qty: 2,
          uom: 'EA',
          orderRef: ref,
        });
        expect(short.status).toBe(201);
        expect(await inventory('DC6')).toEqual([{ warehouse: 'DC6', itemCode: 'JUG', qtyEach: 1 }]);
        // The rest missing too, more than the WMS believed it had: it goes to zero, never below.
        expect(
          (await op('short-picks', { warehouse: 'DC6', itemCode: 'JUG', qty: 3, uom: 'EA', orderRef: ref }))
            .status,
        ).toBe(201);
        expect(await inventory('DC6')).toEqual([{ warehouse: 'DC6', itemCode: 'JUG', qtyEach: 0 }]);
        expect((await outbound(ref)).body).toMatchObject({
          status: 'RELEASED',
          lines: [expect.objectContaining({ shortEach: 5, shippedEach: 0 })],
        });
        // An order the WMS has never seen: the stock is still written off.
        expect(
          (
            await op('short-picks', {
              warehouse: 'DC7',
              itemCode: 'JUG',
              qty: 1,
              uom: 'EA',
              orderRef: 'OMS-1',
            })
          ).status,
        ).toBe(201);
        const hook = await eventually(
          async () => receiver.of(short.body.eventId)[0],
          (h) => h !== undefined,
        );
        expect(verifySignature(hook, SECRET)).toBe(true);
        expect(JSON.parse(hook.raw)).toEqual({
          eventId: short.body.eventId,
          eventType: 'SHORT_PICK',
          sequence: expect.any(Number),
          occurredAt: expect.any(String),
          warehouse: 'DC6',
          itemCode: 'JUG',
          qty: 2,
          uom: 'EA',
          orderRef: ref,
        });
        const missingRef = await op('short-picks', { warehouse: 'DC6', itemCode: 'JUG', qty: 1, uom: 'EA' });
        expect(missingRef.status).toBe(400);
      });

      it('answers unknown orders with its own 404 and malformed input with problem+json', async () => {
        expect((await outbound('nope-1')).body).toMatchObject({ error: 'ORDER_NOT_FOUND' });
        const unknown = await cancel('nope-1');
        expect([unknown.status, unknown.body.error]).toEqual([404, 'ORDER_NOT_FOUND']);
        const badRef = await api.request('GET', '/wms/api/outbound-orders/bad%20ref');
        expect([badRef.status, badRef.contentType]).toEqual([
          400,
          expect.stringContaining('application/problem+json'),
        ]);
        for (const body of [
          { orderRef: 'bad 1', warehouse: 'DC5', lines: [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }] },
          { orderRef: 'bad-2', warehouse: 'DC5', lines: [] },
          { orderRef: 'bad-3', warehouse: 'DC5', lines: [{ itemCode: 'BOWL', qty: 0, uom: 'BOX' }] },
        ]) {
          const res = await api.request<{ detail: string }>('POST', '/wms/api/outbound-orders', { body });
          expect(res.status).toBe(400);
          expect(res.contentType).toContain('application/problem+json');
          expect(res.body.detail).toMatch(
            /orderRef must be|lines must contain at least 1|qty must not be less than 1/,
          );
        }
      });

      it('takes faults like every native route', async () => {
        await setFaults('wms', { failNext: 1 });
        expect((await release('ord-fault-1', [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }])).status).toBe(500);
        expect((await outbound('ord-fault-1')).status).toBe(404);
        expect((await release('ord-fault-1', [{ itemCode: 'BOWL', qty: 1, uom: 'EA' }])).status).toBe(201);
      });
    });

    it('retries with growing pauses while the receiver answers 500, then delivers', async () => {
      await eventually(
        () => wmsEvents('?delivered=false'),
        (e) => e.length === 0,
      );
      receiver.failNext = 3;
      const before = await stats();
      const res = await api.request<{ eventId: string }>('POST', '/wms/api/receipts', {
        body: { warehouse: 'DC3', itemCode: 'RETRY', qty: 1, uom: 'EA' },
      });
      const events = await eventually(
        () => wmsEvents(),
        (e) => Boolean(e.find((x) => x.eventId === res.body.eventId)?.deliveredAt),
        10_000,
      );
      expect(events.find((x) => x.eventId === res.body.eventId)).toMatchObject({
        attempts: 4,
        deliveredAt: expect.any(String),
      });
      const hooks = receiver.of(res.body.eventId);
      expect(hooks.map((h) => h.answered)).toEqual([500, 500, 500, 204]);
      expect(new Set(hooks.map((h) => h.raw)).size).toBe(1);
      expect(hooks.every((h) => verifySignature(h, SECRET))).toBe(true);
      const gaps = hooks.slice(1).map((h, i) => h.at - hooks[i].at);
      expect(gaps[0]).toBeGreaterThanOrEqual(200);
      expect(gaps[1]).toBeGreaterThanOrEqual(450);
      expect(gaps[2]).toBeGreaterThanOrEqual(950);
      const after = await stats();
      expect(after.wms.deliveriesFailed - before.wms.deliveriesFailed).toBe(3);
      expect(after.wms.deliveriesSucceeded - before.wms.deliveriesSucceeded).toBe(1);
    });

    it('redelivers the same bytes 5 times concurrently, each freshly signed and counted as an attempt', async () => {
      const res = await api.request<{ eventId: string }>('POST', '/wms/api/receipts', {
        body: { warehouse: 'DC4', itemCode: 'DUP', qty: 3, uom: 'EA' },
      });
      await eventually(
        async () => receiver.of(res.body.eventId),
        (h) => h.length === 1,
      );
      const redeliver = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
        { body: { times: 5, concurrent: true } },
      );
      expect(redeliver.status).toBe(200);
      expect(redeliver.body).toEqual({ statuses: [204, 204, 204, 204, 204] });
      const hooks = receiver.of(res.body.eventId);
      expect(hooks).toHaveLength(6);
      expect(new Set(hooks.map((h) => h.raw)).size).toBe(1);
      expect(hooks.every((h) => verifySignature(h, SECRET))).toBe(true);
      const once = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
        { body: {} },
      );
      expect(once.body.statuses).toEqual([204]);
      const withoutBody = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
      );
      expect(withoutBody.body).toEqual({ statuses: [204] });
      const oneByOne = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
        {
          body: { times: 2, concurrent: false },
        },
      );
      expect(oneByOne.body).toEqual({ statuses: [204, 204] });
      expect(receiver.of(res.body.eventId)).toHaveLength(10);
      // The event list counts every send: the delivery and the nine redeliveries.
      const listed = async () => (await wmsEvents()).find((e) => e.eventId === res.body.eventId)!;
      expect(await listed()).toMatchObject({
        attempts: 10,
        deliveredAt: expect.any(String),
        lastError: null,
      });
      receiver.failNext = 1;
      const failed = await api.request<{ statuses: number[] }>(
        'POST',
        `/admin/wms/events/${res.body.eventId}/redeliver`,
        { body: {} },
      );
      expect(failed.body).toEqual({ statuses: [500] });
      expect(await listed()).toMatchObject({
        attempts: 11,
        deliveredAt: expect.any(String),
        lastError: 'HTTP 500',
      });
      expect(
        (
          await api.request('POST', '/admin/wms/events/00000000-0000-4000-8000-000000000000/redeliver', {
            body: {},
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await api.request('POST', `/admin/wms/events/${res.body.eventId}/redeliver`, {
            body: { times: 21 },
          })
        ).status,
      ).toBe(400);
    });
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
        expect((await other.request('GET', '/marketplace/api/listings')).status).toBe(503);
        expect((await api.request('GET', '/marketplace/api/listings')).status).toBe(200);

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

  describe('OMS', () => {
    const order = {
      orderRef: 'web-1',
      channel: 'web',
      lines: [{ sku: 'SKU-1', quantity: 2 }],
      shipTo: { name: 'Ada', country: 'DE' },
    };

    it('creates an order once per orderRef and counts the duplicate', async () => {
      const before = await stats();
      const created = await api.request<{ orderId: string; status: string }>('POST', '/oms/api/orders', {
        body: order,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        orderId: expect.stringMatching(/^OMS-\d{6}$/),
        orderRef: 'web-1',
        channel: 'web',
        status: 'NEW',
        lines: order.lines,
        shipTo: order.shipTo,
      });
      const duplicate = await api.request<{ orderId: string }>('POST', '/oms/api/orders', {
        body: { ...order, lines: [{ sku: 'SKU-2', quantity: 1 }] },
      });
      expect(duplicate.status).toBe(200);
      expect(duplicate.body).toEqual(created.body);
      const after = await stats();
      expect(after.oms.ordersCreated - before.oms.ordersCreated).toBe(1);
      expect(after.oms.orderDuplicates - before.oms.orderDuplicates).toBe(1);
      expect(after.oms.orderCalls - before.oms.orderCalls).toBe(2);
    });

    it('finds, lists and moves orders through the OMS statuses', async () => {
      const { body: created } = await api.request<{ orderId: string }>('POST', '/oms/api/orders', {
        body: { ...order, orderRef: 'web-2', shipTo: undefined },
      });
      expect((await api.request('GET', `/oms/api/orders/${created.orderId}`)).body).toMatchObject({
        orderRef: 'web-2',
        shipTo: null,
      });
      const missing = await api.request('GET', '/oms/api/orders/OMS-999999');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: 'ORDER_NOT_FOUND' });
      const shipped = await api.request('PATCH', `/oms/api/orders/${created.orderId}`, {
        body: { status: 'SHIPPED' },
      });
      expect(shipped.status).toBe(200);
      expect(shipped.body).toMatchObject({ status: 'SHIPPED' });
      const back = await api.request('PATCH', `/oms/api/orders/${created.orderId}`, {
        body: { status: 'NEW' },
      });
      expect(back.status).toBe(409);
      expect(back.body).toMatchObject({ error: 'INVALID_STATUS_TRANSITION', currentStatus: 'SHIPPED' });
      expect(
        (await api.request('PATCH', `/oms/api/orders/${created.orderId}`, { body: { status: 'LOST' } }))
          .status,
      ).toBe(400);
      const list = await api.request<Page<{ orderRef: string }>>('GET', '/oms/api/orders?status=SHIPPED');
      expect(list.body.items.map((o) => o.orderRef)).toEqual(['web-2']);
      const byRef = await api.request<Page<{ orderRef: string }>>('GET', '/oms/api/orders?orderRef=web-1');
      expect(byRef.body).toMatchObject({ totalItems: 1, totalPages: 1 });
    });

    it('keeps the point a ship-to gives (lat and lng, together) and refuses half a point', async () => {
      const point = { lat: 52.52, lng: 13.405 };
      const created = await api.request<{ orderId: string }>('POST', '/oms/api/orders', {
        body: { ...order, orderRef: 'web-geo-1', shipTo: point },
      });
      expect(created.status).toBe(201);
      expect((await api.request('GET', `/oms/api/orders/${created.body.orderId}`)).body).toMatchObject({
        shipTo: point,
      });
      for (const shipTo of [{ lat: 52.52 }, { lng: 13.405 }, { lat: 91, lng: 0 }, { lat: '52', lng: 13 }]) {
        const refused = await api.request<{ detail: string }>('POST', '/oms/api/orders', {
          body: { ...order, orderRef: 'web-geo-2', shipTo },
        });
        expect(refused.status).toBe(400);
        expect(refused.body.detail).toMatch(/shipTo\.(lat|lng)/);
      }
    });
  });

  describe('marketplace', () => {
    it('sets the quantity of a listing and counts every update', async () => {
      const before = await stats();
      const first = await api.request('PUT', '/marketplace/api/listings/SELLER-1/quantity', {
        body: { quantity: 7 },
      });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ sellerSku: 'SELLER-1', quantity: 7, updatedAt: expect.any(String) });
      expect(
        (await api.request('PUT', '/marketplace/api/listings/SELLER-1/quantity', { body: { quantity: 0 } }))
          .body,
      ).toMatchObject({ quantity: 0 });
      expect(
        (await api.request('PUT', '/marketplace/api/listings/SELLER-1/quantity', { body: { quantity: -1 } }))
          .status,
      ).toBe(400);
      const list = await api.request<Page<{ sellerSku: string; quantity: number }>>(
        'GET',
        '/marketplace/api/listings?pageSize=10',
      );
      expect(list.body.items).toEqual([
        { sellerSku: 'SELLER-1', quantity: 0, updatedAt: expect.any(String) },
      ]);
      expect((await stats()).marketplace.quantityUpdates - before.marketplace.quantityUpdates).toBe(2);
    });
  });
});
