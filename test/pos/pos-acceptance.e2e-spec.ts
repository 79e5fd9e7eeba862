import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { eventually, HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';
import { postBatch, type PosResult, sale, STORES } from './pos-fixture';

const SALES = 10_000;
const BATCH = 500;
const HOUR = 3600_000;
const SKUS = Array.from({ length: 40 }, (_, i) => `P-${String(i).padStart(2, '0')}`);
const START_ON_HAND = 400;
/** The SKU one store sells more of than it has. */
const SHORT = { sku: 'NEG', store: 'S-SF', onHand: 5, sales: 20 };
const OPS_TOKEN = 'ops-admin-token-0123456789';

/** mulberry32: the same sales on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * The acceptance run of the POS channel (issue 10, §2): 10,000 sales from four stores' tills in batches of 500,
 * with 10 % of them sent twice, shuffled, a fifth of them hours old; each applied exactly once; a store driven
 * negative raises exactly one exception and exposes 0 to every channel until counted.
 */
describe('POS acceptance: 10,000 store sales', () => {
  let platform: TestPlatform;
  let ops: NestFastifyApplication;
  let opsApi: HttpClient;
  const tills = new Map<string, HttpClient>();
  /** Units sold per `sku@store`. */
  const sold = new Map<string, number>();
  const results: PosResult[] = [];
  let seconds = 0;

  const openNegativeStock = async () =>
    (
      await opsApi.request<{ items: { sku: string; location: string; kind: string }[] }>(
        'GET',
        '/v1/stock-exceptions?kind=negative-stock&status=open',
      )
    ).body.items;

  beforeAll(async () => {
    platform = await TestPlatform.start('pos_accept', { pos: true });
    await platform.seed({
      locations: STORES,
      skus: [...SKUS, SHORT.sku],
      channels: [
        { code: 'pos', pool: STORES.map((s) => s.code) },
        { code: 'web', pool: [SHORT.store] },
      ],
      stock: [
        ...STORES.flatMap((s) => SKUS.map((sku) => ({ sku, location: s.code, onHand: START_ON_HAND }))),
        { sku: SHORT.sku, location: SHORT.store, onHand: SHORT.onHand },
      ],
    });
    for (const s of STORES) {
      tills.set(
        s.code,
        new HttpClient(
          platform.pos!.url,
          { authorization: `Bearer ${await platform.storeKey('pos', s.code)}` },
          4,
        ),
      );
    }
    ops = await buildOpsApp(
      loadConfig(OpsConfig, {
        DATABASE_URL: platform.env.databaseUrl,
        REDIS_URL: platform.env.redisUrl,
        REDIS_PREFIX: platform.env.redisPrefix,
        OPS_ADMIN_TOKENS: `alice:${OPS_TOKEN}`,
        LOG_LEVEL: 'silent',
        DB_POOL_SIZE: '2',
      }),
      { quiet: true },
    );
    await ops.listen({ port: 0, host: '127.0.0.1' });
    opsApi = new HttpClient(`http://127.0.0.1:${(ops.getHttpServer().address() as AddressInfo).port}`, {
      authorization: `Bearer ${OPS_TOKEN}`,
    });

    // The sales: store by turn, one line each; the short store sells SHORT.sku among the rest.
    const rnd = random(20_261_005);
    const byStore = new Map<string, ReturnType<typeof sale>[]>(STORES.map((s) => [s.code, []]));
    for (let n = 0; n < SALES; n++) {
      const store = STORES[n % STORES.length].code;
      const short = store === SHORT.store && byStore.get(store)!.length % 125 === 7;
      const sku = short ? SHORT.sku : SKUS[Math.floor(rnd() * SKUS.length)];
      const quantity = short ? 1 : 1 + Math.floor(rnd() * 2);
      // A fifth of them come hours late (the till was offline); the rest within the last minute.
      const ago = rnd() < 0.2 ? HOUR + Math.floor(rnd() * 7 * HOUR) : Math.floor(rnd() * 60_000);
      byStore.get(store)!.push(sale(`${store}-${String(n).padStart(5, '0')}`, [[sku, quantity]], ago));
      sold.set(`${sku}@${store}`, (sold.get(`${sku}@${store}`) ?? 0) + quantity);
    }
    expect(byStore.get(SHORT.store)!.filter((s) => s.lines[0].sku === SHORT.sku)).toHaveLength(SHORT.sales);

    // Each store's tills send their sales and 10 % again (same content), shuffled, in batches of 500; the four
    // stores at once, each store's batches one after the other.
    const started = Date.now();
    await Promise.all(
      [...byStore].map(async ([store, sales]) => {
        const again = Array.from(
          { length: sales.length / 10 },
          () => sales[Math.floor(rnd() * sales.length)],
        );
        const sent = shuffle([...sales, ...again], rnd);
        for (let i = 0; i < sent.length; i += BATCH) {
          const res = await postBatch(tills.get(store)!, store, sent.slice(i, i + BATCH));
          expect(res.status).toBe(200);
          results.push(...res.body.results);
        }
      }),
    );
    seconds = (Date.now() - started) / 1000;
  }, 300_000);

  afterAll(async () => {
    await Promise.all([...tills.values()].map((t) => t.close()));
    await opsApi?.close();
    await ops?.close();
    await platform?.stop();
  });

  it('applies each sale exactly once and answers every copy sent again as a duplicate', () => {
    process.stderr.write(`POS acceptance: ${SALES + SALES / 10} transactions in ${seconds.toFixed(1)} s\n`);
    const count = (status: PosResult['status']) => results.filter((r) => r.status === status).length;
    expect({
      applied: count('applied'),
      duplicate: count('duplicate'),
      other: results.length - count('applied') - count('duplicate'),
    }).toEqual({
      applied: SALES,
      duplicate: SALES / 10,
      other: 0,
    });
    const appliedIds = new Set(results.filter((r) => r.status === 'applied').map((r) => r.transactionId));
    expect(appliedIds.size).toBe(SALES);
  });

  it('journals one sale movement per line and leaves on hand at each store as sold', async () => {
    const journal = await platform.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM stock_movements WHERE movement_type = 'store-sale'`,
    );
    expect(Number(journal.rows[0].n)).toBe(SALES);
    const levels = await platform.db.query<{ sku: string; location: string; on_hand: string }>(
      `SELECT sku, location, on_hand FROM stock_levels WHERE sku <> $1`,
      [SHORT.sku],
    );
    const wrong = levels.rows.filter(
      (l) => Number(l.on_hand) !== START_ON_HAND - (sold.get(`${l.sku}@${l.location}`) ?? 0),
    );
    expect(wrong).toEqual([]);
    expect(levels.rows).toHaveLength(STORES.length * SKUS.length);
  });

  it('raises exactly one exception for the store driven negative, which exposes 0 to every channel until counted', async () => {
    const short = await platform.db.query<{ on_hand: string; oversold: string }>(
      'SELECT on_hand, oversold FROM stock_levels WHERE sku = $1 AND location = $2',
      [SHORT.sku, SHORT.store],
    );
    expect(short.rows[0]).toEqual({ on_hand: '0', oversold: String(SHORT.sales - SHORT.onHand) });
    expect(await openNegativeStock()).toEqual([
      expect.objectContaining({ kind: 'negative-stock', sku: SHORT.sku, location: SHORT.store }),
    ]);

    // Units come back (a customer return): on hand again, but nothing is sellable there until a count.
    const returned = await postBatch(tills.get(SHORT.store)!, SHORT.store, [
      { ...sale(`${SHORT.store}-return-1`, [[SHORT.sku, 3]]), type: 'return' },
    ]);
    expect(returned.body.results[0].status).toBe('applied');
    const stockAt = async (store: string) =>
      (
        await tills
          .get(store)!
          .request<{ items: { available: number; nearby: { location: string; available: number }[] }[] }>(
            'GET',
            `/v1/stores/${store}/stock?sku=${SHORT.sku}`,
          )
      ).body.items[0];
    expect((await stockAt(SHORT.store)).available).toBe(0);
    expect((await stockAt('S-NYC')).nearby.find((n) => n.location === SHORT.store)?.available).toBe(0);
    const web = new HttpClient(platform.storefront.url, {
      authorization: `Bearer ${await platform.apiKey('web')}`,
    });
    try {
      await platform.syncReadModel();
      const availability = await web.request<{ items: { available: number }[] }>(
        'GET',
        `/v1/availability?sku=${SHORT.sku}`,
      );
      expect(availability.body.items[0].available).toBe(0);

      // The shelf is counted: the figure is what was counted, and the exception is resolved.
      await platform.movements.applyAll([
        {
          kind: 'count',
          sku: SHORT.sku,
          location: SHORT.store,
          quantity: 6,
          sourceSystem: 'test',
          sourceEventId: 'shelf-count-1',
        },
      ]);
      expect((await stockAt(SHORT.store)).available).toBe(6);
      expect(await openNegativeStock()).toEqual([]);
      await platform.syncReadModel();
      const after = await eventually(
        () => web.request<{ items: { available: number }[] }>('GET', `/v1/availability?sku=${SHORT.sku}`),
        (r) => r.body.items[0].available === 6,
      );
      expect(after.body.items[0].available).toBe(6);
    } finally {
      await web.close();
    }
  });

  it("leaves the ledger's invariants intact: the journal reproduces every level", async () => {
    await assertLedgerInvariants(platform);
  });
});
