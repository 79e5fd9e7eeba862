// One file past 400 lines on purpose: every return scenario runs on one started platform (the process apps,
// the sandbox and system-erp take seconds to start); split, each file would start them again.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@stockbridge/config';
import { buildProcessReturnsApp } from '../../apps/process-returns/src/app';
import { ProcessReturnsConfig } from '../../apps/process-returns/src/process-returns.config';
import { HttpClient, type HttpResult } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { type RunningApp, TestPlatform, urlOf } from '../support/platform';

interface RmaBody {
  id: string;
  orderId: string;
  channel: string;
  source: string;
  externalRef: string | null;
  reason: string;
  status: string;
  location: string | null;
  lines: {
    sku: string;
    quantity: number;
    received: number;
    resell: number;
    damaged: number;
    destroyed: number;
  }[];
  createdAt: string;
  updatedAt: string;
}

interface RmaPage {
  items: RmaBody[];
  nextCursor: string | null;
}

interface Problem {
  type: string;
  status: number;
  detail: string;
}

const PRICE = { 'A-1': 2_500, 'B-1': 900, 'C-1': 4_000 } as const;
const COST = { 'A-1': 1_000, 'B-1': 300, 'C-1': 1_500 } as const;

describe('returns: an RMA is received into quality control, graded, restocked, and refunded in the ERP', () => {
  let platform: TestPlatform;
  let returns: RunningApp;
  let api: HttpClient;
  let web: HttpClient;
  const order1 = randomUUID();
  const order2 = randomUUID();
  let rmaId: string;

  /** A shipped order, as process-allocation leaves it: order, lines with price and cost, a shipped fulfilment order. */
  const seedShippedOrder = async (
    orderId: string,
    lines: { sku: keyof typeof PRICE; quantity: number }[],
  ) => {
    await platform.db.tx(async (sql) => {
      await sql.query(
        `INSERT INTO orders (id, channel, reference, state) VALUES ($1, 'web', $2, 'shipped')`,
        [orderId, `order-${orderId.slice(0, 8)}`],
      );
      await sql.query(
        `INSERT INTO order_transitions (order_id, from_state, to_state, cause, source) VALUES ($1, NULL, 'shipped', 'seeded', 'test')`,
        [orderId],
      );
      for (const l of lines)
        await sql.query(
          `INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents, unit_cost_cents) VALUES ($1, $2, $3, $4, $5)`,
          [orderId, l.sku, l.quantity, PRICE[l.sku], COST[l.sku]],
        );
      const fo = randomUUID();
      await sql.query(
        `INSERT INTO fulfilment_orders (id, order_id, location, status) VALUES ($1, $2, 'WH-1', 'shipped')`,
        [fo, orderId],
      );
      for (const l of lines)
        await sql.query(
          `INSERT INTO fulfilment_lines (fulfilment_order_id, sku, quantity, shipped) VALUES ($1, $2, $3, $3)`,
          [fo, l.sku, l.quantity],
        );
    });
  };

  const level = async (sku: string, location = 'WH-1') => {
    const l = await platform.level(sku, location);
    return {
      onHand: l.onHand,
      qualityControl: l.qualityControl,
      damaged: l.damaged,
      // docs/inventory-model.md#available-to-sell: available to sell never counts quality control or damaged units.
      available: Math.max(
        0,
        l.onHand - l.reserved - l.allocated - l.damaged - l.qualityControl - l.safetyStock,
      ),
    };
  };

  const storefrontAvailable = async (sku: string) => {
    await platform.syncReadModel();
    const res = await web.request<{ items: { locations: { location: string; available: number }[] }[] }>(
      'GET',
      `/v1/availability?sku=${sku}`,
    );
    return res.body.items[0].locations.find((l) => l.location === 'WH-1')?.available;
  };

  /** Everything a return request can write; compared before and after a refused request. */
  const footprint = async () =>
    (
      await platform.db.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM rmas) AS rmas,
           (SELECT coalesce(sum(received + resell + damaged + destroyed), 0) FROM rma_lines) AS rma_units,
           (SELECT count(*) FROM rmas WHERE status <> 'open') AS progressed,
           (SELECT count(*) FROM stock_movements WHERE source_system = 'process-returns') AS movements,
           (SELECT count(*) FROM financial_postings) AS postings,
           (SELECT count(*) FROM outbox_events WHERE event_type = 'finance.posting-requested') AS outbox,
           (SELECT count(*) FROM order_transitions) AS transitions,
           (SELECT json_agg(s ORDER BY sku, location) FROM stock_levels s)::text AS levels`,
      )
    ).rows[0];

  const expectProblem = (res: HttpResult, status: number, type?: string) => {
    expect({ status: res.status, contentType: res.contentType }).toEqual({
      status,
      contentType: expect.stringContaining('application/problem+json'),
    });
    const body = res.body as Problem;
    expect(body.status).toBe(status);
    expect(body.detail).toEqual(expect.any(String));
    if (type) expect(body.type).toBe(`https://stockbridge.dev/problems/${type}`);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  };

  const postingsOf = async (id: string) =>
    (
      await platform.db.query<{
        posting_key: string;
        kind: string;
        amount_cents: string;
        reason_code: string;
        status: string;
        order_id: string;
        rma_id: string;
      }>(
        `SELECT posting_key, kind, amount_cents, reason_code, status, order_id, rma_id FROM financial_postings
         WHERE rma_id = $1 ORDER BY posting_key`,
        [id],
      )
    ).rows.map((p) => ({ ...p, amount_cents: Number(p.amount_cents) }));

  const outboxKeysOf = async (id: string) =>
    (
      await platform.db.query<{ key: string; n: string }>(
        `SELECT envelope->'payload'->>'postingKey' AS key, count(*) AS n FROM outbox_events
         WHERE event_type = 'finance.posting-requested' AND envelope->'payload'->>'postingKey' LIKE '%' || $1 || '%'
         GROUP BY 1 ORDER BY 1`,
        [id],
      )
    ).rows.map((r) => [r.key, Number(r.n)]);

  const movementsOf = async (id: string) =>
    (
      await platform.db.query<{
        movement_type: string;
        sku: string;
        location: string;
        d_on_hand: string;
        d_quality_control: string;
        d_damaged: string;
        source_event_id: string;
        reservation_id: string;
      }>(
        `SELECT movement_type, sku, location, d_on_hand, d_quality_control, d_damaged, source_event_id, reservation_id
         FROM stock_movements WHERE source_system = 'process-returns' AND source_event_id LIKE 'rma:' || $1 || ':%'
         ORDER BY id`,
        [id],
      )
    ).rows;

  beforeAll(async () => {
    platform = await TestPlatform.start('returns');
    await platform.seed({
      locations: [{ code: 'WH-1' }, { code: 'WH-2' }],
      skus: ['A-1', 'B-1', 'C-1', 'D-1'],
      channels: [{ code: 'web', pool: ['WH-1'] }],
      // What is left at WH-1 after the seeded orders shipped.
      stock: [
        { sku: 'A-1', location: 'WH-1', onHand: 10 },
        { sku: 'B-1', location: 'WH-1', onHand: 5 },
        { sku: 'C-1', location: 'WH-1', onHand: 0 },
      ],
    });
    await seedShippedOrder(order1, [
      { sku: 'A-1', quantity: 4 },
      { sku: 'B-1', quantity: 2 },
    ]);
    await seedShippedOrder(order2, [{ sku: 'C-1', quantity: 5 }]);
    const config = loadConfig(ProcessReturnsConfig, platform.baseEnv());
    const app = await buildProcessReturnsApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    returns = { app, url: urlOf(app) };
    api = new HttpClient(returns.url, { authorization: `Bearer ${platform.serviceToken}` });
    web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
  });

  afterAll(async () => {
    await api?.close();
    await web?.close();
    await returns?.app.close();
    await platform?.stop();
  });

  it('opens a return of shipped units, and answers the same external reference with the same return', async () => {
    const body = {
      orderId: order1,
      source: 'web',
      externalRef: 'WEB-RMA-1',
      reason: 'wrong size',
      lines: [{ sku: 'A-1', quantity: 3 }],
    };
    const opened = await api.request<RmaBody>('POST', '/v1/returns', { body });
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      orderId: order1,
      channel: 'web',
      source: 'web',
      externalRef: 'WEB-RMA-1',
      reason: 'wrong size',
      status: 'open',
      location: null,
      lines: [{ sku: 'A-1', quantity: 3, received: 0, resell: 0, damaged: 0, destroyed: 0 }],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    rmaId = opened.body.id;

    const again = await api.request<RmaBody>('POST', '/v1/returns', { body });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(opened.body);

    const before = await footprint();
    const other = await api.request('POST', '/v1/returns', {
      body: { ...body, lines: [{ sku: 'A-1', quantity: 1 }] },
    });
    expectProblem(other, 409, 'external-ref-reused');
    expect(await footprint()).toEqual(before);

    expect((await api.request<RmaBody>('GET', `/v1/returns/${rmaId}`)).body).toEqual(opened.body);
    const listed = await api.request<RmaPage>('GET', `/v1/returns?orderId=${order1}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r) => r.id)).toEqual([rmaId]);
    expect(listed.body.nextCursor).toBeNull();
  });

  it('refuses returns the order does not allow, and malformed requests, writing nothing', async () => {
    const before = await footprint();
    const open = (body: unknown) => api.request('POST', '/v1/returns', { body });
    const valid = {
      orderId: order1,
      source: 'web',
      reason: 'changed mind',
      lines: [{ sku: 'A-1', quantity: 1 }],
    };

    // 4 shipped, 3 already on the first return: a second return of 2 would return 5.
    const over = await open({ ...valid, lines: [{ sku: 'A-1', quantity: 2 }] });
    expectProblem(over, 422, 'over-return');
    expect((over.body as Problem).detail).toBe(
      'A-1: 2 requested, but 4 shipped and 3 already on other returns.',
    );
    expectProblem(await open({ ...valid, lines: [{ sku: 'D-1', quantity: 1 }] }), 422, 'sku-not-on-order');
    expectProblem(await open({ ...valid, orderId: randomUUID() }), 422, 'order-not-found');
    expectProblem(await open({ ...valid, source: 'marketplace' }), 422, 'source-not-allowed');

    expectProblem(await open({ ...valid, lines: [{ sku: 'A-1', quantity: 0 }] }), 400, 'validation-failed');
    expectProblem(await open({ ...valid, lines: [] }), 400, 'validation-failed');
    expectProblem(
      await open({
        ...valid,
        lines: [
          { sku: 'A-1', quantity: 1 },
          { sku: 'A-1', quantity: 1 },
        ],
      }),
      400,
      'validation-failed',
    );
    expectProblem(await open({ ...valid, orderId: 'not-a-uuid' }), 400, 'validation-failed');
    expectProblem(await open({ ...valid, reason: undefined }), 400, 'validation-failed');
    expectProblem(await open({ ...valid, refund: true }), 400, 'validation-failed');
    expectProblem(
      await api.request('POST', '/v1/returns', {
        rawBody: '{"orderId":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'malformed-json',
    );
    expect(await footprint()).toEqual(before);
  });

  it('receives 3 units into quality control at WH-1: on hand and quality control +3, available to sell unchanged', async () => {
    expect(await level('A-1')).toEqual({ onHand: 10, qualityControl: 0, damaged: 0, available: 10 });
    expect(await storefrontAvailable('A-1')).toBe(10);

    const before = await footprint();
    const receive = (body: unknown, id = rmaId) => api.request('POST', `/v1/returns/${id}/receive`, { body });
    expectProblem(
      await receive({ location: 'WH-9', lines: [{ sku: 'A-1', quantity: 3 }] }),
      422,
      'unknown-location',
    );
    expectProblem(
      await receive({ location: 'WH-1', lines: [{ sku: 'A-1', quantity: 4 }] }),
      422,
      'over-receipt',
    );
    expectProblem(
      await receive({ location: 'WH-1', lines: [{ sku: 'B-1', quantity: 1 }] }),
      422,
      'sku-not-on-rma',
    );
    expectProblem(await receive({ location: 'WH-1', lines: [{ sku: 'A-1', quantity: -1 }] }), 400);
    expectProblem(await receive({ lines: [{ sku: 'A-1', quantity: 1 }] }), 400);
    expectProblem(
      await api.request('POST', `/v1/returns/${rmaId}/grade`, {
        body: { lines: [{ sku: 'A-1', resell: 0, damaged: 0, destroy: 0 }] },
      }),
      409,
      'not-received',
    );
    expect(await footprint()).toEqual(before);

    const received = await receive({ location: 'WH-1', lines: [{ sku: 'A-1', quantity: 3 }] });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({
      status: 'received',
      location: 'WH-1',
      lines: [{ sku: 'A-1', quantity: 3, received: 3, resell: 0, damaged: 0, destroyed: 0 }],
    });
    expect(await level('A-1')).toEqual({ onHand: 13, qualityControl: 3, damaged: 0, available: 10 });
    expect(await storefrontAvailable('A-1')).toBe(10);

    const repeated = await receive({ location: 'WH-1', lines: [{ sku: 'A-1', quantity: 3 }] });
    expect(repeated.status).toBe(200);
    expect(repeated.body).toEqual(received.body);
    expectProblem(
      await receive({ location: 'WH-2', lines: [{ sku: 'A-1', quantity: 3 }] }),
      409,
      'already-received',
    );
    expectProblem(
      await receive({ location: 'WH-1', lines: [{ sku: 'A-1', quantity: 2 }] }),
      409,
      'already-received',
    );
    expect(await level('A-1')).toEqual({ onHand: 13, qualityControl: 3, damaged: 0, available: 10 });
  });

  it('grades 2 resell and 1 damaged: restocks 2, keeps 1 as damaged, refunds 3, books the adjustments, marks the order returned', async () => {
    const grade = (lines: unknown) =>
      api.request<RmaBody>('POST', `/v1/returns/${rmaId}/grade`, { body: { lines } });
    const before = await footprint();
    const short = await grade([{ sku: 'A-1', resell: 2, damaged: 0, destroy: 0 }]);
    expectProblem(short, 422, 'grade-mismatch');
    expect((short.body as unknown as Problem).detail).toContain('but 3 were received');
    expectProblem(await grade([{ sku: 'A-1', resell: 2, damaged: 1, destroy: 1 }]), 422, 'grade-mismatch');
    expectProblem(await grade([{ sku: 'A-1', resell: 2, damaged: 1, destroy: -0.5 }]), 400);
    expectProblem(await grade([{ sku: 'A-1', resell: 3, damaged: 0 }]), 400);
    expect(await footprint()).toEqual(before);

    const graded = await grade([{ sku: 'A-1', resell: 2, damaged: 1, destroy: 0 }]);
    expect(graded.status).toBe(200);
    expect(graded.body).toMatchObject({
      status: 'graded',
      lines: [{ sku: 'A-1', quantity: 3, received: 3, resell: 2, damaged: 1, destroyed: 0 }],
    });
    expect(await level('A-1')).toEqual({ onHand: 13, qualityControl: 0, damaged: 1, available: 12 });
    expect(await storefrontAvailable('A-1')).toBe(12);

    expect(
      (await movementsOf(rmaId)).map((m) => [
        m.movement_type,
        m.sku,
        m.location,
        Number(m.d_on_hand),
        Number(m.d_quality_control),
        Number(m.d_damaged),
        m.source_event_id,
        m.reservation_id,
      ]),
    ).toEqual([
      ['return-receive', 'A-1', 'WH-1', 3, 3, 0, `rma:${rmaId}:receive:A-1`, order1],
      ['grade-resell', 'A-1', 'WH-1', 0, -2, 0, `rma:${rmaId}:grade:resell:A-1`, order1],
      ['grade-damaged', 'A-1', 'WH-1', 0, -1, 1, `rma:${rmaId}:grade:damaged:A-1`, order1],
    ]);

    const order = await platform.db.query<{ state: string }>(`SELECT state FROM orders WHERE id = $1`, [
      order1,
    ]);
    expect(order.rows[0].state).toBe('returned');
    const transitions = await platform.db.query<{
      from_state: string;
      to_state: string;
      cause: string;
      source: string;
    }>(`SELECT from_state, to_state, cause, source FROM order_transitions WHERE order_id = $1 ORDER BY id`, [
      order1,
    ]);
    expect(transitions.rows.at(-1)).toEqual({
      from_state: 'shipped',
      to_state: 'returned',
      cause: `return ${rmaId} graded: 2 resell, 1 damaged, 0 destroy`,
      source: 'process-returns',
    });

    const expectedPostings = [
      {
        posting_key: `adjustment:${rmaId}:damaged`,
        kind: 'inventory-adjustment',
        amount_cents: COST['A-1'],
        reason_code: 'RTN-DMG',
        status: 'requested',
        order_id: order1,
        rma_id: rmaId,
      },
      {
        posting_key: `adjustment:${rmaId}:resell`,
        kind: 'inventory-adjustment',
        amount_cents: 2 * COST['A-1'],
        reason_code: 'RTN-RESTOCK',
        status: 'requested',
        order_id: order1,
        rma_id: rmaId,
      },
      {
        posting_key: `refund:${rmaId}`,
        kind: 'refund',
        amount_cents: 3 * PRICE['A-1'],
        reason_code: 'RFND',
        status: 'requested',
        order_id: order1,
        rma_id: rmaId,
      },
    ];
    expect(await postingsOf(rmaId)).toEqual(expectedPostings);
    const expectedOutbox = [
      [`adjustment:${rmaId}:damaged`, 1],
      [`adjustment:${rmaId}:resell`, 1],
      [`refund:${rmaId}`, 1],
    ];
    expect(await outboxKeysOf(rmaId)).toEqual(expectedOutbox);
    const refundEvent = await platform.db.query<{
      envelope: { source: string; payload: Record<string, unknown> };
    }>(`SELECT envelope FROM outbox_events WHERE envelope->'payload'->>'postingKey' = $1`, [
      `refund:${rmaId}`,
    ]);
    expect(refundEvent.rows[0].envelope).toMatchObject({
      source: 'process-returns',
      payload: {
        kind: 'refund',
        channel: 'web',
        amountCents: 7_500,
        reasonCode: 'RFND',
        lines: [{ sku: 'A-1', location: 'WH-1', quantity: 3, amountCents: 7_500 }],
      },
    });

    // The same grading again changes nothing; another one is refused.
    const after = await footprint();
    const repeated = await grade([{ sku: 'A-1', resell: 2, damaged: 1, destroy: 0 }]);
    expect(repeated.status).toBe(200);
    expect(repeated.body).toEqual(graded.body);
    expectProblem(await grade([{ sku: 'A-1', resell: 3, damaged: 0, destroy: 0 }]), 409, 'already-graded');
    expect(await footprint()).toEqual(after);
    expect(await postingsOf(rmaId)).toEqual(expectedPostings);
    expect(await outboxKeysOf(rmaId)).toEqual(expectedOutbox);
    // A graded return still counts: the 4th unit can be returned, a 5th cannot.
    expectProblem(
      await api.request('POST', '/v1/returns', {
        body: { orderId: order1, source: 'oms', reason: 'x', lines: [{ sku: 'A-1', quantity: 2 }] },
      }),
      422,
      'over-return',
    );
    await assertLedgerInvariants(platform);
  });

  it('applies 20 parallel identical receipts and gradings once each: one set of movements and postings', async () => {
    const opened = await api.request<RmaBody>('POST', '/v1/returns', {
      body: {
        orderId: order2,
        source: 'oms',
        externalRef: 'OMS-77',
        reason: 'defective',
        lines: [{ sku: 'C-1', quantity: 5 }],
      },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id;

    const receipts = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.request<RmaBody>('POST', `/v1/returns/${id}/receive`, {
          body: { location: 'WH-1', lines: [{ sku: 'C-1', quantity: 5 }] },
        }),
      ),
    );
    expect(receipts.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(receipts.map((r) => r.body.updatedAt)).size).toBe(1);
    expect(await level('C-1')).toEqual({ onHand: 5, qualityControl: 5, damaged: 0, available: 0 });

    const gradings = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.request<RmaBody>('POST', `/v1/returns/${id}/grade`, {
          body: { lines: [{ sku: 'C-1', resell: 3, damaged: 0, destroy: 2 }] },
        }),
      ),
    );
    expect(gradings.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(gradings.map((r) => r.body.updatedAt)).size).toBe(1);
    expect(gradings[0].body).toMatchObject({
      status: 'graded',
      lines: [{ sku: 'C-1', quantity: 5, received: 5, resell: 3, damaged: 0, destroyed: 2 }],
    });

    expect(
      (await movementsOf(id)).map((m) => [m.movement_type, Number(m.d_on_hand), Number(m.d_quality_control)]),
    ).toEqual([
      ['return-receive', 5, 5],
      ['grade-resell', 0, -3],
      ['grade-destroy', -2, -2],
    ]);
    expect(await level('C-1')).toEqual({ onHand: 3, qualityControl: 0, damaged: 0, available: 3 });
    expect((await postingsOf(id)).map((p) => [p.posting_key, p.amount_cents, p.reason_code])).toEqual([
      [`adjustment:${id}:destroy`, 2 * COST['C-1'], 'RTN-SCRAP'],
      [`adjustment:${id}:resell`, 3 * COST['C-1'], 'RTN-RESTOCK'],
      [`refund:${id}`, 5 * PRICE['C-1'], 'RFND'],
    ]);
    expect(await outboxKeysOf(id)).toEqual([
      [`adjustment:${id}:destroy`, 1],
      [`adjustment:${id}:resell`, 1],
      [`refund:${id}`, 1],
    ]);
    const transitions = await platform.db.query(
      `SELECT 1 FROM order_transitions WHERE order_id = $1 AND to_state = 'returned'`,
      [order2],
    );
    expect(transitions.rowCount).toBe(1);
    await assertLedgerInvariants(platform);
  });

  it('answers 401 without the service token and 404 for unknown returns, as problems', async () => {
    const anonymous = new HttpClient(returns.url);
    const wrong = new HttpClient(returns.url, { authorization: 'Bearer not-the-service-token' });
    try {
      expectProblem(await anonymous.request('GET', `/v1/returns/${rmaId}`), 401, 'unauthorized');
      expectProblem(await wrong.request('GET', `/v1/returns?orderId=${order1}`), 401, 'unauthorized');
      expectProblem(
        await anonymous.request('POST', '/v1/returns', {
          body: { orderId: order1, source: 'web', reason: 'x', lines: [{ sku: 'A-1', quantity: 1 }] },
        }),
        401,
      );
    } finally {
      await anonymous.close();
      await wrong.close();
    }
    const unknown = randomUUID();
    expectProblem(await api.request('GET', `/v1/returns/${unknown}`), 404, 'rma-not-found');
    expectProblem(await api.request('GET', '/v1/returns/not-an-id'), 404, 'rma-not-found');
    expectProblem(
      await api.request('POST', `/v1/returns/${unknown}/receive`, {
        body: { location: 'WH-1', lines: [{ sku: 'A-1', quantity: 1 }] },
      }),
      404,
      'rma-not-found',
    );
    expectProblem(
      await api.request('POST', `/v1/returns/${unknown}/grade`, {
        body: { lines: [{ sku: 'A-1', resell: 1, damaged: 0, destroy: 0 }] },
      }),
      404,
      'rma-not-found',
    );
    expectProblem(await api.request('GET', '/v1/returns?orderId=nope'), 400, 'validation-failed');
    expect((await api.request<RmaPage>('GET', `/v1/returns?orderId=${randomUUID()}`)).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await api.request('GET', '/health/ready')).status).toBe(200);
  });
});
