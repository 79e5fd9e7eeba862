import type { PoolClient } from 'pg';
import type { Db } from './db';
import { ensureLevels } from './journal';
import { LedgerError } from './ledger.error';
import { openNegativeStock, resolveNegativeStock } from './stock-exceptions';
import { returnDelta, saleDelta, type StoreLevelState, voidDelta } from './store-movements';
import {
  applyStoreStatement,
  flushBatch,
  type LockedStoreLevel,
  lockStoreLevels,
  lockTransactionKeys,
  type OtherRow,
  type StoreEntry,
} from './store-transaction-statements';
import {
  MAX_FUTURE_MS,
  type StoreTransaction,
  type StoreTransactionOutcome,
  transactionHash,
} from './store-transaction';

/** Database transactions of one batch run at once. */
export const STORE_BATCH_CONCURRENCY = 8;

/** Most sales and returns applied together in one database transaction (and one statement). */
export const STORE_CHUNK_SIZE = 50;

/** The fewest sales and returns a chunk takes when the batch has them. */
const MIN_CHUNK = 10;

/** One transaction's outcome, the SKUs whose stock it moved, and whether it wrote anything. */
interface Applied {
  outcome: StoreTransactionOutcome;
  changedSkus: string[];
  stored: boolean;
}

/** A level as locked, and as the transactions leave it (updated delta by delta). */
type Levels = Map<string, { before: StoreLevelState; now: StoreLevelState }>;

const refused = (reason: string): Applied => ({
  outcome: { status: 'refused', reason },
  changedSkus: [],
  stored: false,
});
const reused = (t: StoreTransaction) =>
  refused(`transactionId "${t.transactionId}" was used for another transaction.`);

/**
 * The tills' transactions in the ledger (docs/inventory-model.md#store-transactions): sales, returns and voids
 * of a store, each applied once per (store, transaction id), all of it or nothing, with its original time, in
 * any order and however late. A sale is never refused for want of stock: what the ledger did not have free is
 * counted as oversold, the level shows 0 until counted, and a `negative-stock` exception is opened.
 */
export class StoreTransactions {
  constructor(
    private readonly db: Db,
    private readonly concurrency = STORE_BATCH_CONCURRENCY,
    private readonly chunkSize = STORE_CHUNK_SIZE,
  ) {}

  /**
   * Applies a batch of one store's transactions; one outcome per transaction, in order. New sales and returns
   * go in chunks, each chunk one database transaction and one statement (all of each transaction, or nothing);
   * voids, and transactions whose id comes more than once in the batch, one by one, in the order given; up to
   * `concurrency` database transactions at once. Throws `unknown-location` when `store` is not a location of
   * type store; any other failure (the database unavailable) fails the batch, whose retry answers `duplicate`
   * for what was applied.
   */
  async applyBatch(
    store: string,
    transactions: StoreTransaction[],
    correlationId: string | null = null,
  ): Promise<{ outcomes: StoreTransactionOutcome[]; changedSkus: string[] }> {
    const skus = [...new Set(transactions.flatMap((t) => t.lines.map((l) => l.sku)))];
    const pre = await this.db.query<{ is_store: boolean; known: string[] | null; seen: StoredHash[] | null }>(
      `SELECT EXISTS (SELECT 1 FROM locations WHERE code = $1 AND type = 'store') AS is_store,
         (SELECT array_agg(sku) FROM skus WHERE sku = ANY($2::text[])) AS known,
         (SELECT json_agg(json_build_object('id', transaction_id, 'hash', body_hash)) FROM store_transactions
           WHERE store = $1 AND transaction_id = ANY($3::text[])) AS seen`,
      [store, skus, transactions.map((t) => t.transactionId)],
    );
    if (!pre.rows[0].is_store)
      throw new LedgerError('unknown-location', `Location "${store}" does not exist or is not a store.`);
    const known = new Set(pre.rows[0].known ?? []);
    const seen = new Map((pre.rows[0].seen ?? []).map((s) => [s.id, s.hash]));
    await ensureLevels(
      this.db,
      [...known].map((sku) => ({ sku, location: store })),
    );

    const results: Applied[] = new Array(transactions.length);
    const hashes = transactions.map(transactionHash);
    // One queue per id: repeats of an id, and a void with its transaction, run in the order given.
    const queues = new Map<string, number[]>();
    const now = Date.now();
    transactions.forEach((t, i) => {
      const unknown = [...new Set(t.lines.filter((l) => !known.has(l.sku)).map((l) => l.sku))];
      if (t.occurredAt.getTime() > now + MAX_FUTURE_MS)
        results[i] = refused(
          `occurredAt ${t.occurredAt.toISOString()} is more than 5 minutes ahead of the ledger's clock.`,
        );
      else if (unknown.length > 0)
        results[i] = refused(`unknown SKU ${unknown.map((s) => `"${s}"`).join(', ')}.`);
      // Received before this batch: stored rows never change, so no database transaction is needed to answer.
      else if (seen.has(t.transactionId))
        results[i] = seen.get(t.transactionId) === hashes[i] ? duplicate() : reused(t);
      else {
        const key = t.voidsTransactionId ?? t.transactionId;
        queues.set(key, [...(queues.get(key) ?? []), i]);
      }
    });
    const single = (i: number) =>
      this.db.tx((sql) => this.applyOne(sql, store, transactions[i], hashes[i], correlationId));
    const alone = [...queues.values()].filter((q) => q.length === 1 && transactions[q[0]].type !== 'void');
    const chunked = new Set(alone);
    // Spread over the workers, but never fewer than MIN_CHUNK a chunk: a small batch goes in one, in its order.
    const size = Math.min(this.chunkSize, Math.max(MIN_CHUNK, Math.ceil(alone.length / this.concurrency)));
    const chunks: number[][] = [];
    for (let c = 0; c < alone.length; c += size) chunks.push(alone.slice(c, c + size).map((q) => q[0]));
    const work = [
      ...chunks.map((indexes) => ({ indexes, chunk: true })),
      ...[...queues.values()].filter((q) => !chunked.has(q)).map((indexes) => ({ indexes, chunk: false })),
    ];
    await runLimited(work, this.concurrency, async ({ indexes, chunk }) => {
      const together = chunk
        ? await this.db.tx((sql) => this.applyChunk(sql, store, indexes, transactions, hashes, correlationId))
        : indexes.map(() => null);
      // What a chunk left (a twin or a void of it was stored meanwhile), and the queues, go one by one.
      for (const [k, i] of indexes.entries()) results[i] = together[k] ?? (await single(i));
    });
    const stored = transactions.findLast((_, i) => results[i].stored);
    if (stored) await flushBatch(this.db, store, stored.transactionId);
    return {
      outcomes: results.map((r) => r.outcome),
      changedSkus: [...new Set(results.flatMap((r) => r.changedSkus))],
    };
  }

  /**
   * New sales and returns, together, in one statement. Those that have a row or a void already (stored by a
   * parallel batch since this one began) are left out, null, for the caller to apply one by one.
   */
  private async applyChunk(
    sql: PoolClient,
    store: string,
    indexes: number[],
    transactions: StoreTransaction[],
    hashes: string[],
    correlationId: string | null,
  ): Promise<(Applied | null)[]> {
    const chunk = indexes.map((i) => transactions[i]);
    await lockTransactionKeys(
      sql,
      store,
      chunk.map((t) => t.transactionId),
    );
    const skus = [...new Set(chunk.flatMap((t) => t.lines.map((l) => l.sku)))];
    const state = await lockStoreLevels(
      sql,
      store,
      chunk.map((t) => t.transactionId),
      skus,
    );
    const taken = new Set(state.transactions.flatMap((r) => [r.transaction_id, r.voids_transaction_id]));
    const levels = levelStates(state.levels);
    const entries = chunk.map((t, k) =>
      taken.has(t.transactionId) ? null : applied(t, hashes[indexes[k]], levels),
    );
    const kept = entries.filter((e) => e !== null);
    if (kept.length > 0) {
      const ids = await applyStoreStatement(sql, store, correlationId, kept);
      await settleExceptions(sql, store, levels, kept, ids);
    }
    return entries.map((e) =>
      e === null
        ? null
        : {
            outcome: { status: 'applied' },
            changedSkus: [...new Set(e.deltas.map((d) => d.sku))],
            stored: true,
          },
    );
  }

  /** One transaction (a void, or an id sent more than once), after the rows of its id are locked and read. */
  private async applyOne(
    sql: PoolClient,
    store: string,
    t: StoreTransaction,
    hash: string,
    correlationId: string | null,
  ): Promise<Applied> {
    const target = t.voidsTransactionId;
    await lockTransactionKeys(sql, store, target ? [t.transactionId, target] : [t.transactionId]);
    const skus = [...new Set(t.lines.map((l) => l.sku))];
    const state = await lockStoreLevels(
      sql,
      store,
      target ? [t.transactionId, target] : [t.transactionId],
      skus,
    );
    const own = state.transactions.find((r) => r.transaction_id === t.transactionId);
    if (own) return own.body_hash === hash ? duplicate() : reused(t);
    const voidOf = (id: string) =>
      state.transactions.find((r) => r.type === 'void' && r.voids_transaction_id === id);
    const write = (e: StoreEntry, other?: OtherRow) =>
      applyStoreStatement(sql, store, correlationId, [e], other);

    if (!target) {
      const pendingVoid = voidOf(t.transactionId);
      if (pendingVoid) {
        // Its void came first: kept, never applied; the void has now done its work.
        const { transaction_id: voidId } = pendingVoid;
        await write(entry(t, hash, 'voided', voidId), {
          transactionId: voidId,
          status: 'applied',
          voidedBy: null,
        });
        return { outcome: { status: 'voided' }, changedSkus: [], stored: true };
      }
      const levels = levelStates(state.levels);
      const e = applied(t, hash, levels);
      await settleExceptions(sql, store, levels, [e], await write(e));
      return { outcome: { status: 'applied' }, changedSkus: skus, stored: true };
    }

    const voided = state.transactions.find((r) => r.transaction_id === target);
    if (!voided) {
      const other = await sql.query<{ store: string }>(
        `SELECT store FROM store_transactions WHERE transaction_id = $1 AND store <> $2 LIMIT 1`,
        [target, store],
      );
      if (other.rows[0])
        return refused(`transaction "${target}" is not this store's (it is ${other.rows[0].store}'s).`);
      const rival = voidOf(target);
      if (rival) return refused(`transaction "${target}" already has a void, "${rival.transaction_id}".`);
      // Not seen yet: the void waits for it; when it arrives it is kept but not applied.
      await write(entry(t, hash, 'pending', null));
      return { outcome: { status: 'applied' }, changedSkus: [], stored: true };
    }
    if (voided.type === 'void') return refused(`transaction "${target}" is a void; a void cannot be voided.`);
    if (voided.voided_by !== null)
      return refused(`transaction "${target}" was already voided by "${voided.voided_by}".`);

    // Undo what it did, line by line, from its journal entries.
    const original = await sql.query<{ sku: string; d_on_hand: string; d_oversold: string }>(
      `SELECT sku, d_on_hand, d_oversold FROM stock_movements WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [voided.movement_ids],
    );
    const voidedSkus = [...new Set(original.rows.map((r) => r.sku))];
    const levels = levelStates((await lockStoreLevels(sql, store, [], voidedSkus)).levels);
    const e: StoreEntry = {
      ...entry(t, hash, 'applied', null),
      kind: 'store-void',
      deltas: original.rows.map((r) => ({
        sku: r.sku,
        ...voidDelta(levels.get(r.sku)!.now, { onHand: Number(r.d_on_hand), oversold: Number(r.d_oversold) }),
      })),
    };
    const ids = await write(e, { transactionId: target, status: 'voided', voidedBy: t.transactionId });
    await settleExceptions(sql, store, levels, [e], ids);
    return { outcome: { status: 'applied' }, changedSkus: voidedSkus, stored: true };
  }
}

interface StoredHash {
  id: string;
  hash: string;
}

function duplicate(): Applied {
  return { outcome: { status: 'duplicate' }, changedSkus: [], stored: false };
}

/** A transaction's row without movements. */
function entry(
  t: StoreTransaction,
  hash: string,
  status: StoreEntry['status'],
  voidedBy: string | null,
): StoreEntry {
  return { transaction: t, hash, status, voidedBy, kind: null, deltas: [] };
}

/** A sale or a return applied to the locked levels: its deltas, line by line. */
function applied(t: StoreTransaction, hash: string, levels: Levels): StoreEntry {
  const delta = t.type === 'sale' ? saleDelta : returnDelta;
  return {
    ...entry(t, hash, 'applied', null),
    kind: t.type === 'sale' ? 'store-sale' : 'store-return',
    deltas: t.lines.map((l) => ({ sku: l.sku, ...delta(levels.get(l.sku)!.now, l.quantity) })),
  };
}

/**
 * Opens a level's `negative-stock` exception when the transactions took its oversold from 0 to more (naming
 * the first movement that oversold), and resolves it when a void took it back to 0.
 */
async function settleExceptions(
  sql: PoolClient,
  store: string,
  levels: Levels,
  entries: StoreEntry[],
  movementIds: string[][],
): Promise<void> {
  const lines = entries.flatMap((e, k) => e.deltas.map((d, i) => ({ e, d, id: movementIds[k][i] })));
  for (const [sku, { before, now }] of levels) {
    if (before.oversold === 0 && now.oversold > 0) {
      const first = lines.find((l) => l.d.sku === sku && l.d.oversold > 0)!;
      const t = first.e.transaction;
      await openNegativeStock(sql, {
        sku,
        location: store,
        reference: `${store}/${t.transactionId}`,
        details: {
          transactionId: t.transactionId,
          type: t.type,
          oversold: now.oversold,
          movementId: first.id,
        },
      });
    } else if (before.oversold > 0 && now.oversold === 0) {
      const last = lines.filter((l) => l.d.sku === sku).pop()!;
      await resolveNegativeStock(sql, sku, store, 'void', last.id);
    }
  }
}

function levelStates(rows: LockedStoreLevel[]): Levels {
  return new Map(
    rows.map((r) => {
      const state: StoreLevelState = {
        onHand: Number(r.on_hand),
        reserved: Number(r.reserved),
        allocated: Number(r.allocated),
        damaged: Number(r.damaged),
        qualityControl: Number(r.quality_control),
        oversold: Number(r.oversold),
      };
      return [r.sku, { before: { ...state }, now: state }];
    }),
  );
}

/** Runs `work` over the items, at most `limit` at a time; waits for all, then throws the first failure. */
async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++];
      try {
        await work(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw (failure as { err: unknown }).err;
}
