import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type {
  FulfilmentLine,
  FulfilmentReportedEvent,
  GeoPoint,
  ReservationConfirmedEvent,
} from '@stockbridge/canonical';
import {
  LedgerError,
  type OrderMovementKind,
  OrderStock,
  type ReservationView,
  Reservations,
} from '@stockbridge/ledger';
import { deterministicEventId, envelope, Inbox, PermanentError, writeOutbox } from '@stockbridge/messaging';
import {
  isOrderState,
  OrderLifecycle,
  type OrderState,
  type OrderView,
  Postings,
  readOrder,
  type TransitionResult,
} from '@stockbridge/orders';
import { Db } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';
import { distanceKm, FulfilmentSourcing, type LocationCandidate } from '../sourcing/fulfilment-sourcing';

export const SOURCE = 'process-allocation';

/** A refusal the API shows as a problem (status, code, detail). */
export class OrderError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OrderError';
  }
}

interface FulfilmentRow {
  id: string;
  order_id: string;
  location: string;
  status: string;
  attempt: number;
  channel: string;
  ship_to_latitude: number | null;
  ship_to_longitude: number | null;
  correlation_id: string | null;
}

interface OpenLine {
  sku: string;
  quantity: number;
  shipped: number;
  short_picked: number;
  cancelled: number;
  open: number;
}

export interface StatusReportOutcome {
  state: OrderState;
  mappedTo: OrderState;
  applied: boolean;
  /** Why a report changed nothing: already in that state, or the platform's own record decides. */
  reason: string | null;
}

/**
 * Orders from confirmed reservations to shipment (issue 4 §1–2): sourcing to fulfilment orders per location,
 * reserved → allocated in the ledger, release to the WMS (through the outbox and system-wms), shipments,
 * short picks with re-sourcing, cancellations before and after release, and the order lifecycle with the
 * cause of every transition. Every operation is one transaction: the order's rows, the journaled stock
 * movements and the outgoing events commit together.
 */
@Injectable()
export class AllocationService {
  private readonly log = new Logger(AllocationService.name);

  constructor(
    private readonly db: Db,
    private readonly inbox: Inbox,
    private readonly sourcing: FulfilmentSourcing,
    private readonly reservations: Reservations,
  ) {}

  /** The reservation an order is placed from; one that does not exist can never become an order. */
  private async reservation(id: string, channel: string): Promise<ReservationView> {
    try {
      return await this.reservations.get(id, channel);
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'reservation-not-found')
        throw new PermanentError('validation', `Reservation ${id} of channel ${channel} does not exist.`);
      throw err;
    }
  }

  async get(id: string, channel?: string): Promise<OrderView> {
    const view = await readOrder(this.db, id, channel);
    if (!view) throw new OrderError(404, 'order-not-found', `Order "${id}" does not exist.`);
    return view;
  }

  async list(filter: { state?: string; channel?: string; limit: number }): Promise<OrderView[]> {
    const res = await this.db.query<{ id: string }>(
      `SELECT id FROM orders WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR channel = $2)
       ORDER BY created_at DESC LIMIT $3`,
      [filter.state ?? null, filter.channel ?? null, filter.limit],
    );
    const views = await Promise.all(res.rows.map((r) => readOrder(this.db, r.id)));
    return views.filter((v): v is OrderView => v !== null);
  }

  // ── Placing: reservation.confirmed → order, fulfilment orders, allocation, release ──────────────────

  /** Turns a confirmed reservation into an order; once per event (inbox) and once per reservation (order id). */
  async place(event: ReservationConfirmedEvent): Promise<{ orderId: string; created: boolean }> {
    const p = event.payload;
    return this.db.tx(async (sql) => {
      if (!(await this.inbox.claim(sql, SOURCE, event))) return { orderId: p.reservationId, created: false };
      const exists = await sql.query(`SELECT 1 FROM orders WHERE id = $1`, [p.reservationId]);
      if (exists.rowCount) return { orderId: p.reservationId, created: false };

      const r = await this.reservation(p.reservationId, p.channel);
      if (r.status !== 'confirmed') {
        throw new PermanentError(
          'validation',
          `Reservation ${p.reservationId} is ${r.status}, not confirmed: no order is placed.`,
        );
      }
      const heldLines = r.lines;
      const shipTo: GeoPoint | null = r.shipTo ?? p.shipTo ?? null;

      await sql.query(
        `INSERT INTO orders (id, channel, reference, state, ship_to_latitude, ship_to_longitude, correlation_id)
         VALUES ($1, $2, $3, 'pending_validation', $4, $5, $6)`,
        [
          p.reservationId,
          r.channel,
          r.reference,
          shipTo?.latitude ?? null,
          shipTo?.longitude ?? null,
          event.correlationId,
        ],
      );
      await OrderLifecycle.record(
        sql,
        {
          orderId: p.reservationId,
          to: 'pending_validation',
          cause: `reservation ${p.reservationId} confirmed on channel ${r.channel}`,
          source: r.channel,
        },
        null,
      );
      const demand = merge(heldLines.map((l) => ({ sku: l.sku, quantity: l.quantity })));
      await sql.query(
        `INSERT INTO order_lines (order_id, sku, quantity, unit_price_cents, unit_cost_cents)
         SELECT $1, d.sku, d.quantity, k.price_cents, k.cost_cents
         FROM unnest($2::text[], $3::int[]) AS d(sku, quantity) JOIN skus k ON k.sku = d.sku`,
        [p.reservationId, demand.map((d) => d.sku), demand.map((d) => d.quantity)],
      );
      await this.transition(
        sql,
        p.reservationId,
        'reserved',
        `${describeLines(heldLines)} held by the reservation`,
      );

      const heldAt = new Map<string, number>(); // `${location}|${sku}` → units this order holds there
      for (const l of heldLines)
        heldAt.set(`${l.location}|${l.sku}`, (heldAt.get(`${l.location}|${l.sku}`) ?? 0) + l.quantity);
      const candidates = await this.candidates(sql, r.channel, demand, shipTo, heldAt, new Set());
      let plan = this.sourcing.plan(demand, candidates);
      if (plan.unfilled.length > 0) {
        // The held units always cover the order; a policy that cannot place it (e.g. store capacity used up
        // since) ships from where the units are held.
        this.log.warn(
          `Sourcing left ${describeLines(plan.unfilled)} of order ${p.reservationId} unplaced; shipping from the held locations`,
        );
        plan = { assignments: byLocation(heldLines), unfilled: [] };
      }
      const ctx = { orderId: p.reservationId, correlationId: event.correlationId };
      const created: string[] = [];
      for (const a of plan.assignments) {
        const foId = randomUUID();
        await this.createFulfilmentOrder(sql, foId, p.reservationId, a.location, a.lines, 1);
        for (const line of a.lines) {
          const key = `${a.location}|${line.sku}`;
          const fromHeld = Math.min(line.quantity, heldAt.get(key) ?? 0);
          if (fromHeld > 0) {
            heldAt.set(key, (heldAt.get(key) ?? 0) - fromHeld);
            await this.stock(
              sql,
              'allocate',
              line.sku,
              a.location,
              fromHeld,
              `fo:${foId}:allocate:${line.sku}`,
              ctx,
            );
          }
          if (line.quantity > fromHeld) {
            await this.stock(
              sql,
              'allocate-available',
              line.sku,
              a.location,
              line.quantity - fromHeld,
              `fo:${foId}:allocate-available:${line.sku}`,
              ctx,
            );
          }
        }
        created.push(`${a.location} (${describeLines(a.lines)})`);
      }
      for (const [key, units] of heldAt) {
        if (units <= 0) continue;
        const [location, sku] = key.split('|');
        await this.stock(
          sql,
          'release-held',
          sku,
          location,
          units,
          `order:${p.reservationId}:release-held:${location}:${sku}`,
          ctx,
        );
      }
      await this.transition(sql, p.reservationId, 'allocated', `sourced to ${created.join(', ')}`);
      await this.requestRelease(sql, p.reservationId, event.correlationId);
      return { orderId: p.reservationId, created: true };
    });
  }

  /** Sourcing candidates: the channel's pool with stock per SKU, distance and today's remaining capacity. */
  private async candidates(
    sql: PoolClient,
    channel: string,
    demand: FulfilmentLine[],
    shipTo: GeoPoint | null,
    heldAt: Map<string, number>,
    exclude: Set<string>,
  ): Promise<LocationCandidate[]> {
    const pool = await sql.query<{
      location: string;
      type: 'warehouse' | 'store';
      priority: number;
      latitude: number | null;
      longitude: number | null;
      capacity_left: number | null;
    }>(
      `SELECT cl.location, l.type, cl.priority, l.latitude, l.longitude,
         CASE WHEN l.daily_ship_capacity IS NULL THEN NULL
              ELSE greatest(0, l.daily_ship_capacity - (SELECT count(*) FROM fulfilment_orders f
                     WHERE f.location = l.code AND f.created_at >= date_trunc('day', now())))::int END AS capacity_left
       FROM channel_locations cl JOIN locations l ON l.code = cl.location WHERE cl.channel = $1`,
      [channel],
    );
    const locations = pool.rows.filter((r) => !exclude.has(r.location));
    const stock = await OrderStock.availability(
      sql,
      demand.map((d) => d.sku),
      locations.map((l) => l.location),
    );
    return locations.map((l) => {
      const perSku = new Map<string, number>();
      for (const d of demand) {
        perSku.set(
          d.sku,
          (stock.get(l.location)?.get(d.sku) ?? 0) + (heldAt.get(`${l.location}|${d.sku}`) ?? 0),
        );
      }
      return {
        location: l.location,
        type: l.type,
        priority: l.priority,
        distanceKm:
          shipTo && l.latitude !== null && l.longitude !== null
            ? distanceKm(shipTo, { latitude: l.latitude, longitude: l.longitude })
            : null,
        capacityLeft: l.capacity_left,
        stock: perSku,
      };
    });
  }

  private async createFulfilmentOrder(
    sql: PoolClient,
    id: string,
    orderId: string,
    location: string,
    lines: FulfilmentLine[],
    attempt: number,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO fulfilment_orders (id, order_id, location, status, attempt) VALUES ($1, $2, $3, 'allocated', $4)`,
      [id, orderId, location, attempt],
    );
    await sql.query(
      `INSERT INTO fulfilment_lines (fulfilment_order_id, sku, quantity)
       SELECT $1, * FROM unnest($2::text[], $3::int[])`,
      [id, lines.map((l) => l.sku), lines.map((l) => l.quantity)],
    );
  }

  /** Asks the WMS (through the outbox) to release every fulfilment order of the order still only allocated. */
  private async requestRelease(
    sql: PoolClient,
    orderId: string,
    correlationId: string | null,
  ): Promise<void> {
    const fos = await this.fulfilmentOrders(sql, `f.order_id = $1 AND f.status = 'allocated'`, [orderId]);
    await this.ask(sql, 'release', fos, correlationId);
  }

  /** Writes one `fulfilment.requested` per fulfilment order, with its open units, to the outbox. */
  private async ask(
    sql: PoolClient,
    action: 'release' | 'cancel',
    fos: FulfilmentRow[],
    correlationId: string | null,
  ): Promise<void> {
    const events = [];
    for (const fo of fos) {
      const open = (await this.openLines(sql, fo.id)).filter((l) => l.open > 0);
      events.push(
        this.request(
          action,
          fo,
          open.map((l) => ({ sku: l.sku, quantity: l.open })),
          correlationId,
        ),
      );
    }
    await writeOutbox(sql, events);
  }

  private request(
    action: 'release' | 'cancel',
    fo: FulfilmentRow,
    lines: FulfilmentLine[],
    correlationId: string | null,
  ) {
    return envelope(
      'fulfilment.requested',
      {
        action,
        fulfilmentOrderId: fo.id,
        orderId: fo.order_id,
        channel: fo.channel,
        location: fo.location,
        lines,
        shipTo:
          fo.ship_to_latitude !== null && fo.ship_to_longitude !== null
            ? { latitude: fo.ship_to_latitude, longitude: fo.ship_to_longitude }
            : null,
      },
      {
        // One release and at most one cancellation per fulfilment order.
        id: deterministicEventId(`fulfilment/${fo.id}/${action}`),
        source: SOURCE,
        partitionKey: fo.order_id,
        correlationId: correlationId ?? fo.correlation_id,
      },
    );
  }

  // ── What the WMS reports ─────────────────────────────────────────────────────────────────────────

  /** Applies a WMS report about a fulfilment order, once per (kind, source event id). */
  async report(event: FulfilmentReportedEvent): Promise<{ applied: boolean }> {
    const p = event.payload;
    return this.db.tx(async (sql) => {
      const fo0 = await sql.query<{ order_id: string }>(
        `SELECT order_id FROM fulfilment_orders WHERE id = $1`,
        [p.fulfilmentOrderId],
      );
      if (!fo0.rowCount) {
        throw new PermanentError('validation', `Fulfilment order ${p.fulfilmentOrderId} does not exist.`, {
          fulfilmentOrderId: p.fulfilmentOrderId,
        });
      }
      // The order first, then the fulfilment order: every transaction locks in that order.
      await sql.query(`SELECT 1 FROM orders WHERE id = $1 FOR UPDATE`, [fo0.rows[0].order_id]);
      const once = await sql.query(
        `INSERT INTO fulfilment_reports (source_event_id, fulfilment_order_id, kind) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [`${p.kind}:${p.sourceEventId}`, p.fulfilmentOrderId, p.kind],
      );
      if (!once.rowCount) return { applied: false };
      const [fo] = await this.fulfilmentOrders(sql, `f.id = $1 FOR UPDATE OF f`, [p.fulfilmentOrderId]);
      const correlationId = event.correlationId;
      switch (p.kind) {
        case 'released':
          if (fo.status === 'allocated') await this.setStatus(sql, fo.id, 'released');
          if (fo.status === 'cancelled') {
            // Cancelled here while its release was on the way: the WMS must drop it too.
            await writeOutbox(sql, [this.request('cancel', fo, [], correlationId)]);
          }
          await this.follow(sql, fo.order_id, `WMS accepted fulfilment order ${fo.id} at ${fo.location}`);
          break;
        case 'shipped':
          await this.shipped(sql, fo, p.lines, p.sourceEventId, correlationId);
          break;
        case 'short-picked':
          await this.shortPicked(sql, fo, p.lines, p.sourceEventId, correlationId);
          break;
        case 'cancelled':
          await this.cancelOpen(sql, fo, `WMS cancelled fulfilment order ${fo.id}`, correlationId);
          break;
        case 'cancel-refused':
          if (fo.status === 'cancel_requested')
            await this.setStatus(sql, fo.id, await this.shipStatus(sql, fo.id));
          this.log.warn(`WMS refused to cancel fulfilment order ${fo.id}: ${p.detail ?? 'no reason given'}`);
          await this.follow(
            sql,
            fo.order_id,
            `WMS refused to cancel fulfilment order ${fo.id}: ${p.detail ?? 'no reason'}`,
          );
          break;
      }
      return { applied: true };
    });
  }

  private async shipped(
    sql: PoolClient,
    fo: FulfilmentRow,
    lines: FulfilmentLine[],
    sourceEventId: string,
    correlationId: string | null,
  ): Promise<void> {
    const open = new Map((await this.openLines(sql, fo.id)).map((l) => [l.sku, l]));
    const prices = await sql.query<{ sku: string; unit_price_cents: string; unit_cost_cents: string }>(
      `SELECT sku, unit_price_cents, unit_cost_cents FROM order_lines WHERE order_id = $1`,
      [fo.order_id],
    );
    const price = new Map(prices.rows.map((r) => [r.sku, r]));
    const revenue: { sku: string; location: string; quantity: number; amountCents: number }[] = [];
    const cost: typeof revenue = [];
    for (const line of merge(lines)) {
      const l = open.get(line.sku);
      const q = Math.min(line.quantity, l?.open ?? 0);
      if (q < line.quantity) {
        this.log.warn(
          `WMS shipped ${line.quantity} ${line.sku} for fulfilment order ${fo.id} but only ${l?.open ?? 0} were open; the rest is left to reconciliation`,
        );
      }
      if (q === 0) continue;
      await this.stock(
        sql,
        'ship-allocated',
        line.sku,
        fo.location,
        q,
        `wms:${sourceEventId}:ship:${line.sku}`,
        {
          orderId: fo.order_id,
          correlationId,
        },
      );
      await sql.query(
        `UPDATE fulfilment_lines SET shipped = shipped + $3 WHERE fulfilment_order_id = $1 AND sku = $2`,
        [fo.id, line.sku, q],
      );
      const pr = price.get(line.sku);
      revenue.push({
        sku: line.sku,
        location: fo.location,
        quantity: q,
        amountCents: q * Number(pr?.unit_price_cents ?? 0),
      });
      cost.push({
        sku: line.sku,
        location: fo.location,
        quantity: q,
        amountCents: q * Number(pr?.unit_cost_cents ?? 0),
      });
    }
    if (fo.status !== 'cancel_requested') await this.setStatus(sql, fo.id, await this.shipStatus(sql, fo.id));
    if (revenue.length > 0) {
      const ctx = { source: SOURCE, correlationId, causationId: sourceEventId };
      const base = {
        channel: fo.channel,
        orderId: fo.order_id,
        rmaId: null,
        reference: fo.order_id,
        reason: null,
      };
      await Postings.request(
        sql,
        { ...base, postingKey: `revenue:${sourceEventId}`, kind: 'revenue', lines: revenue },
        ctx,
      );
      await Postings.request(
        sql,
        { ...base, postingKey: `cogs:${sourceEventId}`, kind: 'cost-of-goods', lines: cost },
        ctx,
      );
    }
    await this.follow(
      sql,
      fo.order_id,
      `WMS shipped ${describeLines(lines)} of fulfilment order ${fo.id} from ${fo.location}`,
    );
    await this.settleIfBooked(sql, fo.order_id);
  }

  /**
   * The WMS could not find some allocated units: they are written off at that location (a journaled
   * short-pick), and the remainder is sourced again from the other locations of the channel's pool; what no
   * location has is cancelled on the order.
   */
  private async shortPicked(
    sql: PoolClient,
    fo: FulfilmentRow,
    lines: FulfilmentLine[],
    sourceEventId: string,
    correlationId: string | null,
  ): Promise<void> {
    const open = new Map((await this.openLines(sql, fo.id)).map((l) => [l.sku, l]));
    const short: FulfilmentLine[] = [];
    const ctx = { orderId: fo.order_id, correlationId };
    for (const line of merge(lines)) {
      const q = Math.min(line.quantity, open.get(line.sku)?.open ?? 0);
      if (q === 0) continue;
      await this.stock(
        sql,
        'short-pick',
        line.sku,
        fo.location,
        q,
        `wms:${sourceEventId}:short-pick:${line.sku}`,
        ctx,
      );
      await sql.query(
        `UPDATE fulfilment_lines SET short_picked = short_picked + $3 WHERE fulfilment_order_id = $1 AND sku = $2`,
        [fo.id, line.sku, q],
      );
      short.push({ sku: line.sku, quantity: q });
    }
    if (short.length === 0) return;
    const remaining = await this.openLines(sql, fo.id);
    if (remaining.every((l) => l.open === 0)) {
      const shippedAny = remaining.some((l) => l.shipped > 0);
      await this.setStatus(sql, fo.id, shippedAny ? 'shipped' : 'short_closed');
    }
    if (fo.status === 'cancel_requested') {
      // The order is being cancelled: what was short is not sourced again, it is cancelled with the rest.
      for (const u of short) {
        await sql.query(
          `UPDATE order_lines SET cancelled = cancelled + $3 WHERE order_id = $1 AND sku = $2`,
          [fo.order_id, u.sku, u.quantity],
        );
      }
      await this.follow(
        sql,
        fo.order_id,
        `short pick at ${fo.location} during cancellation: ${describeLines(short)} not found`,
      );
      return;
    }
    // Re-source what was short, away from every location that already came up short for this order.
    const tried = await sql.query<{ location: string }>(
      `SELECT DISTINCT f.location FROM fulfilment_orders f JOIN fulfilment_lines l ON l.fulfilment_order_id = f.id
       WHERE f.order_id = $1 AND l.short_picked > 0`,
      [fo.order_id],
    );
    const shipTo =
      fo.ship_to_latitude !== null && fo.ship_to_longitude !== null
        ? { latitude: fo.ship_to_latitude, longitude: fo.ship_to_longitude }
        : null;
    const candidates = await this.candidates(
      sql,
      fo.channel,
      short,
      shipTo,
      new Map(),
      new Set(tried.rows.map((r) => r.location)),
    );
    const plan = this.sourcing.plan(short, candidates);
    const attempt = fo.attempt + 1;
    const placed: string[] = [];
    for (const a of plan.assignments) {
      const foId = randomUUID();
      await this.createFulfilmentOrder(sql, foId, fo.order_id, a.location, a.lines, attempt);
      for (const line of a.lines) {
        await this.stock(
          sql,
          'allocate-available',
          line.sku,
          a.location,
          line.quantity,
          `fo:${foId}:allocate-available:${line.sku}`,
          ctx,
        );
      }
      placed.push(`${a.location} (${describeLines(a.lines)})`);
    }
    for (const u of plan.unfilled) {
      await sql.query(`UPDATE order_lines SET cancelled = cancelled + $3 WHERE order_id = $1 AND sku = $2`, [
        fo.order_id,
        u.sku,
        u.quantity,
      ]);
    }
    const cause =
      `short pick at ${fo.location}: ${describeLines(short)} not found` +
      (placed.length ? `; re-sourced to ${placed.join(', ')}` : '') +
      (plan.unfilled.length ? `; no location has ${describeLines(plan.unfilled)}: cancelled` : '');
    await this.follow(sql, fo.order_id, cause);
    await this.requestRelease(sql, fo.order_id, correlationId);
  }

  // ── Cancellation ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Cancels what has not shipped: allocated fulfilment orders give their units back at once; released ones
   * are asked of the WMS (their units come back when it confirms). Cancelling a cancelled order succeeds.
   */
  async cancel(orderId: string, by: string, channel?: string): Promise<OrderView> {
    await this.db.tx(async (sql) => {
      const cur = await sql.query<{ state: OrderState; correlation_id: string | null }>(
        `SELECT state, correlation_id FROM orders WHERE id = $1 AND ($2::text IS NULL OR channel = $2) FOR UPDATE`,
        [orderId, channel ?? null],
      );
      const order = cur.rows[0];
      if (!order) throw new OrderError(404, 'order-not-found', `Order "${orderId}" does not exist.`);
      if (order.state === 'cancelled') return;
      if (
        !['pending_validation', 'reserved', 'allocated', 'released', 'partially_shipped'].includes(
          order.state,
        )
      ) {
        throw new OrderError(
          409,
          'order-not-cancellable',
          `Order "${orderId}" is ${order.state}: shipped units cannot be cancelled (open a return instead).`,
        );
      }
      const fos = await this.fulfilmentOrders(sql, `f.order_id = $1 FOR UPDATE OF f`, [orderId]);
      const asked: FulfilmentRow[] = [];
      for (const fo of fos) {
        if (fo.status === 'allocated') {
          await this.cancelOpen(sql, fo, `cancelled by ${by} before release`, order.correlation_id, false);
        } else if (fo.status === 'released' || fo.status === 'partially_shipped') {
          await this.setStatus(sql, fo.id, 'cancel_requested');
          asked.push(fo);
        }
      }
      await this.ask(sql, 'cancel', asked, order.correlation_id);
      await this.follow(
        sql,
        orderId,
        asked.length > 0
          ? `cancellation by ${by} asked of the WMS for ${asked.map((f) => f.location).join(', ')}`
          : `cancelled by ${by}`,
      );
    });
    return this.get(orderId, channel);
  }

  /** Gives a fulfilment order's open units back (deallocate) and marks them cancelled on the order. */
  private async cancelOpen(
    sql: PoolClient,
    fo: FulfilmentRow,
    cause: string,
    correlationId: string | null,
    follow = true,
  ): Promise<void> {
    const lines = await this.openLines(sql, fo.id);
    for (const l of lines) {
      if (l.open === 0) continue;
      await this.stock(sql, 'deallocate', l.sku, fo.location, l.open, `fo:${fo.id}:deallocate:${l.sku}`, {
        orderId: fo.order_id,
        correlationId,
      });
      await sql.query(
        `UPDATE fulfilment_lines SET cancelled = cancelled + $3 WHERE fulfilment_order_id = $1 AND sku = $2`,
        [fo.id, l.sku, l.open],
      );
      await sql.query(`UPDATE order_lines SET cancelled = cancelled + $3 WHERE order_id = $1 AND sku = $2`, [
        fo.order_id,
        l.sku,
        l.open,
      ]);
    }
    const shippedAny = lines.some((l) => l.shipped > 0);
    await this.setStatus(sql, fo.id, shippedAny ? 'shipped' : 'cancelled');
    if (follow) await this.follow(sql, fo.order_id, cause);
  }

  // ── Reported statuses, settlement ────────────────────────────────────────────────────────────────

  /**
   * A status reported by the OMS or a channel in its own words, mapped through order_status_mappings. A
   * cancellation starts the cancellation workflow; a delivery moves a shipped order on; the platform's own
   * fulfilment record decides every other state, so such reports change nothing and say why.
   */
  async reportStatus(orderId: string, source: string, nativeStatus: string): Promise<StatusReportOutcome> {
    const mapped = await this.db.query<{ state: string }>(
      `SELECT state FROM order_status_mappings WHERE source = $1 AND native_status = $2`,
      [source, nativeStatus],
    );
    const to = mapped.rows[0]?.state;
    if (!to || !isOrderState(to)) {
      throw new OrderError(
        422,
        'unmapped-status',
        `Status "${nativeStatus}" of ${source} has no mapping to an order state (order_status_mappings).`,
      );
    }
    if (to === 'cancelled') {
      const view = await this.cancel(orderId, source);
      return { state: view.state, mappedTo: to, applied: true, reason: null };
    }
    return this.db.tx(async (sql) => {
      const cur = await sql.query<{ state: OrderState }>(
        `SELECT state FROM orders WHERE id = $1 FOR UPDATE`,
        [orderId],
      );
      if (!cur.rowCount) throw new OrderError(404, 'order-not-found', `Order "${orderId}" does not exist.`);
      if (to !== 'delivered') {
        const reason =
          cur.rows[0].state === to
            ? 'already in that state'
            : "the platform's own fulfilment record decides this state";
        return { state: cur.rows[0].state, mappedTo: to, applied: false, reason };
      }
      const out = await OrderLifecycle.transition(sql, {
        orderId,
        to,
        cause: `${source} reported ${nativeStatus}`,
        source,
        nativeStatus,
      });
      return outcome(out, to);
    });
  }

  /** Marks the ERP's acknowledgement of a posting; orders whose sales are then all booked become settled. */
  async acknowledgePosting(postingKey: string, erpReference: string): Promise<string[]> {
    return this.db.tx(async (sql) => {
      const orders = await Postings.acknowledge(sql, postingKey, erpReference);
      for (const id of orders) {
        await sql.query(`SELECT 1 FROM orders WHERE id = $1 FOR UPDATE`, [id]);
        await this.settleIfBooked(sql, id);
      }
      return orders;
    });
  }

  /** Books the daily summaries of `daily-summary` channels for days before today. */
  async summariseDay(today: string): Promise<string[]> {
    return this.db.tx((sql) => Postings.summarise(sql, today, { source: SOURCE, correlationId: null }));
  }

  private async settleIfBooked(sql: PoolClient, orderId: string): Promise<void> {
    const cur = await sql.query<{ state: OrderState }>(`SELECT state FROM orders WHERE id = $1`, [orderId]);
    const state = cur.rows[0]?.state;
    if (state !== 'shipped' && state !== 'delivered') return;
    if (!(await Postings.salesBooked(sql, orderId))) return;
    await OrderLifecycle.transition(sql, {
      orderId,
      to: 'settled',
      cause: 'revenue and cost of goods booked in the ERP',
      source: 'system-erp',
    });
  }

  // ── Helpers ──────────────────────────────────────────────────────────────────────────────────────

  private async transition(sql: PoolClient, orderId: string, to: OrderState, cause: string): Promise<void> {
    await OrderLifecycle.transition(sql, { orderId, to, cause, source: SOURCE });
  }

  private async follow(sql: PoolClient, orderId: string, cause: string): Promise<void> {
    await OrderLifecycle.follow(sql, orderId, cause, SOURCE);
  }

  private async stock(
    sql: PoolClient,
    kind: OrderMovementKind,
    sku: string,
    location: string,
    quantity: number,
    sourceEventId: string,
    ctx: { orderId: string; correlationId: string | null },
  ): Promise<void> {
    try {
      await OrderStock.apply(sql, {
        kind,
        sku,
        location,
        quantity,
        orderId: ctx.orderId,
        sourceSystem: SOURCE,
        sourceEventId,
        correlationId: ctx.correlationId,
      });
    } catch (err) {
      // A movement that breaks a bucket invariant means the ledger and this order disagree: no retry fixes
      // that, so the job goes to the dead letters with the reason for someone to look at.
      if (err instanceof LedgerError && err.code === 'invariant-violation')
        throw new PermanentError('validation', `Order ${ctx.orderId}: ${err.message}`);
      throw err;
    }
  }

  private async fulfilmentOrders(
    sql: PoolClient,
    where: string,
    params: unknown[],
  ): Promise<FulfilmentRow[]> {
    const res = await sql.query<FulfilmentRow>(
      `SELECT f.id, f.order_id, f.location, f.status, f.attempt, o.channel, o.ship_to_latitude, o.ship_to_longitude,
         o.correlation_id
       FROM fulfilment_orders f JOIN orders o ON o.id = f.order_id WHERE ${where}`,
      params,
    );
    return res.rows;
  }

  private async openLines(sql: PoolClient, foId: string): Promise<OpenLine[]> {
    const res = await sql.query<OpenLine>(
      `SELECT sku, quantity, shipped, short_picked, cancelled, quantity - shipped - short_picked - cancelled AS open
       FROM fulfilment_lines WHERE fulfilment_order_id = $1 ORDER BY sku`,
      [foId],
    );
    return res.rows;
  }

  private async shipStatus(sql: PoolClient, foId: string): Promise<string> {
    const lines = await this.openLines(sql, foId);
    const shipped = lines.reduce((s, l) => s + l.shipped, 0);
    const open = lines.reduce((s, l) => s + l.open, 0);
    if (open === 0) return shipped > 0 ? 'shipped' : 'short_closed';
    return shipped > 0 ? 'partially_shipped' : 'released';
  }

  private async setStatus(sql: PoolClient, foId: string, status: string): Promise<void> {
    await sql.query(
      `UPDATE fulfilment_orders SET status = $2, updated_at = clock_timestamp() WHERE id = $1`,
      [foId, status],
    );
  }
}

function outcome(t: TransitionResult, mappedTo: OrderState): StatusReportOutcome {
  if (t.changed) return { state: t.to, mappedTo, applied: true, reason: null };
  return {
    state: t.state,
    mappedTo,
    applied: false,
    reason: t.reason === 'same-state' ? 'already in that state' : `not allowed from ${t.state}`,
  };
}

function merge(lines: FulfilmentLine[]): FulfilmentLine[] {
  const out = new Map<string, number>();
  for (const l of lines) out.set(l.sku, (out.get(l.sku) ?? 0) + l.quantity);
  return [...out].map(([sku, quantity]) => ({ sku, quantity }));
}

function byLocation(lines: { sku: string; location: string; quantity: number }[]) {
  const out = new Map<string, FulfilmentLine[]>();
  for (const l of lines) out.set(l.location, merge([...(out.get(l.location) ?? []), l]));
  return [...out].map(([location, ls]) => ({ location, lines: ls }));
}

export function describeLines(lines: { sku: string; quantity: number }[]): string {
  return lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
}
