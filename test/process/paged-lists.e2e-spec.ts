import { randomUUID } from 'node:crypto';
import { encodeCursor } from '@stockbridge/app-platform';
import { HttpClient, type HttpResult } from '../support/http';
import { OrderApps } from '../support/order-apps';
import { TestPlatform } from '../support/platform';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface Listed {
  id: string;
  createdAt: string;
}

/** An item as the test made it: `at` is PostgreSQL's text of its created_at, all six fraction digits written. */
interface Made {
  id: string;
  at: string;
}

/**
 * The documented order of both lists: newest first by creation time, then by id (descending). `at` is written
 * with the same offset and every fraction digit, so its text sorts as its time; ids are lowercase UUIDs, which
 * PostgreSQL orders as their text.
 */
const newestFirst = (items: Made[]): string[] =>
  [...items]
    .sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((i) => i.id);

/** `n` UUIDs (the tie-break order among them is whatever their text says). */
const uuids = (n: number) => Array.from({ length: n }, () => randomUUID());

describe('paged lists of process-allocation (GET /v1/orders) and process-returns (GET /v1/returns)', () => {
  let platform: TestPlatform;
  let apps: OrderApps;
  let orders: HttpClient;
  let returns: HttpClient;

  /**
   * Times the items are made at, several in one millisecond (and three in one microsecond), so the cursor must
   * keep microseconds and break ties by id to page right.
   */
  const SAME_MICROSECOND = '2025-11-30 10:00:00.123456+00';
  const TIMES = [
    SAME_MICROSECOND,
    SAME_MICROSECOND,
    SAME_MICROSECOND,
    '2025-11-30 10:00:00.123457+00',
    '2025-11-30 10:00:00.123999+00',
    '2025-11-30 10:00:00.124000+00',
    '2025-11-30 09:59:59.000000+00',
    '2025-11-30 10:00:01.000001+00',
    '2025-11-29 23:00:00.500000+00',
    '2025-11-30 10:00:00.123455+00',
  ];

  /** An order as process-allocation leaves it, in one statement per table: order, its lines, its first transition. */
  const insertOrders = async (rows: { id: string; channel: string; state: string; at: string }[]) => {
    await platform.db.tx(async (sql) => {
      await sql.query(
        `INSERT INTO orders (id, channel, reference, state, created_at, updated_at)
         SELECT id, channel, 'REF-' || left(id::text, 8), state, at, at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS o(id, channel, state, at)`,
        [rows.map((r) => r.id), rows.map((r) => r.channel), rows.map((r) => r.state), rows.map((r) => r.at)],
      );
      await sql.query(
        `INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents, unit_cost_cents)
         SELECT id, 'A-1', 2, 2500, 1000 FROM unnest($1::uuid[]) AS o(id)`,
        [rows.map((r) => r.id)],
      );
      await sql.query(
        `INSERT INTO order_transitions (order_id, from_state, to_state, cause, source, at)
         SELECT id, NULL, state, 'seeded', 'test', at
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS o(id, state, at)`,
        [rows.map((r) => r.id), rows.map((r) => r.state), rows.map((r) => r.at)],
      );
    });
  };

  /** Returns as process-returns leaves them after opening: the return and its line. */
  const insertReturns = async (rows: { id: string; orderId: string; at: string }[]) => {
    await platform.db.tx(async (sql) => {
      await sql.query(
        `INSERT INTO rmas (id, order_id, source, external_ref, reason, status, created_at, updated_at)
         SELECT id, order_id, 'web', 'WEB-RMA-' || left(id::text, 8), 'wrong size', 'open', at, at
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS r(id, order_id, at)`,
        [rows.map((r) => r.id), rows.map((r) => r.orderId), rows.map((r) => r.at)],
      );
      await sql.query(
        `INSERT INTO rma_lines (rma_id, sku, quantity) SELECT id, 'A-1', 1 FROM unnest($1::uuid[]) AS r(id)`,
        [rows.map((r) => r.id)],
      );
    });
  };

  /** Follows nextCursor from the first page until it is null; every page's items, in the order read. */
  const pageThrough = async <T>(client: HttpClient, path: string, limit: number): Promise<T[][]> => {
    const pages: T[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const res: HttpResult<Page<T>> = await client.request<Page<T>>(
        'GET',
        `${path}${path.includes('?') ? '&' : '?'}${query}`,
      );
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
      pages.push(res.body.items);
      cursor = res.body.nextCursor;
      if (cursor !== null) expect(res.body.items).toHaveLength(limit);
      expect(pages.length).toBeLessThan(100);
    } while (cursor !== null);
    return pages;
  };

  const ids = (pages: { id: string }[][]) => pages.flat().map((i) => i.id);

  const expectProblem = (res: HttpResult, status: number, type: string) => {
    expect({ status: res.status, contentType: res.contentType }).toEqual({
      status,
      contentType: expect.stringContaining('application/problem+json'),
    });
    const body = res.body as { type: string; status: number; detail: string };
    expect(body.status).toBe(status);
    expect(body.type).toMatch(new RegExp(`/${type}$`));
    expect(body.detail).toEqual(expect.any(String));
  };

  /** A cursor of `list` holding `key`, as a client that altered one would send it. */
  const forged = (list: string, key: unknown[]) =>
    Buffer.from(JSON.stringify({ l: list, k: key }), 'utf8').toString('base64url');

  /** Cursors that no list gave out: altered ones, each still matching the cursor pattern. */
  const alteredCursors = (list: string, valid: string) => [
    valid.slice(0, -2),
    `${valid.slice(0, 8)}${valid[8] === 'A' ? 'B' : 'A'}${valid.slice(9)}`,
    forged(list, ['yesterday', randomUUID()]),
    forged(list, ['2025-02-30 10:00:00.123456+00', randomUUID()]),
    forged(list, ['2025-11-30 25:00:00+00', randomUUID()]),
    forged(list, ['2025-11-30 10:00:00.123456+00', 'not-a-uuid']),
    forged(list, ['2025-11-30 10:00:00.123456+00', randomUUID(), 'extra']),
    encodeCursor(list, [42]),
  ];

  beforeAll(async () => {
    platform = await TestPlatform.start('paged_lists');
    await platform.seed({
      locations: [{ code: 'WH-1' }],
      skus: ['A-1'],
      channels: [
        { code: 'web', pool: ['WH-1'] },
        { code: 'b2b', pool: ['WH-1'] },
      ],
      stock: [{ sku: 'A-1', location: 'WH-1', onHand: 100 }],
    });
    apps = await OrderApps.start(platform);
    orders = apps.http;
    returns = apps.returnsHttp;
  });

  afterAll(async () => {
    await apps?.stop();
    await platform?.stop();
  });

  describe('orders', () => {
    const made: (Made & { channel: string; state: string })[] = uuids(TIMES.length).map((id, i) => ({
      id,
      at: TIMES[i],
      // Six shipped (two pages of three exactly), four allocated; b2b every third.
      state: i % 5 < 3 ? 'shipped' : 'allocated',
      channel: i % 3 === 0 ? 'b2b' : 'web',
    }));

    beforeAll(async () => {
      await insertOrders(made);
    });

    it('pages through every order exactly once, newest first by creation time then id, until nextCursor is null', async () => {
      const pages = await pageThrough<Listed>(orders, '/v1/orders', 3);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
      expect(ids(pages)).toEqual(newestFirst(made));
      // The three orders made in one microsecond (fifth to seventh newest) straddle pages 2 and 3, by id descending.
      const tied = made.filter((o) => o.at === SAME_MICROSECOND).map((o) => o.id);
      expect(ids(pages).slice(4, 7)).toEqual([...tied].sort().reverse());
      // A listed order is the order as GET /v1/orders/{id} shows it.
      const first = pages[0][0];
      expect((await orders.request('GET', `/v1/orders/${first.id}`)).body).toEqual(first);
    });

    it('keeps the state and channel filters across pages, and ends without an empty page', async () => {
      const shipped = await pageThrough<Listed & { state: string }>(orders, '/v1/orders?state=shipped', 3);
      expect(shipped.map((p) => p.length)).toEqual([3, 3]);
      expect(ids(shipped)).toEqual(newestFirst(made.filter((o) => o.state === 'shipped')));
      expect(shipped.flat().every((o) => o.state === 'shipped')).toBe(true);

      const b2b = await pageThrough<Listed & { channel: string }>(orders, '/v1/orders?channel=b2b', 1);
      expect(ids(b2b)).toEqual(newestFirst(made.filter((o) => o.channel === 'b2b')));

      const both = await pageThrough<Listed>(orders, '/v1/orders?state=allocated&channel=web', 2);
      expect(ids(both)).toEqual(
        newestFirst(made.filter((o) => o.state === 'allocated' && o.channel === 'web')),
      );
    });

    it('answers up to 50 orders without `limit`, and an empty list as one page with nextCursor null', async () => {
      const all = await orders.request<Page<Listed>>('GET', '/v1/orders');
      expect(all.body).toEqual({ items: expect.any(Array), nextCursor: null });
      expect(all.body.items.map((o) => o.id)).toEqual(newestFirst(made));
      expect((await orders.request('GET', '/v1/orders?state=settled&limit=3')).body).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('does not shift a page when orders are added while paging', async () => {
      const first = await orders.request<Page<Listed>>('GET', '/v1/orders?limit=3');
      const newest = randomUUID();
      // Made now, quickly after one another: newer than every order above.
      await insertOrders([{ id: newest, channel: 'web', state: 'allocated', at: new Date().toISOString() }]);
      const rest: Listed[] = [];
      let cursor = first.body.nextCursor;
      while (cursor !== null) {
        const next = await orders.request<Page<Listed>>('GET', `/v1/orders?limit=3&cursor=${cursor}`);
        rest.push(...next.body.items);
        cursor = next.body.nextCursor;
      }
      expect([...first.body.items, ...rest].map((o) => o.id)).toEqual(newestFirst(made));
      expect((await orders.request<Page<Listed>>('GET', '/v1/orders?limit=1')).body.items[0].id).toBe(newest);
      await platform.db.query(`DELETE FROM orders WHERE id = $1`, [newest]);
    });

    it('refuses an altered cursor and a limit out of 1–200, as 400 problems', async () => {
      const page = await orders.request<Page<Listed>>('GET', '/v1/orders?limit=3');
      const valid = page.body.nextCursor!;
      for (const cursor of alteredCursors('orders', valid))
        expectProblem(
          await orders.request('GET', `/v1/orders?limit=3&cursor=${encodeURIComponent(cursor)}`),
          400,
          'invalid-cursor',
        );
      expectProblem(
        await orders.request('GET', '/v1/orders?cursor=not%20a%20cursor'),
        400,
        'validation-failed',
      );
      for (const limit of ['0', '201', '-1', '2.5', 'ten'])
        expectProblem(await orders.request('GET', `/v1/orders?limit=${limit}`), 400, 'validation-failed');
      expect((await orders.request('GET', '/v1/orders?limit=200')).status).toBe(200);
      // The valid cursor still reads its page.
      expect((await orders.request('GET', `/v1/orders?limit=3&cursor=${valid}`)).status).toBe(200);
    });
  });

  describe('returns', () => {
    const orderA = randomUUID();
    const orderB = randomUUID();
    /** Five returns of order A, four of order B made directly; more of order B opened through the API below. */
    const made: (Made & { orderId: string })[] = uuids(9).map((id, i) => ({
      id,
      at: TIMES[i],
      orderId: i % 2 === 0 ? orderA : orderB,
    }));

    beforeAll(async () => {
      await insertOrders([
        { id: orderA, channel: 'web', state: 'shipped', at: '2025-11-20 08:00:00.000000+00' },
        { id: orderB, channel: 'web', state: 'shipped', at: '2025-11-20 08:00:00.000000+00' },
      ]);
      // Both orders shipped their units, so returns of them can be opened through the API too.
      for (const orderId of [orderA, orderB]) {
        const fo = randomUUID();
        await platform.db.query(
          `INSERT INTO fulfilment_orders (id, order_id, location, status) VALUES ($1, $2, 'WH-1', 'shipped')`,
          [fo, orderId],
        );
        await platform.db.query(
          `INSERT INTO fulfilment_lines (fulfilment_order_id, sku, quantity, shipped) VALUES ($1, 'A-1', 20, 20)`,
          [fo],
        );
      }
      await insertReturns(made);
    });

    it('pages through every return exactly once, newest first by creation time then id, until nextCursor is null', async () => {
      const pages = await pageThrough<Listed & { orderId: string }>(returns, '/v1/returns', 3);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 3]);
      expect(ids(pages)).toEqual(newestFirst(made));
      const first = pages[0][0];
      expect((await returns.request('GET', `/v1/returns/${first.id}`)).body).toEqual(first);
    });

    it('keeps the orderId filter across pages', async () => {
      const ofA = await pageThrough<Listed & { orderId: string }>(
        returns,
        `/v1/returns?orderId=${orderA}`,
        3,
      );
      expect(ofA.map((p) => p.length)).toEqual([3, 2]);
      expect(ids(ofA)).toEqual(newestFirst(made.filter((r) => r.orderId === orderA)));
      expect(ofA.flat().every((r) => r.orderId === orderA)).toBe(true);
    });

    it('pages returns opened through the API at the same moment, each once, newest first', async () => {
      const opened = await Promise.all(
        [1, 2, 3].map((n) =>
          returns.request<Listed>('POST', '/v1/returns', {
            body: {
              orderId: orderB,
              source: 'web',
              externalRef: `API-RMA-${n}`,
              reason: 'damaged',
              lines: [{ sku: 'A-1', quantity: 1 }],
            },
          }),
        ),
      );
      expect(opened.map((r) => r.status)).toEqual([201, 201, 201]);
      const times = await platform.db.query<{ id: string; at: string }>(
        `SELECT id::text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS at
         FROM rmas WHERE id = ANY($1::uuid[])`,
        [opened.map((r) => r.body.id)],
      );
      const ofB = await pageThrough<Listed>(returns, `/v1/returns?orderId=${orderB}`, 2);
      expect(ofB.map((p) => p.length)).toEqual([2, 2, 2, 1]);
      expect(ids(ofB)).toEqual(newestFirst([...made.filter((r) => r.orderId === orderB), ...times.rows]));
      expect(ids(ofB).slice(0, 3).sort()).toEqual(opened.map((r) => r.body.id).sort());
    });

    it('refuses an altered cursor and a limit out of 1–500, as 400 problems', async () => {
      const valid = (await returns.request<Page<Listed>>('GET', '/v1/returns?limit=2')).body.nextCursor!;
      for (const cursor of alteredCursors('returns', valid))
        expectProblem(
          await returns.request('GET', `/v1/returns?limit=2&cursor=${encodeURIComponent(cursor)}`),
          400,
          'invalid-cursor',
        );
      expectProblem(
        await returns.request('GET', `/v1/returns?orderId=${orderA}&cursor=${'x'.repeat(1025)}`),
        400,
        'validation-failed',
      );
      for (const limit of ['0', '501', 'ten'])
        expectProblem(await returns.request('GET', `/v1/returns?limit=${limit}`), 400, 'validation-failed');
      expect((await returns.request('GET', '/v1/returns?limit=500')).status).toBe(200);
      expect((await returns.request('GET', `/v1/returns?limit=2&cursor=${valid}`)).status).toBe(200);
    });
  });

  it("refuses the other list's cursor (a cursor belongs to its list) as 400 invalid-cursor", async () => {
    const ofOrders = (await orders.request<Page<Listed>>('GET', '/v1/orders?limit=1')).body.nextCursor;
    const ofReturns = (await returns.request<Page<Listed>>('GET', '/v1/returns?limit=1')).body.nextCursor;
    expect([ofOrders, ofReturns]).toEqual([expect.any(String), expect.any(String)]);
    expectProblem(
      await orders.request('GET', `/v1/orders?limit=1&cursor=${ofReturns}`),
      400,
      'invalid-cursor',
    );
    expectProblem(
      await returns.request('GET', `/v1/returns?limit=1&cursor=${ofOrders}`),
      400,
      'invalid-cursor',
    );
    // Each one still reads its own list's next page.
    expect((await orders.request('GET', `/v1/orders?limit=1&cursor=${ofOrders}`)).status).toBe(200);
    expect((await returns.request('GET', `/v1/returns?limit=1&cursor=${ofReturns}`)).status).toBe(200);
  });
});
