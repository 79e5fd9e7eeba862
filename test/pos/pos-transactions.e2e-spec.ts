import { HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';
import { expectProblem, postBatch, type PosResult, sale, STORES } from './pos-fixture';

const HOUR = 3600_000;

/** experience-pos → process-reservations: each transaction of a batch is answered and applied on its own. */
describe('POS API: store transactions', () => {
  let platform: TestPlatform;
  let till: HttpClient;

  const onHand = async (sku: string, store = 'S-NYC') => (await platform.level(sku, store)).onHand;
  const statuses = (results: PosResult[]) => results.map((r) => r.status);

  beforeAll(async () => {
    platform = await TestPlatform.start('pos_tx', { pos: true });
    await platform.seed({
      locations: STORES,
      skus: ['A', 'B', 'C'],
      channels: [{ code: 'pos', pool: STORES.map((s) => s.code) }],
      stock: ['A', 'B', 'C'].map((sku) => ({ sku, location: 'S-NYC', onHand: 50 })),
    });
    till = new HttpClient(
      platform.pos!.url,
      { authorization: `Bearer ${await platform.storeKey('pos', 'S-NYC')}` },
      8,
    );
  });

  afterAll(async () => {
    await till?.close();
    await platform?.stop();
  });

  it('answers each transaction in the order sent, applying the good ones around a malformed one and an unknown SKU', async () => {
    const res = await postBatch(till, 'S-NYC', [
      sale('t1-1', [['A', 2]]),
      { transactionId: 't1-2', type: 'sale', occurredAt: 'yesterday', lines: [{ sku: 'A', quantity: 1 }] },
      sale('t1-3', [['UNKNOWN', 1]]),
      42,
      sale('t1-5', [
        ['B', 1],
        ['C', 3],
      ]),
      { ...sale('t1-6', [['A', 1]]), type: 'return' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => [r.transactionId, r.status])).toEqual([
      ['t1-1', 'applied'],
      ['t1-2', 'refused'],
      ['t1-3', 'refused'],
      [null, 'refused'],
      ['t1-5', 'applied'],
      ['t1-6', 'applied'],
    ]);
    expect(res.body.results[1].reason).toBe('occurredAt must be an ISO 8601 date-time with a zone');
    expect(res.body.results[2].reason).toMatch(/UNKNOWN/);
    expect(res.body.results[3].reason).toBe('a transaction must be a JSON object');
    expect(res.body.results[0]).not.toHaveProperty('reason');
    expect([await onHand('A'), await onHand('B'), await onHand('C')]).toEqual([49, 49, 47]);
  });

  it('answers a batch sent again whole (a lost answer) with duplicates and changes nothing', async () => {
    const batch = [sale('t2-1', [['A', 1]]), sale('t2-2', [['B', 2]])];
    expect(statuses((await postBatch(till, 'S-NYC', batch)).body.results)).toEqual(['applied', 'applied']);
    const before = [await onHand('A'), await onHand('B')];
    const journal = async () =>
      Number((await platform.db.query<{ n: string }>('SELECT count(*) AS n FROM stock_movements')).rows[0].n);
    const movementsBefore = await journal();
    const again = await postBatch(till, 'S-NYC', [...batch, sale('t2-3', [['C', 1]])]);
    expect(statuses(again.body.results)).toEqual(['duplicate', 'duplicate', 'applied']);
    expect([await onHand('A'), await onHand('B')]).toEqual(before);
    // One movement: the new sale's line; the duplicates wrote nothing.
    expect(await journal()).toBe(movementsBefore + 1);
  });

  it("applies late and shuffled transactions with the till's time, and refuses an id reused for another content", async () => {
    const yesterday = sale('t3-1', [['C', 1]], 26 * HOUR);
    const res = await postBatch(till, 'S-NYC', [sale('t3-2', [['C', 1]], 2 * HOUR), yesterday]);
    expect(statuses(res.body.results)).toEqual(['applied', 'applied']);
    const journal = await platform.db.query<{ occurred_at: Date }>(
      `SELECT occurred_at FROM stock_movements WHERE movement_type = 'store-sale' AND sku = 'C' ORDER BY occurred_at LIMIT 1`,
    );
    expect(journal.rows[0].occurred_at.toISOString()).toBe(yesterday.occurredAt);
    const reused = await postBatch(till, 'S-NYC', [sale('t3-1', [['C', 5]])]);
    expect(reused.body.results[0]).toMatchObject({
      status: 'refused',
      reason: expect.stringContaining('t3-1'),
    });
  });

  it('voids a sale that came first, and a sale whose void came first is voided when it comes', async () => {
    const before = await onHand('B');
    const void1 = {
      transactionId: 't4-v1',
      type: 'void',
      occurredAt: new Date().toISOString(),
      voidsTransactionId: 't4-1',
    };
    expect(
      statuses((await postBatch(till, 'S-NYC', [sale('t4-1', [['B', 4]]), void1])).body.results),
    ).toEqual(['applied', 'applied']);
    expect(await onHand('B')).toBe(before);
    const void2 = { ...void1, transactionId: 't4-v2', voidsTransactionId: 't4-2' };
    expect(statuses((await postBatch(till, 'S-NYC', [void2])).body.results)).toEqual(['applied']);
    expect(statuses((await postBatch(till, 'S-NYC', [sale('t4-2', [['B', 3]])])).body.results)).toEqual([
      'voided',
    ]);
    expect(await onHand('B')).toBe(before);
  });

  it('answers 503 with Retry-After while the process API is down; the same batch sent later applies once', async () => {
    const down = await platform.startPos({
      PROCESS_RESERVATIONS_URL: 'http://127.0.0.1:1',
      PROCESS_RETRIES: '1',
    });
    const downTill = new HttpClient(down.url, {
      authorization: `Bearer ${await platform.storeKey('pos', 'S-NYC')}`,
    });
    try {
      const batch = [sale('t5-1', [['A', 1]])];
      const before = await onHand('A');
      const refused = await postBatch(downTill, 'S-NYC', batch);
      expectProblem(refused, 503, 'upstream-unavailable');
      expect(refused.headers['retry-after']).toBe('1');
      expect(await onHand('A')).toBe(before);
      expect(statuses((await postBatch(till, 'S-NYC', batch)).body.results)).toEqual(['applied']);
      expect(statuses((await postBatch(till, 'S-NYC', batch)).body.results)).toEqual(['duplicate']);
      expect(await onHand('A')).toBe(before - 1);
    } finally {
      await downTill.close();
      await down.app.close();
    }
  });

  it('sells beyond the stock without refusing: the store shows 0 of it until counted', async () => {
    const res = await postBatch(till, 'S-NYC', [sale('t6-1', [['C', 500]])]);
    expect(statuses(res.body.results)).toEqual(['applied']);
    const stock = await till.request<{ items: { sku: string; available: number }[] }>(
      'GET',
      '/v1/stores/S-NYC/stock?sku=C&sku=A',
    );
    expect(stock.body.items.map((i) => [i.sku, i.available > 0])).toEqual([
      ['C', false],
      ['A', true],
    ]);
    expect(stock.body.items[0].available).toBe(0);
  });

  it("leaves the ledger's invariants intact: the journal reproduces every level", async () => {
    await assertLedgerInvariants(platform);
  });
});
