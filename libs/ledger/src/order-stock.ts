import type { Buckets } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import { ensureLevels, move } from './journal';
import { LedgerError } from './ledger.error';
import { AVAILABLE_SQL } from './rows';

/**
 * Movements the order workflows make (allocation, fulfilment, returns). Like the reservation kinds, no
 * source system may report them: only these operations write them, each with the deltas below.
 */
export const ORDER_MOVEMENT_KINDS = [
  'allocate',
  'allocate-available',
  'release-held',
  'deallocate',
  'ship-allocated',
  'short-pick',
  'return-receive',
  'grade-resell',
  'grade-damaged',
  'grade-destroy',
] as const;
export type OrderMovementKind = (typeof ORDER_MOVEMENT_KINDS)[number];

interface OrderKindRule {
  /** Per bucket, the multiplier applied to the (positive) quantity. */
  effect: Partial<Buckets>;
  /** Takes sellable stock: done only when available-to-sell at the location covers it (never oversell). */
  takesAvailable?: boolean;
  /** Physical stock moved (refreshes the level's staleness clock). */
  observation: boolean;
  describe: string;
}

export const ORDER_KIND_RULES: Record<OrderMovementKind, OrderKindRule> = {
  allocate: {
    effect: { reserved: -1, allocated: 1 },
    observation: false,
    describe: 'reserved units committed to a fulfilment order',
  },
  'allocate-available': {
    effect: { allocated: 1 },
    takesAvailable: true,
    observation: false,
    describe: 'available units committed to a fulfilment order (re-sourcing)',
  },
  'release-held': {
    effect: { reserved: -1 },
    observation: false,
    describe: 'reserved units the order was sourced from elsewhere instead',
  },
  deallocate: {
    effect: { allocated: -1 },
    observation: false,
    describe: 'allocated units back to available (cancellation)',
  },
  'ship-allocated': {
    effect: { allocated: -1, onHand: -1 },
    observation: true,
    describe: 'allocated units shipped: out of on hand and allocated',
  },
  'short-pick': {
    effect: { allocated: -1, onHand: -1 },
    observation: true,
    describe: 'allocated units the WMS could not find: written off on hand',
  },
  'return-receive': {
    effect: { onHand: 1, qualityControl: 1 },
    observation: true,
    describe: 'returned units received into quality control (not sellable)',
  },
  'grade-resell': {
    effect: { qualityControl: -1 },
    observation: true,
    describe: 'graded resell: out of quality control, sellable again',
  },
  'grade-damaged': {
    effect: { qualityControl: -1, damaged: 1 },
    observation: true,
    describe: 'graded damaged: from quality control to damaged',
  },
  'grade-destroy': {
    effect: { qualityControl: -1, onHand: -1 },
    observation: true,
    describe: 'graded destroy: written off',
  },
};

export interface OrderStockCommand {
  kind: OrderMovementKind;
  sku: string;
  location: string;
  /** Units, > 0. */
  quantity: number;
  /** The order (or return's order) the movement belongs to; kept in the journal's reservation_id. */
  orderId: string;
  /** The app making it (`process-allocation`, `process-returns`). */
  sourceSystem: string;
  /** Unique per movement: a second apply with the same id changes nothing (retries, redeliveries). */
  sourceEventId: string;
  reason?: string | null;
  correlationId?: string | null;
}

export type OrderStockOutcome = { applied: true; movementId: string } | { applied: false; duplicate: true };

/**
 * The order workflows' stock operations, applied inside the caller's transaction (so the order's own rows
 * and its outbox events commit with them). Idempotent per (source system, source event id).
 */
export class OrderStock {
  /**
   * Applies one movement. `allocate-available` refuses with `insufficient-stock` when the location cannot
   * cover it; any other movement that would leave a bucket negative refuses with `invariant-violation`.
   * Either refusal leaves the caller's transaction usable (savepoint).
   */
  static async apply(sql: PoolClient, cmd: OrderStockCommand): Promise<OrderStockOutcome> {
    const rule = ORDER_KIND_RULES[cmd.kind];
    if (!Number.isSafeInteger(cmd.quantity) || cmd.quantity <= 0 || cmd.quantity > 1_000_000_000)
      throw new LedgerError(
        'invalid-movement',
        `${cmd.kind}: quantity must be an integer from 1 to 1000000000.`,
      );
    const seen = await sql.query(
      `SELECT 1 FROM stock_movements WHERE source_system = $1 AND source_event_id = $2`,
      [cmd.sourceSystem, cmd.sourceEventId],
    );
    if (seen.rowCount) return { applied: false, duplicate: true };
    await ensureLevels(sql, [{ sku: cmd.sku, location: cmd.location }]);
    const deltas: Partial<Buckets> = {};
    for (const [bucket, factor] of Object.entries(rule.effect) as [keyof Buckets, number][])
      deltas[bucket] = factor * cmd.quantity;
    await sql.query('SAVEPOINT order_stock');
    try {
      const moved = await move(
        sql,
        {
          kind: cmd.kind,
          sku: cmd.sku,
          location: cmd.location,
          deltas,
          sourceSystem: cmd.sourceSystem,
          sourceEventId: cmd.sourceEventId,
          reservationId: cmd.orderId,
          reason: cmd.reason ?? rule.describe,
          correlationId: cmd.correlationId ?? null,
          observation: rule.observation,
        },
        rule.takesAvailable ? cmd.quantity : undefined,
      );
      if (!moved) {
        await sql.query('ROLLBACK TO SAVEPOINT order_stock');
        throw new LedgerError(
          'insufficient-stock',
          `${cmd.location} has fewer than ${cmd.quantity} of ${cmd.sku} available.`,
          { sku: cmd.sku, location: cmd.location, requested: cmd.quantity },
        );
      }
      await sql.query('RELEASE SAVEPOINT order_stock');
      return { applied: true, movementId: moved.movement_id };
    } catch (err) {
      if ((err as { code?: string }).code === '23514') {
        await sql.query('ROLLBACK TO SAVEPOINT order_stock');
        throw new LedgerError(
          'invariant-violation',
          `${cmd.kind} of ${cmd.quantity} ${cmd.sku} at ${cmd.location} would leave a bucket negative or hold more than is on hand.`,
        );
      }
      throw err;
    }
  }

  /** Available-to-sell per location for the SKUs, with each location's type and coordinates. */
  static async availability(
    sql: Pick<PoolClient, 'query'>,
    skus: string[],
    locations: string[],
  ): Promise<Map<string, Map<string, number>>> {
    const res = await sql.query<{ sku: string; location: string; available: string }>(
      `SELECT s.sku, s.location,
         greatest(0, ${AVAILABLE_SQL}) AS available
       FROM stock_levels s WHERE s.sku = ANY($1::text[]) AND s.location = ANY($2::text[])`,
      [skus, locations],
    );
    const out = new Map<string, Map<string, number>>();
    for (const r of res.rows) {
      if (!out.has(r.location)) out.set(r.location, new Map());
      out.get(r.location)!.set(r.sku, Number(r.available));
    }
    return out;
  }
}
