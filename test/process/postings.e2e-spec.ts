import { DEFAULT_CHANNEL_POLICY, type ReservationConfirmedEvent } from '@stockbridge/canonical';
import { Catalog, Db, Movements, Reservations, SingleLocationFirstSourcing } from '@stockbridge/ledger';
import { deterministicEventId, envelope } from '@stockbridge/messaging';
import { businessDate, Postings } from '@stockbridge/orders';
import { openDataSource } from '@stockbridge/persistence';
import type { DataSource } from 'typeorm';
import { type OrderServices, orderServices } from '../../apps/process-allocation/src/orders/order-services';
import { NearestSingleLocationSourcing } from '../../apps/process-allocation/src/sourcing/fulfilment-sourcing';
import { createTestEnvironment, type TestEnvironment } from '../support/environment';

/**
 * Financial postings over a real PostgreSQL: per-event mode books each shipment at once (one event per
 * posting key, never two), daily-summary mode books one posting per channel, day and kind, and the ERP's
 * acknowledgement of a summary settles every order in it.
 */
describe('financial postings: posting keys, daily summaries, settlement', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let reservations: Reservations;
  let flows: OrderServices;

  beforeAll(async () => {
    env = await createTestEnvironment('postings');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 4, applicationName: 'test' });
    db = Db.fromDataSource(ds);
    const catalog = new Catalog(db, 0);
    reservations = new Reservations(db, catalog, new SingleLocationFirstSourcing());
    flows = orderServices(db, reservations, new NearestSingleLocationSourcing());
    await db.tx(async (sql) => {
      await catalog.upsertLocations(sql, [{ code: 'WH', name: 'WH', type: 'warehouse' }]);
      await catalog.upsertSkus(sql, [{ sku: 'P', name: 'P', priceCents: 1500 }]);
      await catalog.upsertChannels(
        sql,
        ['daily', 'instant'].map((code) => ({
          code,
          name: code,
          policy: DEFAULT_CHANNEL_POLICY,
          pool: [{ location: 'WH', priority: 1 }],
        })),
      );
    });
    await db.query(`UPDATE skus SET cost_cents = 600 WHERE sku = 'P'`);
    await db.query(`UPDATE channels SET posting_mode = 'daily-summary' WHERE code = 'daily'`);
    await new Movements(db).apply({
      kind: 'receive',
      sku: 'P',
      location: 'WH',
      quantity: 100,
      sourceSystem: 'test',
      sourceEventId: 'seed',
    });
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.teardown();
  });

  /** Places, releases and ships an order of `quantity` P on `channel`; returns the order id. */
  async function shippedOrder(channel: string, quantity: number, shipmentId: string): Promise<string> {
    const r = await reservations.reserve({ channel, lines: [{ sku: 'P', quantity }], ttlSeconds: 600 });
    if (r.kind !== 'held') throw new Error('reservation refused');
    await reservations.confirm(r.reservation.id, channel);
    const confirmed: ReservationConfirmedEvent = envelope(
      'reservation.confirmed',
      {
        reservationId: r.reservation.id,
        channel,
        reference: null,
        lines: r.reservation.lines,
        confirmedAt: new Date().toISOString(),
      },
      { source: 'process-reservations', partitionKey: r.reservation.id },
    );
    await flows.placement.place(confirmed);
    const fo = (await flows.orders.get(r.reservation.id)).fulfilmentOrders[0];
    const report = (
      kind: 'released' | 'shipped',
      sourceEventId: string,
      lines: { sku: string; quantity: number }[],
    ) =>
      flows.reports.report(
        envelope(
          'fulfilment.reported',
          { kind, fulfilmentOrderId: fo.id, lines, sourceEventId, detail: null },
          { source: 'system-wms', partitionKey: fo.id },
        ),
      );
    await report('released', `${shipmentId}-r`, []);
    await report('shipped', shipmentId, [{ sku: 'P', quantity }]);
    return r.reservation.id;
  }

  const outboxFor = async (key: string) =>
    Number(
      (
        await db.query<{ n: string }>(`SELECT count(*) AS n FROM outbox_events WHERE id = $1`, [
          deterministicEventId(`posting/${key}`),
        ])
      ).rows[0].n,
    );

  it('books each shipment of a per-event channel at once: revenue and cost of goods, one event per posting key', async () => {
    const id = await shippedOrder('instant', 2, 'ship-instant-1');
    const order = await flows.orders.get(id);
    expect(order.postings.map((p) => [p.postingKey, p.kind, p.amountCents, p.status]).sort()).toEqual([
      ['cogs:ship-instant-1', 'cost-of-goods', 1200, 'requested'],
      ['revenue:ship-instant-1', 'revenue', 3000, 'requested'],
    ]);
    expect(await outboxFor('revenue:ship-instant-1')).toBe(1);
    expect(await outboxFor('cogs:ship-instant-1')).toBe(1);
    // Asking for the same key again changes nothing.
    const again = await db.tx((sql) =>
      Postings.request(
        sql,
        {
          postingKey: 'revenue:ship-instant-1',
          kind: 'revenue',
          channel: 'instant',
          orderId: id,
          rmaId: null,
          reference: id,
          reason: null,
          lines: [{ sku: 'P', location: 'WH', quantity: 2, amountCents: 3000 }],
        },
        { source: 'test', correlationId: null },
      ),
    );
    expect(again).toBe(false);
    expect(await outboxFor('revenue:ship-instant-1')).toBe(1);

    // The ERP acknowledges revenue, then cost: the order settles only once both are booked.
    await flows.settlement.acknowledgePosting('revenue:ship-instant-1', 'JE-1');
    expect((await flows.orders.get(id)).state).toBe('shipped');
    await flows.settlement.acknowledgePosting('cogs:ship-instant-1', 'JE-2');
    expect((await flows.orders.get(id)).state).toBe('settled');
  });

  it('keeps a daily-summary channel’s postings pending, then books one summary per day and kind and settles its orders on acknowledgement', async () => {
    const a = await shippedOrder('daily', 1, 'ship-daily-1');
    const b = await shippedOrder('daily', 3, 'ship-daily-2');
    const pending = await db.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM financial_postings WHERE channel = 'daily' GROUP BY status`,
    );
    expect(pending.rows).toEqual([{ status: 'pending', n: '4' }]);
    expect(await outboxFor('revenue:ship-daily-1')).toBe(0);

    // Today's postings wait for the day to end.
    const today = businessDate();
    expect(await flows.settlement.summariseDay(today)).toEqual([]);
    // Once the day is over, one summary per kind.
    const tomorrow = businessDate(new Date(Date.now() + 24 * 3600 * 1000));
    const keys = await flows.settlement.summariseDay(tomorrow);
    expect(keys.sort()).toEqual([`summary:daily:${today}:cost-of-goods`, `summary:daily:${today}:revenue`]);
    const summaries = await db.query<{ posting_key: string; amount_cents: string; lines: unknown }>(
      `SELECT posting_key, amount_cents, lines FROM financial_postings WHERE posting_key LIKE 'summary:%' ORDER BY posting_key`,
    );
    expect(summaries.rows.map((r) => [r.posting_key, Number(r.amount_cents), r.lines])).toEqual([
      [
        `summary:daily:${today}:cost-of-goods`,
        2400,
        [{ sku: 'P', location: 'WH', quantity: 4, amountCents: 2400 }],
      ],
      [
        `summary:daily:${today}:revenue`,
        6000,
        [{ sku: 'P', location: 'WH', quantity: 4, amountCents: 6000 }],
      ],
    ]);
    for (const key of keys) expect(await outboxFor(key)).toBe(1);
    // A second run (another replica, a retried job) finds nothing left to summarise.
    expect(await flows.settlement.summariseDay(tomorrow)).toEqual([]);

    for (const key of keys) await flows.settlement.acknowledgePosting(key, `JE-${key}`);
    for (const id of [a, b]) {
      const order = await flows.orders.get(id);
      expect(order.state).toBe('settled');
      expect(order.postings.every((p) => p.status === 'posted')).toBe(true);
    }
  });
});
