// Past 400 lines on purpose: the store transactions of issue 10 share one started platform (process-reservations
// and ops on one database); split, each file would start them again.
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@stockbridge/config';
import { buildOpsApp } from '../../apps/ops/src/app';
import { OpsConfig } from '../../apps/ops/src/ops.config';
import { eventually, HttpClient } from '../support/http';
import { assertLedgerInvariants } from '../support/invariants';
import { TestPlatform } from '../support/platform';

interface Result {
  transactionId: string | null;
  status: 'applied' | 'duplicate' | 'voided' | 'refused';
  reason?: string;
}
interface Batch {
  results: Result[];
}
interface Txn {
  transactionId: string;
  type: 'sale' | 'return' | 'void';
  occurredAt: string;
  lines?: { sku: string; quantity: number }[];
  voidsTransactionId?: string;
}
interface StockException {
  id: string;
  kind: string;
  sku: string;
  location: string;
  status: string;
  resolvedBy: string | null;
  note: string | null;
}

const ADMIN = 'ops-admin-token-0123456789';
const HOUR = 3600_000;
const iso = (msAgo = 0) => new Date(Date.now() - msAgo).toISOString();
const sale = (id: string, sku: string, quantity = 1, occurredAt = iso()): Txn => ({
  transactionId: id,
  type: 'sale',
  occurredAt,
  lines: [{ sku, quantity }],
});

/** A deterministic shuffle (mulberry32), so that a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('store transactions, store stock and click and collect (process API)', () => {
  let platform: TestPlatform;
  let api: HttpClient;
  let ops: NestFastifyApplication;
  let opsApi: HttpClient;

  const post = (store: string, transactions: unknown[]) =>
    api.request<Batch>('POST', `/v1/stores/${store}/transactions`, { body: { transactions } });
  const onHand = async (sku: string, location: string) => (await platform.level(sku, location))?.onHand ?? 0;

  beforeAll(async () => {
    platform = await TestPlatform.start('storetxn', { processEnv: { DB_POOL_SIZE: '10' } });
    const stores = ['S-NYC', 'S-BOS', 'S-PHL', 'S-CHI', 'S-NOC', 'S-A', 'S-B', 'S-C'];
    const skus = [
      'K-1',
      'K-2',
      'K-3',
      'K-4',
      'NEAR-1',
      'CC-1',
      'NEG-1',
      ...Array.from({ length: 20 }, (_, i) => `ACC-${i}`),
    ];
    await platform.seed({
      locations: [{ code: 'WH-1' }, ...stores.map((code) => ({ code, type: 'store' as const }))],
      skus,
      channels: [
        { code: 'pos', pool: stores, policy: { maxTtlSeconds: 3 * 24 * 3600 } },
        { code: 'web', pool: ['WH-1', 'S-C', 'S-NYC'] },
      ],
      stock: [
        ...['K-1', 'K-2', 'K-3', 'K-4'].map((sku) => ({ sku, location: 'S-A', onHand: 100 })),
        { sku: 'K-1', location: 'S-B', onHand: 100 },
        ...['S-NYC', 'S-BOS', 'S-PHL', 'S-CHI', 'S-NOC'].map((location, i) => ({
          sku: 'NEAR-1',
          location,
          onHand: 10 + i,
        })),
        { sku: 'NEAR-1', location: 'WH-1', onHand: 500 },
        { sku: 'CC-1', location: 'S-NYC', onHand: 10 },
        { sku: 'NEG-1', location: 'S-C', onHand: 5 },
        { sku: 'NEG-1', location: 'WH-1', onHand: 7 },
        ...Array.from({ length: 20 }, (_, i) =>
          ['S-A', 'S-B', 'S-C'].map((location) => ({ sku: `ACC-${i}`, location, onHand: 1000 })),
        ).flat(),
      ],
    });
    const coords: Record<string, [number, number]> = {
      'S-NYC': [40.7233, -74.003],
      'S-BOS': [42.3505, -71.079],
      'S-PHL': [39.9526, -75.1652],
      'S-CHI': [41.9088, -87.6796],
    };
    for (const [code, [lat, lon]] of Object.entries(coords))
      await platform.db.query(
        `UPDATE locations SET latitude = $2, longitude = $3, name = $4 WHERE code = $1`,
        [code, lat, lon, `Store ${code.slice(2)}`],
      );
    api = new HttpClient(platform.processUrl, { authorization: `Bearer ${platform.serviceToken}` });
    ops = await buildOpsApp(
      loadConfig(OpsConfig, {
        DATABASE_URL: platform.env.databaseUrl,
        REDIS_URL: platform.env.redisUrl,
        REDIS_PREFIX: platform.env.redisPrefix,
        OPS_ADMIN_TOKENS: `alice:${ADMIN}`,
        LOG_LEVEL: 'silent',
        DB_POOL_SIZE: '3',
      }),
      { quiet: true },
    );
    await ops.listen({ port: 0, host: '127.0.0.1' });
    const port = (ops.getHttpServer().address() as AddressInfo).port;
    opsApi = new HttpClient(`http://127.0.0.1:${port}`, { authorization: `Bearer ${ADMIN}` }, 4);
  });

  afterAll(async () => {
    await api?.close();
    await opsApi?.close();
    await ops?.close();
    await platform?.stop();
  });

  afterEach(() => assertLedgerInvariants(platform));

  describe('POST /v1/stores/{store}/transactions', () => {
    it('answers per transaction, in order; a malformed one is refused with its reason and blocks none', async () => {
      const res = await post('S-A', [
        sale('M-1', 'K-1', 2),
        { transactionId: 'M-2', occurredAt: iso(), lines: [{ sku: 'K-1', quantity: 1 }] },
        { ...sale('M-3', 'K-1'), lines: [{ sku: 'K-1', quantity: 0 }] },
        { ...sale('M-4', 'K-1'), colour: 'red' },
        { transactionId: 42, type: 'sale', occurredAt: iso(), lines: [{ sku: 'K-1', quantity: 1 }] },
        sale('M-5', 'NOPE-1'),
        sale('M-6', 'K-1', 1, new Date(Date.now() + 10 * 60_000).toISOString()),
        sale('M-7', 'K-1', 1, '2026-02-30T10:00:00Z'),
        sale('M-8', 'K-1', 1, '2026-12-01 10:00'),
        { transactionId: 'M-9', type: 'void', occurredAt: iso(), voidsTransactionId: 'M-1', lines: [] },
        { ...sale('M-10', 'K-1'), voidsTransactionId: 'M-1' },
        { transactionId: 'M-11', type: 'return', occurredAt: iso(), lines: [{ sku: 'K-1', quantity: 3 }] },
      ]);
      expect(res.status).toBe(200);
      const r = res.body.results;
      expect(r.map((x) => [x.transactionId, x.status])).toEqual([
        ['M-1', 'applied'],
        ['M-2', 'refused'],
        ['M-3', 'refused'],
        ['M-4', 'refused'],
        [null, 'refused'],
        ['M-5', 'refused'],
        ['M-6', 'refused'],
        ['M-7', 'refused'],
        ['M-8', 'refused'],
        ['M-9', 'refused'],
        ['M-10', 'refused'],
        ['M-11', 'applied'],
      ]);
      expect(r[1].reason).toContain('type must be one of sale, return, void');
      expect(r[2].reason).toContain('lines.0.quantity must not be less than 1');
      expect(r[3].reason).toContain('property colour should not exist');
      expect(r[4].reason).toContain('transactionId must be 1–128 visible ASCII characters');
      expect(r[5].reason).toContain('unknown SKU "NOPE-1"');
      expect(r[6].reason).toContain('more than 5 minutes ahead');
      expect(r[7].reason).toContain('occurredAt must be a real date and time');
      expect(r[8].reason).toContain('occurredAt must be an ISO 8601 date-time with an offset');
      expect(r[9].reason).toContain('lines must be left out of a void');
      expect(r[10].reason).toContain('voidsTransactionId is only for a void');
      expect(await onHand('K-1', 'S-A')).toBe(100 - 2 + 3);
    });

    it('refuses a batch that is not 1–500 objects as a whole (400), and a location that is not a store (404)', async () => {
      for (const body of [
        {},
        { transactions: [] },
        { transactions: [1] },
        { transactions: 'x' },
        { transactions: [sale('E-1', 'K-1')], extra: true },
        { transactions: Array.from({ length: 501 }, (_, i) => sale(`E-${i}`, 'K-1')) },
      ]) {
        const res = await api.request('POST', '/v1/stores/S-A/transactions', { body });
        expect({ body: JSON.stringify(body).slice(0, 60), status: res.status }).toEqual({
          body: JSON.stringify(body).slice(0, 60),
          status: 400,
        });
        expect(res.contentType).toContain('application/problem+json');
      }
      for (const store of ['NOWHERE', 'WH-1', 'bad%20code']) {
        const res = await post(store, [sale('E-1', 'K-1')]);
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ type: expect.stringContaining('unknown-location') });
      }
      expect(await onHand('K-1', 'WH-1')).toBe(0);
      const stored = await platform.db.query(
        `SELECT 1 FROM store_transactions WHERE transaction_id LIKE 'E-%'`,
      );
      expect(stored.rows).toHaveLength(0);
    });

    it('applies an id once: duplicates within a batch and across parallel batches; other content is refused', async () => {
      const t = sale('D-1', 'K-2', 2);
      const within = await post('S-A', [t, t, { ...t, lines: [{ sku: 'K-2', quantity: 5 }] }]);
      expect(within.body.results.map((x) => x.status)).toEqual(['applied', 'duplicate', 'refused']);
      expect(within.body.results[2].reason).toContain('was used for another transaction');
      expect(await onHand('K-2', 'S-A')).toBe(98);

      const batch = Array.from({ length: 40 }, (_, i) => sale(`PAR-${i}`, 'K-2', 1, iso(i * 1000)));
      const answers = await Promise.all(Array.from({ length: 5 }, () => post('S-A', shuffled(batch, 7))));
      const byId = new Map<string, string[]>();
      for (const a of answers)
        for (const x of a.body.results)
          byId.set(x.transactionId!, [...(byId.get(x.transactionId!) ?? []), x.status]);
      for (const [id, statuses] of byId)
        expect({
          id,
          applied: statuses.filter((s) => s === 'applied').length,
          duplicate: statuses.filter((s) => s === 'duplicate').length,
        }).toEqual({ id, applied: 1, duplicate: 4 });
      expect(await onHand('K-2', 'S-A')).toBe(98 - 40);
      const journal = await platform.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM stock_movements WHERE source_event_id LIKE 'S-A/PAR-%'`,
      );
      expect(Number(journal.rows[0].n)).toBe(40);
    });

    it('voids a sale before or after it arrives; a void of a void, of another store or twice is refused', async () => {
      const voidOf = (id: string, target: string): Txn => ({
        transactionId: id,
        type: 'void',
        occurredAt: iso(),
        voidsTransactionId: target,
      });
      // After: the sale's units come back.
      expect((await post('S-A', [sale('V-S1', 'K-3', 4)])).body.results[0].status).toBe('applied');
      expect(await onHand('K-3', 'S-A')).toBe(96);
      expect((await post('S-A', [voidOf('V-V1', 'V-S1')])).body.results[0].status).toBe('applied');
      expect(await onHand('K-3', 'S-A')).toBe(100);
      // Before: the void waits; the sale, when it comes, is kept and not applied.
      const late = sale('V-S2', 'K-3', 7);
      expect((await post('S-A', [voidOf('V-V2', 'V-S2')])).body.results[0].status).toBe('applied');
      expect((await post('S-A', [late])).body.results[0].status).toBe('voided');
      expect((await post('S-A', [late])).body.results[0].status).toBe('duplicate');
      expect(await onHand('K-3', 'S-A')).toBe(100);
      // Refused: a void of a void, a second void, another store's transaction.
      await post('S-B', [sale('V-B1', 'K-1')]);
      const refused = await post('S-A', [
        voidOf('V-V3', 'V-V1'),
        voidOf('V-V4', 'V-S1'),
        voidOf('V-V5', 'V-B1'),
      ]);
      expect(refused.body.results.map((x) => x.status)).toEqual(['refused', 'refused', 'refused']);
      expect(refused.body.results.map((x) => x.reason)).toEqual([
        expect.stringContaining('a void cannot be voided'),
        expect.stringContaining('already voided by "V-V1"'),
        expect.stringContaining("S-B's"),
      ]);
      expect(await onHand('K-3', 'S-A')).toBe(100);
    });

    it('applies transactions days late with their own time, in any order', async () => {
      const days = (n: number) => iso(n * 24 * HOUR);
      const txns: Txn[] = [
        sale('L-1', 'K-4', 3, days(3)),
        { transactionId: 'L-2', type: 'return', occurredAt: days(2), lines: [{ sku: 'K-4', quantity: 1 }] },
        sale('L-3', 'K-4', 2, days(5)),
      ];
      expect(
        (await post('S-A', [txns[2], txns[0], txns[1]])).body.results.every((x) => x.status === 'applied'),
      ).toBe(true);
      expect(await onHand('K-4', 'S-A')).toBe(100 - 3 + 1 - 2);
      const journal = await platform.db.query<{ source_event_id: string; occurred_at: Date }>(
        `SELECT source_event_id, occurred_at FROM stock_movements WHERE source_event_id = 'S-A/L-3/1'`,
      );
      expect(journal.rows[0].occurred_at.toISOString()).toBe(txns[2].occurredAt);
    });
  });

  it('takes 10,000 sales in batches of 500 (10 % duplicates, shuffled, a fifth hours old) exactly once; a store driven negative raises one exception and shows 0', async () => {
    const stores = ['S-A', 'S-B', 'S-C'];
    const sales: { store: string; txn: Txn }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const store = stores[i % 3];
      // About 300 of S-C's sales are of NEG-1, of which it has 5.
      const sku = store === 'S-C' && i % 100 < 9 ? 'NEG-1' : `ACC-${i % 20}`;
      sales.push({ store, txn: sale(`ACC-T${i}`, sku, 1, iso(i % 5 === 0 ? (1 + (i % 7)) * HOUR : 0)) });
    }
    const dupes = shuffled(sales, 1).slice(0, 1000);
    const sent = shuffled([...sales, ...dupes], 2);
    const batches: { store: string; txns: Txn[] }[] = [];
    for (const store of stores) {
      const mine = sent.filter((s) => s.store === store).map((s) => s.txn);
      for (let i = 0; i < mine.length; i += 500) batches.push({ store, txns: mine.slice(i, i + 500) });
    }
    const statuses: Record<string, number> = {};
    const started = Date.now();
    for (let i = 0; i < batches.length; i += 3) {
      const answers = await Promise.all(batches.slice(i, i + 3).map((b) => post(b.store, b.txns)));
      for (const a of answers) {
        expect(a.status).toBe(200);
        for (const r of a.body.results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `10,000 sales + 1,000 duplicates in ${seconds.toFixed(1)} s (${Math.round(11_000 / seconds)}/s)\n`,
    );
    expect(statuses).toEqual({ applied: 10_000, duplicate: 1000 });

    const journal = await platform.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM stock_movements WHERE movement_type = 'store-sale' AND source_event_id ~ '^S-[ABC]/ACC-T'`,
    );
    expect(Number(journal.rows[0].n)).toBe(10_000);
    for (const store of stores)
      for (let k = 0; k < 20; k++) {
        const sku = `ACC-${k}`;
        const sold = sales.filter((s) => s.store === store && s.txn.lines![0].sku === sku).length;
        expect({ at: `${sku}@${store}`, onHand: await onHand(sku, store) }).toEqual({
          at: `${sku}@${store}`,
          onHand: 1000 - sold,
        });
      }
    const negSold = sales.filter((s) => s.txn.lines![0].sku === 'NEG-1').length;
    expect(await platform.level('NEG-1', 'S-C')).toMatchObject({ onHand: 0, oversold: negSold - 5 });
    const open = await platform.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM stock_exceptions WHERE kind = 'negative-stock' AND status = 'open' AND sku = 'NEG-1' AND location = 'S-C'`,
    );
    expect(Number(open.rows[0].n)).toBe(1);
    const other = await platform.db.query(`SELECT 1 FROM stock_exceptions WHERE sku LIKE 'ACC-%'`);
    expect(other.rows).toHaveLength(0);

    // Shows 0 at S-C to every channel whose pool has it; WH-1's stock still counts for web.
    for (const channel of ['pos', 'web']) {
      const res = await api.request<{
        items: { available: number; locations: { location: string; available: number }[] }[];
      }>('GET', `/v1/channels/${channel}/availability?sku=NEG-1`);
      expect(res.body.items[0].locations.find((l) => l.location === 'S-C')!.available).toBe(0);
      expect(res.body.items[0].available).toBe(channel === 'web' ? 7 : 0);
    }
    const held = await api.request('POST', '/v1/channels/pos/reservations', {
      body: { lines: [{ sku: 'NEG-1', quantity: 1, location: 'S-C' }] },
    });
    expect(held.status).toBe(409);
    const level = await api.request<{ items: { oversold: number; availableToSell: number }[] }>(
      'GET',
      '/v1/levels?sku=NEG-1&location=S-C',
    );
    expect(level.body.items[0]).toMatchObject({ oversold: negSold - 5, availableToSell: 0 });

    // Operators see it (ops), resolve it with a note (audited, no stock moves); a count settles the level.
    const listed = await opsApi.request<{ items: StockException[] }>(
      'GET',
      '/v1/stock-exceptions?kind=negative-stock',
    );
    expect(listed.status).toBe(200);
    const exception = listed.body.items.find((e) => e.sku === 'NEG-1')!;
    expect(exception).toMatchObject({ location: 'S-C', status: 'open' });
    const resolved = await opsApi.request<StockException>(
      'POST',
      `/v1/stock-exceptions/${exception.id}/resolve`,
      {
        body: { note: 'Shelf counted, till scanned the wrong size' },
      },
    );
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedBy: 'alice',
      note: 'Shelf counted, till scanned the wrong size',
    });
    expect(
      (
        await opsApi.request('POST', `/v1/stock-exceptions/${exception.id}/resolve`, {
          body: { note: 'again' },
        })
      ).status,
    ).toBe(409);
    const audit = await opsApi.request<{ items: { action: string; actor: string }[] }>(
      'GET',
      `/v1/audit?targetType=stock-exception&targetId=${exception.id}`,
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'stock-exception.resolve', actor: 'alice' }),
    ]);
    expect(await platform.level('NEG-1', 'S-C')).toMatchObject({ oversold: negSold - 5 });
    const counted = await api.request('POST', '/v1/movements', {
      body: {
        kind: 'count',
        sku: 'NEG-1',
        location: 'S-C',
        quantity: 2,
        sourceSystem: 'pos',
        sourceEventId: 'count-neg-1',
      },
    });
    expect(counted.body).toMatchObject({ level: { onHand: 2, oversold: 0, availableToSell: 2 } });
  }, 60_000);

  it("lists a store's stock and the other stores of the channel by distance", async () => {
    const res = await api.request<{
      store: string;
      items: {
        sku: string;
        available: number;
        nearby: { location: string; name: string; distanceKm: number | null; available: number }[];
      }[];
    }>('GET', '/v1/channels/pos/stores/S-NYC/stock?sku=NEAR-1&sku=NOPE-9');
    expect(res.status).toBe(200);
    const [near, unknown] = res.body.items;
    expect(near.available).toBe(10);
    // By distance; then those without coordinates, by code.
    expect(near.nearby.map((n) => [n.location, n.available])).toEqual([
      ['S-PHL', 12],
      ['S-BOS', 11],
      ['S-CHI', 13],
      ['S-A', 0],
      ['S-B', 0],
      ['S-C', 0],
      ['S-NOC', 14],
    ]);
    expect(near.nearby[0]).toMatchObject({ name: 'Store PHL' });
    expect(near.nearby[0].distanceKm).toBeGreaterThan(120);
    expect(near.nearby[0].distanceKm).toBeLessThan(140);
    expect(near.nearby[1].distanceKm).toBeGreaterThan(290);
    expect(near.nearby.slice(3).map((n) => n.distanceKm)).toEqual([null, null, null, null]);
    expect(unknown).toMatchObject({ sku: 'NOPE-9', available: 0 });
    for (const [path, code] of [
      ['/v1/channels/nope/stores/S-NYC/stock?sku=NEAR-1', 'unknown-channel'],
      ['/v1/channels/web/stores/S-BOS/stock?sku=NEAR-1', 'unknown-location'],
      ['/v1/channels/pos/stores/WH-1/stock?sku=NEAR-1', 'unknown-location'],
    ]) {
      const bad = await api.request('GET', path);
      expect(bad.status).toBe(404);
      expect(bad.body).toMatchObject({ type: expect.stringContaining(code) });
    }
    expect((await api.request('GET', '/v1/channels/pos/stores/S-NYC/stock')).status).toBe(400);
  });

  it('holds for click and collect until the pickup deadline, collects once, and lets a lapsed pickup return its units', async () => {
    const reserve = (ttlSeconds: number) =>
      api.request<{ id: string; status: string }>('POST', '/v1/channels/pos/reservations', {
        body: { lines: [{ sku: 'CC-1', quantity: 2, location: 'S-NYC' }], ttlSeconds, reference: 'pickup' },
      });
    const pickup = await reserve(3 * 24 * 3600);
    expect(pickup.status).toBe(201);
    const collect = (id: string) =>
      api.request<{ status: string; reservationStatus?: string }>(
        'POST',
        `/v1/channels/pos/reservations/${id}/collect`,
      );
    const collected = await Promise.all([
      collect(pickup.body.id),
      collect(pickup.body.id),
      collect(pickup.body.id),
    ]);
    expect(collected.map((c) => [c.status, c.body.status])).toEqual([
      [200, 'collected'],
      [200, 'collected'],
      [200, 'collected'],
    ]);
    expect(await platform.level('CC-1', 'S-NYC')).toMatchObject({ onHand: 8, reserved: 0 });

    const lapsing = await reserve(1);
    expect(await platform.level('CC-1', 'S-NYC')).toMatchObject({ reserved: 2 });
    const lapsed = await eventually(
      () => api.request<{ status: string }>('GET', `/v1/channels/pos/reservations/${lapsing.body.id}`),
      (r) => r.body.status === 'expired',
      10_000,
    );
    expect(lapsed.body.status).toBe('expired');
    expect(await platform.level('CC-1', 'S-NYC')).toMatchObject({ onHand: 8, reserved: 0 });
    const late = await collect(lapsing.body.id);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ reservationStatus: 'expired' });
  });
});
