import type { PoolClient } from 'pg';
import { prepared, type Sql } from './db';
import type { StoreMovementKind } from './movement-kinds';
import type { StoreDelta } from './store-movements';
import type { StoreTransaction } from './store-transaction';

/** A row of `store_transactions` as the store transaction operation reads it. */
export interface StoredTransaction {
  transaction_id: string;
  type: 'sale' | 'return' | 'void';
  body_hash: string;
  status: 'applied' | 'voided' | 'pending';
  voids_transaction_id: string | null;
  voided_by: string | null;
  movement_ids: number[];
}

/** A store's level, locked, with the buckets a till transaction reads. */
export interface LockedStoreLevel {
  sku: string;
  on_hand: number;
  reserved: number;
  allocated: number;
  damaged: number;
  quality_control: number;
  oversold: number;
}

/** The advisory lock space of store transaction ids (a seed of hashtextextended, apart from other locks). */
const STORE_TRANSACTION_LOCK_SEED = 7_246_010;

/**
 * Begins the database transaction of one or more store transactions. Its commit does not wait for the WAL to
 * reach the disk (flushBatch makes the batch durable before it is answered: one flush instead of one per
 * transaction). And everything that concerns one (store, transaction id) is serialised for the rest of the
 * database transaction: twins sent in parallel, a void racing the transaction it voids (there may be no row
 * to lock yet). The keys are taken in one order (sorted here, locked in array order), before any row lock, so
 * that no two transactions wait on each other.
 */
export async function lockTransactionKeys(sql: PoolClient, store: string, ids: string[]): Promise<void> {
  const keys = [...new Set(ids)].sort().map((id) => `${store}/${id}`);
  await sql.query(
    prepared(
      `SELECT set_config('synchronous_commit', 'off', true),
         (SELECT count(pg_advisory_xact_lock(hashtextextended(k, $2))) FROM unnest($1::text[]) AS k) AS locked`,
      [keys, STORE_TRANSACTION_LOCK_SEED],
    ),
  );
}

/**
 * After lockTransactionKeys, in a statement of its own (so that it sees what committed while it waited): the
 * stored rows of the transactions `ids` and the voids of any of them; and the store's levels of `skus`,
 * row-locked in (SKU) order like every other lock on levels.
 */
export async function lockStoreLevels(
  sql: PoolClient,
  store: string,
  ids: string[],
  skus: string[],
): Promise<{ transactions: StoredTransaction[]; levels: LockedStoreLevel[] }> {
  const res = await sql.query<{ transactions: StoredTransaction[]; levels: LockedStoreLevel[] }>(
    prepared(
      `WITH t AS (
         SELECT transaction_id, type, body_hash, status, voids_transaction_id, voided_by, movement_ids
         FROM store_transactions
         WHERE store = $1 AND (transaction_id = ANY($2::text[])
           OR (type = 'void' AND voids_transaction_id = ANY($2::text[])))
       ), l AS (
         SELECT sku, on_hand, reserved, allocated, damaged, quality_control, oversold FROM stock_levels
         WHERE location = $1 AND sku = ANY($3::text[]) ORDER BY sku COLLATE "C" FOR UPDATE
       )
       SELECT (SELECT coalesce(json_agg(t), '[]') FROM t) AS transactions,
         (SELECT coalesce(json_agg(l), '[]') FROM l) AS levels`,
      [store, ids, skus],
    ),
  );
  const { transactions, levels } = res.rows[0];
  if (levels.length !== skus.length) throw new Error(`Levels of ${store} missing for ${skus.join(', ')}`);
  return { transactions, levels };
}

/** A store transaction to store, with the movements it makes (one per delta, in order). */
export interface StoreEntry {
  transaction: StoreTransaction;
  hash: string;
  /** What the transaction's own row says. */
  status: StoredTransaction['status'];
  voidedBy: string | null;
  kind: StoreMovementKind | null;
  deltas: ({ sku: string } & StoreDelta)[];
}

/** Another transaction's row to update: the one a void voids, or the pending void of one that arrives. */
export interface OtherRow {
  transactionId: string;
  status: 'applied' | 'voided';
  voidedBy: string | null;
}

/**
 * One statement for one or many store transactions: each level changes once, by the sum of its lines; a
 * movement is journaled per delta with the level version it produced (as if the lines were applied one after
 * the other, in order); each transaction's row is written with its movements' ids — so none of it happens
 * without the rest. The levels must be locked, and the deltas computed from them, in this database
 * transaction. Returns the movement ids of each entry, in the order of its deltas.
 */
export async function applyStoreStatement(
  sql: PoolClient,
  store: string,
  correlationId: string | null,
  entries: StoreEntry[],
  other?: OtherRow,
): Promise<string[][]> {
  const lines = entries.flatMap((e, txn) =>
    e.deltas.map((d, i) => ({
      ...d,
      eventId: `${store}/${e.transaction.transactionId}/${i + 1}`,
      kind: e.kind,
      reason: e.transaction.voidsTransactionId ? `void of ${e.transaction.voidsTransactionId}` : null,
      txn: txn + 1,
      occurredAt: e.transaction.occurredAt.toISOString(),
    })),
  );
  const res = await sql.query<{ transaction_id: string; movement_ids: string[] }>(
    prepared(
      `WITH l AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[],
           $7::int[], $8::timestamptz[])
           WITH ORDINALITY AS l(sku, d_on_hand, d_oversold, event_id, kind, reason, txn, occurred_at, ord)
       ), agg AS (
         SELECT sku, sum(d_on_hand) AS d_on_hand, sum(d_oversold) AS d_oversold, count(*) AS n FROM l GROUP BY sku
       ), upd AS (
         UPDATE stock_levels s SET on_hand = s.on_hand + agg.d_on_hand, oversold = s.oversold + agg.d_oversold,
           version = s.version + agg.n, updated_at = now(), synced_at = now()
         FROM agg WHERE s.sku = agg.sku AND s.location = $9
         RETURNING s.sku, s.version, agg.n
       ), mv AS (
         INSERT INTO stock_movements (movement_type, sku, location, d_on_hand, d_oversold, level_version,
           source_system, source_event_id, reason, correlation_id, occurred_at)
         SELECT l.kind, l.sku, $9, l.d_on_hand, l.d_oversold,
           upd.version - upd.n + row_number() OVER (PARTITION BY l.sku ORDER BY l.ord),
           'pos', l.event_id, l.reason, $10, l.occurred_at
         FROM l JOIN upd ON upd.sku = l.sku ORDER BY l.ord
         RETURNING id, source_event_id
       ), t AS (
         SELECT * FROM unnest($11::text[], $12::text[], $13::timestamptz[], $14::text[], $15::text[], $16::text[],
           $17::text[], $18::text[])
           WITH ORDINALITY AS t(transaction_id, type, occurred_at, lines, voids, hash, status, voided_by, ord)
       ), txn AS (
         INSERT INTO store_transactions (store, transaction_id, type, occurred_at, lines, voids_transaction_id,
           body_hash, status, movement_ids, voided_by, correlation_id)
         SELECT $9, t.transaction_id, t.type, t.occurred_at, t.lines::jsonb, t.voids, t.hash, t.status,
           coalesce((SELECT array_agg(mv.id ORDER BY mv.id) FROM l JOIN mv ON mv.source_event_id = l.event_id
                     WHERE l.txn = t.ord), '{}'),
           t.voided_by, $10
         FROM t
         RETURNING transaction_id, movement_ids
       ), other AS (
         UPDATE store_transactions SET status = $20::text, voided_by = $21::text, updated_at = now()
         WHERE store = $9 AND transaction_id = $19::text
       )
       SELECT transaction_id, movement_ids::text[] AS movement_ids FROM txn`,
      [
        lines.map((l) => l.sku),
        lines.map((l) => l.onHand),
        lines.map((l) => l.oversold),
        lines.map((l) => l.eventId),
        lines.map((l) => l.kind),
        lines.map((l) => l.reason),
        lines.map((l) => l.txn),
        lines.map((l) => l.occurredAt),
        store,
        correlationId,
        entries.map((e) => e.transaction.transactionId),
        entries.map((e) => e.transaction.type),
        entries.map((e) => e.transaction.occurredAt.toISOString()),
        entries.map((e) =>
          JSON.stringify(e.transaction.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }))),
        ),
        entries.map((e) => e.transaction.voidsTransactionId),
        entries.map((e) => e.hash),
        entries.map((e) => e.status),
        entries.map((e) => e.voidedBy),
        other?.transactionId ?? null,
        other?.status ?? null,
        other?.voidedBy ?? null,
      ],
    ),
  );
  const byId = new Map(res.rows.map((r) => [r.transaction_id, r.movement_ids]));
  return entries.map((e) => byId.get(e.transaction.transactionId) ?? []);
}

/**
 * Makes everything a batch committed durable before it is answered: a write committed synchronously flushes
 * the WAL up to its commit, and with it every commit before it — the batch's transactions, committed without
 * waiting for the disk. The write touches a row the batch stored (its `updated_at`). A crash before this
 * loses only transactions of a batch not answered yet, which the till sends again; whatever another session
 * did with them and committed flushed them first (the WAL is flushed in order).
 */
export async function flushBatch(sql: Sql, store: string, transactionId: string): Promise<void> {
  await sql.query(
    `UPDATE store_transactions SET updated_at = now() WHERE store = $1 AND transaction_id = $2`,
    [store, transactionId],
  );
}
