import { LedgerError, type OrderMovementKind, OrderStock } from '@stockbridge/ledger';
import { PermanentError } from '@stockbridge/messaging';
import type { PoolClient } from 'pg';
import { ALLOCATION_SOURCE, type OrderContext } from './order';

/** One journaled stock movement of an order, in the caller's transaction. */
export interface OrderMovement {
  kind: OrderMovementKind;
  sku: string;
  location: string;
  quantity: number;
  /** Unique per movement and stable across retries: the ledger applies it once. */
  sourceEventId: string;
}

/**
 * Applies an order's stock movement. A movement that breaks a bucket invariant means the ledger and this
 * order disagree: no retry fixes that, so the job goes to the dead letters with the reason for someone to
 * look at.
 */
export async function moveOrderStock(sql: PoolClient, m: OrderMovement, ctx: OrderContext): Promise<void> {
  try {
    await OrderStock.apply(sql, {
      ...m,
      orderId: ctx.orderId,
      sourceSystem: ALLOCATION_SOURCE,
      correlationId: ctx.correlationId,
    });
  } catch (err) {
    if (err instanceof LedgerError && err.code === 'invariant-violation')
      throw new PermanentError('validation', `Order ${ctx.orderId}: ${err.message}`);
    throw err;
  }
}
