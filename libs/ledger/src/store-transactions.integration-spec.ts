import { DEFAULT_CHANNEL_POLICY, emptyBuckets } from '@stockbridge/canonical';
import { openDataSource } from '@stockbridge/persistence';
import type { DataSource } from 'typeorm';
import { createTestEnvironment, type TestEnvironment } from '../../../test/support/environment';
import { Availability } from './availability';
import { Catalog } from './catalog';
import { BufferedChannelAvailability } from './channel-availability.strategy';
import { Db } from './db';
import { Movements } from './movements';
import { Reservations } from './reservations';
import { SingleLocationFirstSourcing } from './sourcing.strategy';
import { StockExceptions } from './stock-exceptions';
import type { StoreTransaction } from './store-transaction';
import { StoreTransactions } from './store-transactions';

/** Store transactions, the oversold bucket, negative-stock exceptions and collection, against the real database. */
describe('store transactions in the ledger', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let catalog: Catalog;
  let movements: Movements;
  let reservations: Reservations;
  let stores: StoreTransactions;
  let exceptions: StockExceptions;
  let availability: Availability;
  let n = 0;

  beforeAll(async () => {
    env = await createTestEnvironment('ledgerstores');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 12, connectionTimeoutMs: 60_000 });
    db = Db.fromDataSource(ds);
    catalog = new Catalog(db, 0);
    movements = new Movements(db);
    reservations = new Reservations(db, catalog, new SingleLocationFirstSourcing());
    stores = new StoreTransactions(db);
    exceptions = new StockExceptions(db);
    availability = new Availability(db, catalog, new BufferedChannelAvailability());
    await db.tx(async (sql) => {
      await catalog.upsertLocations(sql, [
        { code: 'S1', name: 'Store one', type: 'store' },
        { code: 'S2', name: 'Store two', type: 'store' },
        { code: 'W1', name: 'Warehouse', type: 'warehouse' },
      ]);
    });
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.teardown();
  });

  afterEach(() => expectJournalReplaysToLevels());

  /** A new SKU counted at S1 (and a channel `c<n>` over S1 and S2), so that tests never share stock. */
  async function sku(onHand: number): Promise<{ sku: string; channel: string }> {
    const run = `t${n++}`;
    await db.tx(async (sql) => {
      await catalog.upsertSkus(sql, [{ sku: `${run}-A`, name: run }]);
      await catalog.upsertChannels(sql, [
        {
          code: `c-${run}`,
          name: run,
          policy: { ...DEFAULT_CHANNEL_POLICY, maxTtlSeconds: 3 * 24 * 3600 },
          pool: [
            { location: 'S1', priority: 10 },
            { location: 'S2', priority: 20 },
          ],
        },
      ]);
    });
    await count(`${run}-A`, onHand);
    return { sku: `${run}-A`, channel: `c-${run}` };
  }

  async function count(s: string, quantity: number) {
    return movements.apply({
      kind: 'count',
      sku: s,
      location: 'S1',
      quantity,
      sourceSystem: 'test',
      sourceEventId: `count-${n++}`,
    });
  }

  const at = new Date();
  /** A sale of one line; its id is made the SKU's own, so that no two tests share an id. */
  const sale = (id: string, s: string, quantity: number, occurredAt = at): StoreTransaction => ({
    transactionId: `${s}/${id}`,
    type: 'sale',
    occurredAt,
    lines: [{ sku: s, quantity }],
    voidsTransactionId: null,
  });

  const level = async (s: string) => (await movements.levels({ sku: s, location: 'S1' }))[0];

  const openExceptions = async (s: string) =>
    (await exceptions.list({ status: 'open', limit: 100 })).filter((e) => e.exception.sku === s);

  async function expectJournalReplaysToLevels(): Promise<void> {
    const journal = await movements.replayJournal();
    for (const l of await movements.levels()) {
      const { sku: _s, location: _l, version: _v, updatedAt: _u, ...buckets } = l;
      // A level no movement has touched yet (created for a transaction that was not applied) is all 0.
      const replayed = journal.get(`${l.sku}@${l.location}`) ?? emptyBuckets();
      expect({ at: `${l.sku}@${l.location}`, ...replayed }).toEqual({
        at: `${l.sku}@${l.location}`,
        ...buckets,
      });
      expect(l.reserved + l.allocated + l.damaged + l.qualityControl).toBeLessThanOrEqual(l.onHand);
    }
  }

  it('takes what is free from on hand and counts the rest as oversold, journaled as one movement with the till time', async () => {
    const { sku: s, channel } = await sku(5);
    await reservations.reserve({
      channel,
      lines: [{ sku: s, quantity: 2, location: 'S1' }],
      ttlSeconds: 600,
    });
    const hoursAgo = new Date(Date.now() - 3 * 3600_000);
    const out = await stores.applyBatch('S1', [sale('T1', s, 4, hoursAgo)]);
    expect(out.outcomes).toEqual([{ status: 'applied' }]);
    expect(out.changedSkus).toEqual([s]);
    // Free was 5 − 2 reserved = 3: 3 leave on hand, 1 is oversold; the reservation keeps its 2.
    expect(await level(s)).toMatchObject({ onHand: 2, reserved: 2, oversold: 1 });
    const journal = await db.query<{
      movement_type: string;
      d_on_hand: string;
      d_oversold: string;
      occurred_at: Date;
    }>(
      `SELECT movement_type, d_on_hand, d_oversold, occurred_at FROM stock_movements
       WHERE sku = $1 AND movement_type = 'store-sale'`,
      [s],
    );
    expect(journal.rows).toHaveLength(1);
    expect(journal.rows[0]).toMatchObject({ d_on_hand: '-3', d_oversold: '1' });
    expect(journal.rows[0].occurred_at.getTime()).toBe(hoursAgo.getTime());
  });

  it('shows 0 and holds nothing at an oversold level until it is counted; the count resolves the exception', async () => {
    const { sku: s, channel } = await sku(3);
    await stores.applyBatch('S1', [sale('T1', s, 5)]);
    expect(await level(s)).toMatchObject({ onHand: 0, oversold: 2 });
    await count(s, 10); // 10 found on the shelf: the count sets on hand and settles what was oversold
    expect(await level(s)).toMatchObject({ onHand: 10, oversold: 0 });
    const [resolved] = (await exceptions.list({ status: 'resolved', limit: 100 })).filter(
      (e) => e.exception.sku === s,
    );
    expect(resolved.exception).toMatchObject({ kind: 'negative-stock', location: 'S1', resolvedBy: 'count' });

    // Oversold again: available 0 to the channel, a reservation at the store is short, another store is not affected.
    await stores.applyBatch('S1', [sale('T2', s, 11)]);
    expect(await level(s)).toMatchObject({ onHand: 0, oversold: 1 });
    await count(s, 4);
    await stores.applyBatch('S1', [sale('T3', s, 1), sale('T4', s, 5)]);
    expect(await level(s)).toMatchObject({ onHand: 0, oversold: 2 });
    const [figure] = await availability.compute([s], [channel]);
    expect(figure.available).toBe(0);
    const short = await reservations.reserve({
      channel,
      lines: [{ sku: s, quantity: 1, location: 'S1' }],
      ttlSeconds: 600,
    });
    expect(short.kind).toBe('short');
    expect(await openExceptions(s)).toHaveLength(1);
    const counted = await count(s, 6);
    expect(counted.deltas).toEqual({ onHand: 6, oversold: -2 });
    expect(await openExceptions(s)).toHaveLength(0);
    expect((await availability.compute([s], [channel]))[0].available).toBe(6);
  });

  it('opens exactly one exception when 200 parallel sales drive a level negative, and applies each sale once', async () => {
    const { sku: s } = await sku(50);
    const outs = await Promise.all(
      Array.from({ length: 200 }, (_, i) => stores.applyBatch('S1', [sale(`P${i}`, s, 1)])),
    );
    expect(outs.every((o) => o.outcomes[0].status === 'applied')).toBe(true);
    expect(await level(s)).toMatchObject({ onHand: 0, oversold: 150 });
    const open = await openExceptions(s);
    expect(open).toHaveLength(1);
    expect(open[0].exception).toMatchObject({ location: 'S1', status: 'open' });
    const journal = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM stock_movements WHERE sku = $1 AND movement_type = 'store-sale'`,
      [s],
    );
    expect(Number(journal.rows[0].n)).toBe(200);
    // The same 200 again, in parallel: nothing applied twice.
    const again = await Promise.all(
      Array.from({ length: 200 }, (_, i) => stores.applyBatch('S1', [sale(`P${i}`, s, 1)])),
    );
    expect(again.every((o) => o.outcomes[0].status === 'duplicate')).toBe(true);
    expect(await level(s)).toMatchObject({ onHand: 0, oversold: 150 });
  });

  it('adds returns to on hand and undoes a voided sale exactly, its oversold part first', async () => {
    const { sku: s } = await sku(2);
    await stores.applyBatch('S1', [sale('T1', s, 5)]);
    expect(await level(s)).toMatchObject({ onHand: 0, oversold: 3 });
    const voided = await stores.applyBatch('S1', [
      { transactionId: `${s}/V1`, type: 'void', occurredAt: at, lines: [], voidsTransactionId: `${s}/T1` },
    ]);
    expect(voided.outcomes).toEqual([{ status: 'applied' }]);
    expect(await level(s)).toMatchObject({ onHand: 2, oversold: 0 });
    const [byVoid] = (await exceptions.list({ status: 'resolved', limit: 100 })).filter(
      (e) => e.exception.sku === s,
    );
    expect(byVoid.exception.resolvedBy).toBe('void');
    await stores.applyBatch('S1', [
      {
        transactionId: `${s}/R1`,
        type: 'return',
        occurredAt: at,
        lines: [{ sku: s, quantity: 4 }],
        voidsTransactionId: null,
      },
    ]);
    expect(await level(s)).toMatchObject({ onHand: 6, oversold: 0 });
  });

  it('keeps a transaction whose void came first without applying it', async () => {
    const { sku: s } = await sku(10);
    const v = await stores.applyBatch('S2', [
      { transactionId: 'V9', type: 'void', occurredAt: at, lines: [], voidsTransactionId: `${s}/T9` },
    ]);
    expect(v.outcomes).toEqual([{ status: 'applied' }]);
    const t = await stores.applyBatch('S2', [sale('T9', s, 3)]);
    expect(t.outcomes).toEqual([{ status: 'voided' }]);
    expect((await movements.levels({ sku: s, location: 'S2' }))[0]).toMatchObject({ onHand: 0, oversold: 0 });
    const rows = await db.query<{ transaction_id: string; status: string; voided_by: string | null }>(
      `SELECT transaction_id, status, voided_by FROM store_transactions WHERE store = 'S2' ORDER BY type`,
    );
    expect(rows.rows).toEqual([
      { transaction_id: `${s}/T9`, status: 'voided', voided_by: 'V9' },
      { transaction_id: 'V9', status: 'applied', voided_by: null },
    ]);
  });

  it('applies a batch together but for the one whose void came first, and names the sale that oversold', async () => {
    const { sku: s } = await sku(3);
    await stores.applyBatch('S1', [
      { transactionId: `${s}/V2`, type: 'void', occurredAt: at, lines: [], voidsTransactionId: `${s}/T2` },
    ]);
    const out = await stores.applyBatch('S1', [
      sale('T1', s, 2),
      sale('T2', s, 5),
      sale('T3', s, 2),
      sale('T4', s, 1),
    ]);
    expect(out.outcomes.map((o) => o.status)).toEqual(['applied', 'voided', 'applied', 'applied']);
    // 3 on hand: T1 takes 2, T3 takes 1 and oversells 1, T4 oversells 1; T2 never applied.
    expect(await level(s)).toMatchObject({ onHand: 0, oversold: 2 });
    const [open] = await openExceptions(s);
    expect(open.exception).toMatchObject({
      reference: `S1/${s}/T3`,
      details: { transactionId: `${s}/T3`, oversold: 2 },
    });
  });

  it('refuses the batch of a location that is not a store', async () => {
    await expect(stores.applyBatch('W1', [])).rejects.toMatchObject({ code: 'unknown-location' });
    await expect(stores.applyBatch('NOWHERE', [])).rejects.toMatchObject({ code: 'unknown-location' });
  });

  describe('collect', () => {
    it('takes the units out of reserved and on hand once, however many collect in parallel', async () => {
      const { sku: s, channel } = await sku(8);
      const held = await reservations.reserve({
        channel,
        lines: [{ sku: s, quantity: 3, location: 'S1' }],
        ttlSeconds: 3 * 24 * 3600,
        reference: 'pickup-1',
      });
      if (held.kind !== 'held') throw new Error('expected a hold');
      const id = held.reservation.id;
      const outs = await Promise.all(Array.from({ length: 20 }, () => reservations.collect(id, channel)));
      expect(outs.filter((o) => o.changed)).toHaveLength(1);
      expect(outs.every((o) => o.reservation.status === 'collected')).toBe(true);
      expect(await level(s)).toMatchObject({ onHand: 5, reserved: 0 });
      const journal = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM stock_movements WHERE reservation_id = $1 AND movement_type = 'collect'`,
        [id],
      );
      expect(Number(journal.rows[0].n)).toBe(1);
      expect((await reservations.get(id, channel)).status).toBe('collected');
      await expect(reservations.release(id, channel)).rejects.toMatchObject({
        code: 'reservation-not-active',
        details: { reservationStatus: 'collected' },
      });
    });

    it('refuses a released, confirmed or expired reservation and moves nothing', async () => {
      const { sku: s, channel } = await sku(8);
      const hold = async () => {
        const out = await reservations.reserve({
          channel,
          lines: [{ sku: s, quantity: 1, location: 'S1' }],
          ttlSeconds: 600,
        });
        if (out.kind !== 'held') throw new Error('expected a hold');
        return out.reservation.id;
      };
      const released = await hold();
      await reservations.release(released, channel);
      const confirmed = await hold();
      await reservations.confirm(confirmed, channel);
      const lapsed = await hold();
      await db.query(`UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        lapsed,
      ]);
      for (const [id, status] of [
        [released, 'released'],
        [confirmed, 'confirmed'],
        [lapsed, 'expired'],
      ])
        await expect(reservations.collect(id, channel)).rejects.toMatchObject({
          code: 'reservation-not-active',
          details: { reservationStatus: status },
        });
      // The lapsed pickup returns its units when swept; the confirmed one keeps its unit reserved.
      await reservations.expireDue();
      expect(await level(s)).toMatchObject({ onHand: 8, reserved: 1 });
    });
  });
});
