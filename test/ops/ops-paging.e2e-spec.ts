import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { encodeCursor } from '@stockbridge/app-platform';
import { loadConfig } from '@stockbridge/config';
import { Db } from '@stockbridge/persistence';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';
import { HttpClient, type HttpResult } from '../support/http';

const ALICE = 'alice-admin-token-0123456789';
const BOB = 'bob-admin-token-abcdefghijkl';
const PROBLEM = 'application/problem+json';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
}

/** The ops lists page by cursor: every item exactly once, in the list's order, however the pages fall. */
describe('ops lists, paged by cursor (e2e)', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let api: HttpClient;
  let db: Db;

  /** Every page of `path` with `limit` items a page: the items in order and each page's size. */
  async function pageThrough<T>(path: string, limit: number): Promise<{ items: T[]; sizes: number[] }> {
    const items: T[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res: HttpResult<Page<T>> = await api.request<Page<T>>(
        'GET',
        `${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect({ path, cursor, status: res.status }).toEqual({ path, cursor, status: 200 });
      items.push(...res.body.items);
      sizes.push(res.body.items.length);
      cursor = res.body.nextCursor;
    } while (cursor !== null && sizes.length < 50);
    expect(cursor).toBeNull();
    return { items, sizes };
  }

  async function expectInvalidCursor(path: string): Promise<void> {
    const res = await api.request<Problem>('GET', path);
    expect({ path, status: res.status, contentType: res.contentType, type: res.body.type }).toEqual({
      path,
      status: 400,
      contentType: expect.stringContaining(PROBLEM),
      type: expect.stringMatching(/\/invalid-cursor$/),
    });
  }

  /** The first page's cursor of `path` (which must have more than `limit` items). */
  async function firstCursor(path: string, limit: number): Promise<string> {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api.request<Page<unknown>>('GET', `${path}${sep}limit=${limit}`);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    return res.body.nextCursor!;
  }

  beforeAll(async () => {
    env = await createTestEnvironment('ops_paging');
    const config = loadConfig(OpsConfig, {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: env.redisPrefix,
      OPS_ADMIN_TOKENS: `alice:${ALICE},bob:${BOB}`,
      LOG_LEVEL: 'silent',
      DB_POOL_SIZE: '4',
    });
    app = await buildOpsApp(config, { quiet: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    api = new HttpClient(baseUrl, { authorization: `Bearer ${ALICE}` }, 4);
    db = app.get(Db);
  });

  afterAll(async () => {
    await api?.close();
    await app?.close();
    await env?.teardown();
  });

  describe('SKU and unit mappings', () => {
    // Zero-padded codes of one case: their order is the same in every collation.
    const erp = Array.from({ length: 13 }, (_, i) => ({
      system: 'erp',
      externalCode: `ITEM-${String(i + 1).padStart(5, '0')}`,
      sku: `SKU-${String(i + 1).padStart(5, '0')}`,
    }));
    const wms = Array.from({ length: 9 }, (_, i) => ({
      system: 'wms',
      externalCode: `W.${String(i + 1).padStart(3, '0')}`,
      sku: `SKU-${String(i + 1).padStart(5, '0')}`,
    }));

    beforeAll(async () => {
      // Five changes by two operators, in an order that is not the list's, then two removals: seven audit entries.
      for (const [items, token] of [
        [wms.slice(4), ALICE],
        [erp.slice(6), BOB],
        [erp.slice(0, 6), ALICE],
        [wms.slice(0, 4), BOB],
        [[erp[12]], ALICE],
      ] as const) {
        const res = await api.request('PUT', '/v1/mappings/skus', {
          body: { items },
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(200);
      }
      expect((await api.request('DELETE', '/v1/mappings/skus/erp/ITEM-00003')).status).toBe(204);
      expect((await api.request('DELETE', '/v1/mappings/skus/wms/W.009')).status).toBe(204);
    });

    const remaining = () =>
      [...erp, ...wms].filter((m) => m.externalCode !== 'ITEM-00003' && m.externalCode !== 'W.009');

    it('pages every SKU cross-reference exactly once, by backend then item code', async () => {
      const { items, sizes } = await pageThrough<{ system: string; externalCode: string; sku: string }>(
        '/v1/mappings/skus',
        4,
      );
      expect(sizes).toEqual([4, 4, 4, 4, 4]);
      expect(items).toEqual(remaining());
    });

    it('keeps the system filter across pages, and answers one page with no cursor when it holds everything', async () => {
      const { items, sizes } = await pageThrough('/v1/mappings/skus?system=wms', 3);
      expect(sizes).toEqual([3, 3, 2]);
      expect(items).toEqual(wms.slice(0, 8));
      const whole = await api.request<Page<unknown>>('GET', '/v1/mappings/skus?system=erp&limit=12');
      expect(whole.body).toEqual({ items: remaining().filter((m) => m.system === 'erp'), nextCursor: null });
      const byDefault = await api.request<Page<unknown>>('GET', '/v1/mappings/skus');
      expect(byDefault.body).toEqual({ items: remaining(), nextCursor: null });
    });

    it('pages unit conversions by backend, unit and SKU', async () => {
      const uoms = [
        { system: 'erp', uom: 'CS', sku: 'SKU-00002', factor: 6 },
        { system: 'erp', uom: 'CS', sku: 'SKU-00001', factor: 24 },
        { system: 'erp', uom: 'PL', sku: 'SKU-00001', factor: 480 },
        { system: 'wms', uom: 'CS', sku: 'SKU-00001', factor: 12 },
        { system: 'erp', uom: 'IP', sku: 'SKU-00001', factor: 4 },
      ];
      expect((await api.request('PUT', '/v1/mappings/uoms', { body: { items: uoms } })).status).toBe(200);
      const { items, sizes } = await pageThrough('/v1/mappings/uoms', 2);
      expect(sizes).toEqual([2, 2, 1]);
      expect(items).toEqual([uoms[1], uoms[0], uoms[4], uoms[2], uoms[3]]);
    });

    it('refuses a cursor of another list or an altered one with 400 invalid-cursor', async () => {
      const skuCursor = await firstCursor('/v1/mappings/skus', 2);
      await expectInvalidCursor(`/v1/mappings/locations?cursor=${skuCursor}`);
      await expectInvalidCursor(`/v1/mappings/uoms?cursor=${skuCursor}`);
      await expectInvalidCursor(`/v1/audit?cursor=${skuCursor}`);
      await expectInvalidCursor(`/v1/mappings/skus?cursor=${skuCursor.slice(0, -3)}`);
      await expectInvalidCursor(`/v1/mappings/skus?cursor=${encodeCursor('sku-mappings', ['erp'])}`);
      await expectInvalidCursor(
        `/v1/mappings/skus?cursor=${encodeCursor('sku-mappings', ['erp', 'A\u0000'])}`,
      );
    });

    it('refuses a limit out of bounds with 400 problem+json', async () => {
      for (const limit of ['0', '1001', 'many']) {
        const res = await api.request('GET', `/v1/mappings/skus?limit=${limit}`);
        expect({ limit, status: res.status }).toEqual({ limit, status: 400 });
        expect(res.contentType).toContain(PROBLEM);
      }
    });
  });

  describe('audit log', () => {
    interface AuditEntry {
      id: string;
      actor: string;
      action: string;
      targetId: string | null;
    }

    it('pages every entry exactly once, newest first', async () => {
      const { items, sizes } = await pageThrough<AuditEntry>('/v1/audit?targetType=sku-xref', 3);
      expect(sizes).toEqual([3, 3, 1]);
      expect(items.map((e) => [e.actor, e.action, e.targetId])).toEqual([
        ['alice', 'mapping.sku.delete', 'wms/W.009'],
        ['alice', 'mapping.sku.delete', 'erp/ITEM-00003'],
        ['alice', 'mapping.sku.put', 'erp'],
        ['bob', 'mapping.sku.put', 'wms'],
        ['alice', 'mapping.sku.put', 'erp'],
        ['bob', 'mapping.sku.put', 'erp'],
        ['alice', 'mapping.sku.put', 'wms'],
      ]);
      const ids = items.map((e) => BigInt(e.id));
      expect(new Set(ids).size).toBe(7);
      expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
      // Every entry of the log (the unit change included), and one page when it holds them all.
      expect((await pageThrough<AuditEntry>('/v1/audit', 2)).items).toHaveLength(8);
      expect((await api.request<Page<AuditEntry>>('GET', '/v1/audit?limit=8')).body.nextCursor).toBeNull();
    });

    it('keeps the actor filter across pages', async () => {
      const { items, sizes } = await pageThrough<AuditEntry>('/v1/audit?targetType=sku-xref&actor=bob', 1);
      expect(sizes).toEqual([1, 1]);
      expect(items.map((e) => e.action)).toEqual(['mapping.sku.put', 'mapping.sku.put']);
    });

    it('refuses a cursor of another list or an altered one with 400 invalid-cursor', async () => {
      const cursor = await firstCursor('/v1/audit', 3);
      await expectInvalidCursor(`/v1/dead-letters?cursor=${cursor}`);
      await expectInvalidCursor(`/v1/mappings/skus?cursor=${cursor}`);
      await expectInvalidCursor(`/v1/audit?cursor=${cursor.slice(0, -2)}`);
      await expectInvalidCursor(`/v1/audit?cursor=${encodeCursor('audit', ['1 OR true'])}`);
      await expectInvalidCursor(`/v1/audit?cursor=${encodeCursor('audit', ['99999999999999999999999'])}`);
    });

    it('keeps the limit bounds (1–1000)', async () => {
      expect((await api.request('GET', '/v1/audit?limit=0')).status).toBe(400);
      expect((await api.request('GET', '/v1/audit?limit=1001')).status).toBe(400);
      expect((await api.request<Page<unknown>>('GET', '/v1/audit?limit=1000')).body.nextCursor).toBeNull();
    });
  });

  describe('dead letters', () => {
    interface Letter {
      id: string;
      queue: string;
      failedAt: string;
    }
    /** Seeded letters in the list's order: by failure time (to the microsecond), then id. */
    let expected: { id: string; queue: string }[];

    beforeAll(async () => {
      // Eleven letters failing within one millisecond, some in the same microsecond: only a cursor that keeps
      // the microseconds (and breaks ties by id) pages them without skipping or repeating one.
      const micros = [5, 1, 3, 3, 3, 2, 8, 4, 6, 6, 7];
      const seeds = micros.map((micro, i) => ({
        id: randomUUID(),
        micro,
        queue: i % 3 === 0 ? 'oms.orders' : 'erp.commitments',
      }));
      const base = (
        await db.query<{ at: string }>(
          `SELECT (date_trunc('milliseconds', now()) - interval '1 hour')::text AS at`,
        )
      ).rows[0].at;
      for (const s of seeds) {
        const eventId = randomUUID();
        const payload = {
          id: eventId,
          type: 'reservation.confirmed',
          version: 1,
          source: 'process-reservations',
          occurredAt: new Date().toISOString(),
          correlationId: `corr-${eventId.slice(0, 8)}`,
          causationId: null,
          partitionKey: 'SKU-00001',
          payload: { reservationId: randomUUID() },
        };
        await db.query(
          `INSERT INTO dead_letters (id, queue, job_id, job_name, event_id, event_type, correlation_id, payload,
             error_kind, reason, errors, attempts_made, failed_at)
           VALUES ($1, $2, $3, 'reservation.confirmed', $3, 'reservation.confirmed', $4, $5, 'exhausted',
             'ERP answered 503', $6, 10,
             $7::timestamptz + $8::int * interval '1 microsecond')`,
          [
            s.id,
            s.queue,
            eventId,
            payload.correlationId,
            JSON.stringify(payload),
            JSON.stringify({ history: [{ attempt: 10, message: 'ERP answered 503' }], details: {} }),
            base,
            s.micro,
          ],
        );
      }
      // PostgreSQL orders uuids by their bytes, as their lowercase text sorts.
      expected = [...seeds]
        .sort((a, b) => a.micro - b.micro || (a.id < b.id ? -1 : 1))
        .map(({ id, queue }) => ({ id, queue }));
    });

    it('pages every letter exactly once, oldest first to the microsecond, ties by id', async () => {
      const { items, sizes } = await pageThrough<Letter>('/v1/dead-letters', 3);
      expect(sizes).toEqual([3, 3, 3, 2]);
      expect(items.map((l) => ({ id: l.id, queue: l.queue }))).toEqual(expected);
    });

    it('keeps the filters and the total across pages', async () => {
      const first = await api.request<Page<Letter> & { total: number }>(
        'GET',
        '/v1/dead-letters?queue=erp.commitments&limit=2',
      );
      expect(first.body.total).toBe(7);
      const second = await api.request<Page<Letter> & { total: number }>(
        'GET',
        `/v1/dead-letters?queue=erp.commitments&limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.total).toBe(7);
      const { items } = await pageThrough<Letter>('/v1/dead-letters?queue=erp.commitments&status=open', 2);
      expect(items.map((l) => l.id)).toEqual(
        expected.filter((l) => l.queue === 'erp.commitments').map((l) => l.id),
      );
      const whole = await api.request<Page<Letter>>('GET', '/v1/dead-letters?limit=11');
      expect(whole.body.items).toHaveLength(11);
      expect(whole.body.nextCursor).toBeNull();
    });

    it('still pages by offset for the callers that do, with the total and a cursor onwards', async () => {
      const res = await api.request<Page<Letter> & { total: number }>(
        'GET',
        '/v1/dead-letters?limit=3&offset=3',
      );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(11);
      expect(res.body.items.map((l) => l.id)).toEqual(expected.slice(3, 6).map((l) => l.id));
      const next = await api.request<Page<Letter>>(
        'GET',
        `/v1/dead-letters?limit=3&cursor=${res.body.nextCursor}`,
      );
      expect(next.body.items.map((l) => l.id)).toEqual(expected.slice(6, 9).map((l) => l.id));
      const past = await api.request<Page<Letter> & { total: number }>('GET', '/v1/dead-letters?offset=20');
      expect(past.body).toEqual({ items: [], nextCursor: null, total: 11 });
    });

    it('refuses a cursor together with an offset with 400 validation-failed', async () => {
      const cursor = await firstCursor('/v1/dead-letters', 3);
      const res = await api.request<Problem>('GET', `/v1/dead-letters?limit=3&offset=3&cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.contentType).toContain(PROBLEM);
      expect(res.body.type).toMatch(/\/validation-failed$/);
      expect(res.body.detail).toMatch(/cursor or offset, not both/);
      // offset=0 is where a cursor starts anyway.
      expect((await api.request('GET', `/v1/dead-letters?limit=3&offset=0&cursor=${cursor}`)).status).toBe(
        200,
      );
    });

    it('refuses a cursor of another list or an altered one with 400 invalid-cursor', async () => {
      const cursor = await firstCursor('/v1/dead-letters', 3);
      await expectInvalidCursor(`/v1/audit?cursor=${cursor}`);
      await expectInvalidCursor(`/v1/dead-letters?cursor=${await firstCursor('/v1/mappings/skus', 1)}`);
      await expectInvalidCursor(`/v1/dead-letters?cursor=${cursor.slice(1)}`);
      for (const key of [
        ['yesterday', expected[0].id],
        ['2026-02-30 10:00:00.000001+00', expected[0].id],
        ['2026-12-01 10:00:00.000001+00', 'not-a-uuid'],
      ]) {
        await expectInvalidCursor(`/v1/dead-letters?cursor=${encodeCursor('dead-letters', key)}`);
      }
      const malformed = await api.request<Problem>('GET', '/v1/dead-letters?cursor=not%20a%20cursor');
      expect(malformed.status).toBe(400);
      expect(malformed.contentType).toContain(PROBLEM);
    });
  });
});
