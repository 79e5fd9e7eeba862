// A store's till transaction as the ledger takes it, and what became of it; StoreTransactions
// (store-transactions.ts) applies them.
import { createHash } from 'node:crypto';
import { canonicalJson } from './reservation-records';

export const STORE_TRANSACTION_TYPES = ['sale', 'return', 'void'] as const;
export type StoreTransactionType = (typeof STORE_TRANSACTION_TYPES)[number];

/** One transaction of a store's tills, validated (the process API checks its shape). */
export interface StoreTransaction {
  /** The store's own id for it: one transaction per (store, id), whatever the number of times it is sent. */
  transactionId: string;
  type: StoreTransactionType;
  /** When it happened at the till; the journal keeps it. */
  occurredAt: Date;
  /** Sale and return: what was sold or returned. A void has none. */
  lines: { sku: string; quantity: number }[];
  /** Void: the transaction of the same store it cancels. */
  voidsTransactionId: string | null;
}

/**
 * `applied`: its stock changes are in the ledger (a void: it undid its transaction, or will when that arrives);
 * `duplicate`: the same transaction was received before, nothing changed; `voided`: received after its void,
 * kept but not applied; `refused`: not applied, `reason` says why (a retry may succeed once that is fixed).
 */
export type StoreTransactionStatus = 'applied' | 'duplicate' | 'voided' | 'refused';

export interface StoreTransactionOutcome {
  status: StoreTransactionStatus;
  reason?: string;
}

/** How far a transaction's time may lie ahead of the ledger's clock (a till's clock may run a little fast). */
export const MAX_FUTURE_MS = 5 * 60_000;

/** What identifies a transaction's content: the same id with another content is another transaction. */
export function transactionHash(t: StoreTransaction): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        type: t.type,
        occurredAt: t.occurredAt.toISOString(),
        lines: t.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        voidsTransactionId: t.voidsTransactionId,
      }),
    )
    .digest('hex');
}
