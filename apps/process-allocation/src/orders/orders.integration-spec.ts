import { randomUUID } from 'node:crypto';
import {
  DEFAULT_CHANNEL_POLICY,
  type FulfilmentReportKind,
  type ReservationConfirmedEvent,
} from '@stockbridge/canonical';
import { Catalog, Db, Movements, Reservations, SingleLocationFirstSourcing } from '@stockbridge/ledger';
import { envelope } from '@stockbridge/messaging';
import { openDataSource } from '@stockbridge/persistence';
import type { DataSource } from 'typeorm';
import { createTestEnvironment, type TestEnvironment } from '../../../../test/support/environment';
import { OrderProblemMapper } from '../infra/order-problem.mapper';
import { NearestSingleLocationSourcing } from '../sourcing/fulfilment-sourcing';
import { type OrderServices, orderServices } from './order-services';

/**
 * The order workflows over a real PostgreSQL, each service on its own: placing an order from a confirmed
 * reservation, applying a WMS report once, cancelling, and the order's history of a short pick whose
 * shortfall no location has.
 */
describe('order workflows (PostgreSQL)', () => {
  let env: TestEnvironment;
  let ds: DataSource;
  let db: Db;
  let movements: Movements;
  let reservations: Reservations;
  let workflows: OrderServices;
  let run = 0;

  beforeAll(async () => {
    env = await createTestEnvironment('allocation_orders');
    ds = await openDataSource({ url: env.databaseUrl, poolSize: 4, applicationName: 'test' });
    db = Db.fromDataSource(ds);
    movements = new Movements(db);
    const catalog = new Catalog(db, 0);
    reservations = new Reservations(db, catalog, new SingleLocationFirstSourcing());
    workflows = orderServices(db, reservations, new NearestSingleLocationSourcing());
    await db.tx((sql) =>
      catalog.upsertLocations(sql, [
        { code: 'WH-1', name: 'WH-1', type: 'warehouse' },
        { code: 'WH-2', name: 'WH-2', type: 'warehouse' },
      ]),
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.teardown();
  });

  /** A SKU of its own on a channel of its own (pool WH-1, WH-2), with `stock` units per location. */
  async function setUp(stock: { 'WH-1': number; 'WH-2': number }): Promise<{ sku: string; channel: string }> {
    const sku = `S${run}`;
    const channel = `c-${run++}`;
    const catalog = new Catalog(db, 0);
    await db.tx(async (sql) => {
      await catalog.upsertSkus(sql, [{ sku, name: sku, priceCents: 1500 }]);
      await catalog.upsertChannels(sql, [
        {
          code: channel,
          name: channel,
          policy: DEFAULT_CHANNEL_POLICY,
          pool: [
            { location: 'WH-1', priority: 1 },
            { location: 'WH-2', priority: 2 },
          ],
        },
      ]);
    });
    for (const [location, quantity] of Object.entries(stock)) {
      if (quantity === 0) continue;
      await movements.apply({
        kind: 'receive',
        sku,
        location,
        quantity,
        sourceSystem: 'test',
        sourceEventId: `seed-${sku}-${location}`,
      });
    }
    return { sku, channel };
  }

  /** Reserves and confirms `quantity` of the SKU; returns the confirmation event (its id is the order's). */
  async function confirmed(
    sku: string,
    channel: string,
    quantity: number,
  ): Promise<ReservationConfirmedEvent> {
    const out = await reservations.reserve({ channel, lines: [{ sku, quantity }], ttlSeconds: 600 });
    if (out.kind !== 'held') throw new Error('the test reservation was refused');
    await reservations.confirm(out.reservation.id, channel);
    return envelope(
      'reservation.confirmed',
      {
        reservationId: out.reservation.id,
        channel,
        reference: null,
        lines: out.reservation.lines,
        confirmedAt: new Date().toISOString(),
      },
      { source: 'process-reservations', partitionKey: out.reservation.id },
    );
  }

  const report = (
    fulfilmentOrderId: string,
    kind: FulfilmentReportKind,
    lines: { sku: string; quantity: number }[],
    sourceEventId: string = randomUUID(),
  ) =>
    envelope(
      'fulfilment.reported',
      { kind, fulfilmentOrderId, lines, sourceEventId, detail: null },
      { source: 'system-wms', partitionKey: fulfilmentOrderId },
    );

  const level = async (sku: string, location: string) => (await movements.levels({ sku, location }))[0];

  const releaseRequests = async (fulfilmentOrderId: string) =>
    (
      await db.query<{ action: string; lines: { sku: string; quantity: number }[] }>(
        `SELECT envelope->'payload'->>'action' AS action, envelope->'payload'->'lines' AS lines
         FROM outbox_events WHERE event_type = 'fulfilment.requested'
           AND envelope->'payload'->>'fulfilmentOrderId' = $1 ORDER BY created_at`,
        [fulfilmentOrderId],
      )
    ).rows;

  it('places a confirmed reservation as an allocated order, asks the WMS to release it, and places it once', async () => {
    const { sku, channel } = await setUp({ 'WH-1': 5, 'WH-2': 0 });
    const event = await confirmed(sku, channel, 3);
    const orderId = event.payload.reservationId;

    expect(await workflows.placement.place(event)).toEqual({ orderId, created: true });
    const order = await workflows.orders.get(orderId);
    expect(order).toMatchObject({ id: orderId, channel, state: 'allocated' });
    expect(order.lines).toEqual([
      expect.objectContaining({ sku, quantity: 3, unitPriceCents: 1500, shipped: 0, cancelled: 0 }),
    ]);
    expect(order.fulfilmentOrders).toEqual([
      expect.objectContaining({ location: 'WH-1', status: 'allocated', attempt: 1 }),
    ]);
    expect(order.transitions.map((t) => t.to)).toEqual(['pending_validation', 'reserved', 'allocated']);
    // The reservation's hold became an allocation.
    expect(await level(sku, 'WH-1')).toMatchObject({ onHand: 5, reserved: 0, allocated: 3 });
    const fo = order.fulfilmentOrders[0];
    expect(await releaseRequests(fo.id)).toEqual([{ action: 'release', lines: [{ sku, quantity: 3 }] }]);

    // The same event again, and another event for the same reservation, change nothing.
    expect(await workflows.placement.place(event)).toEqual({ orderId, created: false });
    const twin = envelope('reservation.confirmed', event.payload, {
      source: 'process-reservations',
      partitionKey: orderId,
    });
    expect(await workflows.placement.place(twin)).toEqual({ orderId, created: false });
    expect((await workflows.orders.get(orderId)).fulfilmentOrders).toHaveLength(1);
    expect(await level(sku, 'WH-1')).toMatchObject({ allocated: 3 });
  });

  it('applies a shipment report once: the units leave, the sales are booked, a redelivery changes nothing', async () => {
    const { sku, channel } = await setUp({ 'WH-1': 5, 'WH-2': 0 });
    const event = await confirmed(sku, channel, 2);
    const orderId = event.payload.reservationId;
    await workflows.placement.place(event);
    const fo = (await workflows.orders.get(orderId)).fulfilmentOrders[0];
    expect(await workflows.reports.report(report(fo.id, 'released', []))).toEqual({ applied: true });

    const shipped = report(fo.id, 'shipped', [{ sku, quantity: 2 }]);
    expect(await workflows.reports.report(shipped)).toEqual({ applied: true });
    expect(await workflows.reports.report(shipped)).toEqual({ applied: false });

    const order = await workflows.orders.get(orderId);
    expect(order.state).toBe('shipped');
    expect(order.fulfilmentOrders[0]).toMatchObject({ status: 'shipped' });
    expect(order.lines[0]).toMatchObject({ shipped: 2 });
    expect(order.postings.map((p) => [p.kind, p.amountCents]).sort()).toEqual([
      ['cost-of-goods', 0],
      ['revenue', 3000],
    ]);
    expect(await level(sku, 'WH-1')).toMatchObject({ onHand: 3, allocated: 0 });

    await expect(workflows.reports.report(report(randomUUID(), 'released', []))).rejects.toMatchObject({
      name: 'PermanentError',
    });
  });

  it('cancels before release (the units come back at once) and refuses to cancel a shipped order', async () => {
    const { sku, channel } = await setUp({ 'WH-1': 4, 'WH-2': 0 });
    const open = await confirmed(sku, channel, 3);
    await workflows.placement.place(open);
    const cancelled = await workflows.cancellation.cancel(open.payload.reservationId, 'web', channel);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.lines[0]).toMatchObject({ quantity: 3, cancelled: 3 });
    expect(cancelled.fulfilmentOrders[0]).toMatchObject({ status: 'cancelled' });
    expect(cancelled.transitions.at(-1)).toMatchObject({ to: 'cancelled', cause: 'cancelled by web' });
    expect(await level(sku, 'WH-1')).toMatchObject({ onHand: 4, allocated: 0, reserved: 0 });
    // Cancelling again succeeds and changes nothing.
    expect((await workflows.cancellation.cancel(open.payload.reservationId, 'web')).transitions).toHaveLength(
      cancelled.transitions.length,
    );

    const done = await confirmed(sku, channel, 1);
    await workflows.placement.place(done);
    const fo = (await workflows.orders.get(done.payload.reservationId)).fulfilmentOrders[0];
    await workflows.reports.report(report(fo.id, 'released', []));
    await workflows.reports.report(report(fo.id, 'shipped', [{ sku, quantity: 1 }]));
    const refusal = await workflows.cancellation
      .cancel(done.payload.reservationId, 'web')
      .catch((e: unknown) => e);
    expect(new OrderProblemMapper().map(refusal)).toMatchObject({
      status: 409,
      type: 'https://stockbridge.dev/problems/order-not-cancellable',
    });
    const missing = await workflows.cancellation.cancel(randomUUID(), 'web').catch((e: unknown) => e);
    expect(new OrderProblemMapper().map(missing)).toMatchObject({
      status: 404,
      type: 'https://stockbridge.dev/problems/order-not-found',
    });
    // Another channel's order is not found either.
    const foreign = await workflows.cancellation
      .cancel(done.payload.reservationId, 'web', 'other')
      .catch((e: unknown) => e);
    expect(new OrderProblemMapper().map(foreign)).toMatchObject({ status: 404 });
  });

  it('records in the order history a short pick whose shortfall no location has, cancelled while the rest still ships', async () => {
    const { sku, channel } = await setUp({ 'WH-1': 3, 'WH-2': 0 });
    const event = await confirmed(sku, channel, 3);
    const orderId = event.payload.reservationId;
    await workflows.placement.place(event);
    const fo = (await workflows.orders.get(orderId)).fulfilmentOrders[0];
    await workflows.reports.report(report(fo.id, 'released', []));

    await workflows.reports.report(report(fo.id, 'short-picked', [{ sku, quantity: 1 }]));
    const order = await workflows.orders.get(orderId);
    // Two units still ship: the state stays released, and the history says what became of the third.
    expect(order.state).toBe('released');
    expect(order.lines[0]).toMatchObject({ quantity: 3, cancelled: 1 });
    expect(order.transitions.at(-1)).toMatchObject({
      from: 'released',
      to: 'released',
      source: 'process-allocation',
      cause: `short pick at WH-1: 1 × ${sku} not found; no location has 1 × ${sku}: cancelled`,
    });
    expect(await level(sku, 'WH-1')).toMatchObject({ onHand: 2, allocated: 2 });
  });

  it('records the re-sourcing of a short pick as the move back to allocated, and releases the new fulfilment order', async () => {
    const { sku, channel } = await setUp({ 'WH-1': 2, 'WH-2': 4 });
    const event = await confirmed(sku, channel, 2);
    const orderId = event.payload.reservationId;
    await workflows.placement.place(event);
    const first = (await workflows.orders.get(orderId)).fulfilmentOrders[0];
    expect(first.location).toBe('WH-1');
    await workflows.reports.report(report(first.id, 'released', []));
    await workflows.reports.report(report(first.id, 'short-picked', [{ sku, quantity: 2 }]));

    const order = await workflows.orders.get(orderId);
    expect(order.state).toBe('allocated');
    const second = order.fulfilmentOrders.find((f) => f.id !== first.id)!;
    expect(second).toMatchObject({ location: 'WH-2', status: 'allocated', attempt: 2 });
    expect(order.fulfilmentOrders.find((f) => f.id === first.id)).toMatchObject({ status: 'short_closed' });
    expect(order.transitions.at(-1)).toMatchObject({
      from: 'released',
      to: 'allocated',
      cause: `short pick at WH-1: 2 × ${sku} not found; re-sourced to WH-2 (2 × ${sku})`,
    });
    expect(order.transitions.filter((t) => t.from === t.to)).toEqual([]);
    expect(await releaseRequests(second.id)).toEqual([{ action: 'release', lines: [{ sku, quantity: 2 }] }]);
    expect(await level(sku, 'WH-2')).toMatchObject({ onHand: 4, allocated: 2 });
  });
});
