import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stores in the ledger (issue 10): the `oversold` bucket (units a store's tills sold beyond what the ledger had
 * free there, until counted) on the levels and in the journal; the store transactions of the tills, kept once
 * per (store, transaction id); the `collected` status of a click-and-collect reservation; and the stock
 * exceptions operators work through (one open `negative-stock` exception per SKU and location).
 */
export class StoreTransactions1764710000000 implements MigrationInterface {
  name = 'StoreTransactions1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE stock_levels ADD COLUMN oversold bigint NOT NULL DEFAULT 0
        CONSTRAINT stock_levels_oversold_non_negative CHECK (oversold >= 0);
      ALTER TABLE stock_movements ADD COLUMN d_oversold bigint NOT NULL DEFAULT 0;

      ALTER TABLE reservations DROP CONSTRAINT reservations_status_check,
        ADD CONSTRAINT reservations_status_check
          CHECK (status IN ('active', 'confirmed', 'released', 'expired', 'collected'));

      -- One row per transaction of a store's tills: a repeat of (store, transaction_id) is a duplicate, never
      -- applied twice. A void waiting for the transaction it voids is 'pending'; a sale or return that a void
      -- cancelled (before or after it was applied) is 'voided', with the void's id in voided_by.
      CREATE TABLE store_transactions (
        store                 text NOT NULL REFERENCES locations(code),
        transaction_id        text NOT NULL CHECK (length(transaction_id) BETWEEN 1 AND 128),
        type                  text NOT NULL CHECK (type IN ('sale', 'return', 'void')),
        occurred_at           timestamptz NOT NULL,
        lines                 jsonb NOT NULL DEFAULT '[]',
        voids_transaction_id  text,
        body_hash             text NOT NULL,
        status                text NOT NULL CHECK (status IN ('applied', 'voided', 'pending')),
        movement_ids          bigint[] NOT NULL DEFAULT '{}',
        voided_by             text,
        correlation_id        text,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store, transaction_id),
        CONSTRAINT store_transactions_void_target CHECK ((type = 'void') = (voids_transaction_id IS NOT NULL))
      );
      -- At most one void per transaction.
      CREATE UNIQUE INDEX store_transactions_one_void_idx
        ON store_transactions (store, voids_transaction_id) WHERE type = 'void';
      -- A void naming another store's transaction is refused: found by id alone.
      CREATE INDEX store_transactions_id_idx ON store_transactions (transaction_id);

      CREATE TABLE stock_exceptions (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind         text NOT NULL CHECK (kind ~ '^[a-z0-9-]{1,64}$'),
        sku          text NOT NULL,
        location     text,
        reference    text,
        details      jsonb NOT NULL DEFAULT '{}',
        status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        opened_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        resolved_at  timestamptz,
        resolved_by  text,
        resolution   text,
        note         text,
        CONSTRAINT stock_exceptions_resolved CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX stock_exceptions_one_open_negative_idx
        ON stock_exceptions (sku, location) WHERE kind = 'negative-stock' AND status = 'open';
      CREATE INDEX stock_exceptions_opened_idx ON stock_exceptions (opened_at DESC, id DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE stock_exceptions, store_transactions;
      -- Without the status, a collected reservation reads as released (its stock has left either way).
      UPDATE reservations SET status = 'released' WHERE status = 'collected';
      ALTER TABLE reservations DROP CONSTRAINT reservations_status_check,
        ADD CONSTRAINT reservations_status_check CHECK (status IN ('active', 'confirmed', 'released', 'expired'));
      ALTER TABLE stock_movements DROP COLUMN d_oversold;
      ALTER TABLE stock_levels DROP COLUMN oversold;
    `);
  }
}
