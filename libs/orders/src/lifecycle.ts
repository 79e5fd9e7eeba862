import type { Sql } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';

/** The canonical order states (issue 4), in their usual order. */
export const ORDER_STATES = [
  'pending_validation',
  'reserved',
  'allocated',
  'released',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
  'returned',
  'settled',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export function isOrderState(value: string): value is OrderState {
  return (ORDER_STATES as readonly string[]).includes(value);
}

/**
 * Which state may follow which. Re-sourcing after a short pick takes a released order back to allocated;
 * a return may follow shipment, delivery or settlement; cancelled is final.
 */
const NEXT: Record<OrderState, readonly OrderState[]> = {
  pending_validation: ['reserved', 'cancelled'],
  reserved: ['allocated', 'cancelled'],
  allocated: ['released', 'partially_shipped', 'shipped', 'cancelled'],
  released: ['allocated', 'partially_shipped', 'shipped', 'cancelled'],
  partially_shipped: ['shipped', 'returned'],
  shipped: ['delivered', 'settled', 'returned'],
  delivered: ['settled', 'returned'],
  settled: ['returned'],
  returned: ['settled'],
  cancelled: [],
};

export function canTransition(from: OrderState, to: OrderState): boolean {
  return NEXT[from].includes(to);
}

/** What the fulfilment facts of an order say its operational state is. */
export interface FulfilmentFacts {
  /** Units ordered, cancelled (never to ship), shipped, and allocated but not yet released to the WMS. */
  ordered: number;
  cancelled: number;
  shipped: number;
  unreleased: number;
  /** Units allocated to released fulfilment orders and not yet shipped. */
  releasedOpen: number;
}

/**
 * The operational state the facts give: shipped once every unit that will ship has; partially shipped
 * while some have; cancelled when none will; otherwise allocated until every open unit is released.
 */
export function operationalState(f: FulfilmentFacts): OrderState {
  const willShip = f.ordered - f.cancelled;
  if (willShip === 0) return 'cancelled';
  if (f.shipped >= willShip) return 'shipped';
  if (f.shipped > 0) return 'partially_shipped';
  if (f.unreleased > 0 || f.releasedOpen === 0) return 'allocated';
  return 'released';
}

export interface TransitionInput {
  orderId: string;
  to: OrderState;
  /** What caused it, in words a person reads (e.g. "WMS shipment 6f1c… for fulfilment order …"). */
  cause: string;
  /** Who caused it: an app, `oms`, a channel's code, an operator. */
  source: string;
  nativeStatus?: string | null;
}

export type TransitionResult =
  | { changed: true; from: OrderState; to: OrderState }
  | { changed: false; state: OrderState; reason: 'same-state' | 'not-allowed' };

/** Records order state changes with their cause, under the order's row lock. */
export class OrderLifecycle {
  /** Moves the order to `to` when allowed; records the transition. The caller's transaction holds it. */
  static async transition(sql: PoolClient, t: TransitionInput): Promise<TransitionResult> {
    const cur = await sql.query<{ state: OrderState }>(`SELECT state FROM orders WHERE id = $1 FOR UPDATE`, [
      t.orderId,
    ]);
    if (cur.rowCount === 0) throw new Error(`Order ${t.orderId} does not exist`);
    const from = cur.rows[0].state;
    if (from === t.to) return { changed: false, state: from, reason: 'same-state' };
    if (!canTransition(from, t.to)) return { changed: false, state: from, reason: 'not-allowed' };
    await sql.query(`UPDATE orders SET state = $2, updated_at = clock_timestamp() WHERE id = $1`, [
      t.orderId,
      t.to,
    ]);
    await OrderLifecycle.record(sql, { ...t }, from);
    return { changed: true, from, to: t.to };
  }

  /** Appends a transition row (also used for the first state of a new order, `from` null). */
  static async record(sql: PoolClient, t: TransitionInput, from: OrderState | null): Promise<void> {
    await sql.query(
      `INSERT INTO order_transitions (order_id, from_state, to_state, cause, source, native_status)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [t.orderId, from, t.to, t.cause, t.source, t.nativeStatus ?? null],
    );
  }

  /** The fulfilment facts of an order, from its lines and fulfilment orders. */
  static async facts(sql: Sql, orderId: string): Promise<FulfilmentFacts> {
    const res = await sql.query<Record<keyof FulfilmentFacts, string>>(
      `SELECT
         (SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE order_id = $1) AS ordered,
         (SELECT coalesce(sum(cancelled), 0) FROM order_lines WHERE order_id = $1) AS cancelled,
         coalesce(sum(l.shipped), 0) AS shipped,
         coalesce(sum(l.quantity - l.shipped - l.short_picked - l.cancelled) FILTER (WHERE f.status = 'allocated'), 0) AS unreleased,
         coalesce(sum(l.quantity - l.shipped - l.short_picked - l.cancelled)
           FILTER (WHERE f.status IN ('released', 'partially_shipped', 'cancel_requested')), 0) AS "releasedOpen"
       FROM fulfilment_orders f JOIN fulfilment_lines l ON l.fulfilment_order_id = f.id
       WHERE f.order_id = $1`,
      [orderId],
    );
    const r = res.rows[0];
    return {
      ordered: Number(r.ordered),
      cancelled: Number(r.cancelled),
      shipped: Number(r.shipped),
      unreleased: Number(r.unreleased),
      releasedOpen: Number(r.releasedOpen),
    };
  }

  /**
   * Brings the order's state in line with its fulfilment facts (after a fulfilment change), unless a later
   * state (delivered, settled, returned) already holds.
   */
  static async follow(
    sql: PoolClient,
    orderId: string,
    cause: string,
    source: string,
  ): Promise<TransitionResult> {
    const next = operationalState(await OrderLifecycle.facts(sql, orderId));
    return OrderLifecycle.transition(sql, { orderId, to: next, cause, source });
  }

  /**
   * Like `follow`, for a change the order's history must show even when its state stays: units cancelled
   * (a short pick's shortfall no location has) while the rest still ships. When the state does not change,
   * the transition is recorded from the state to itself, with its cause.
   */
  static async followAndRecord(
    sql: PoolClient,
    orderId: string,
    cause: string,
    source: string,
  ): Promise<TransitionResult> {
    const out = await OrderLifecycle.follow(sql, orderId, cause, source);
    if (!out.changed) await OrderLifecycle.record(sql, { orderId, to: out.state, cause, source }, out.state);
    return out;
  }
}
