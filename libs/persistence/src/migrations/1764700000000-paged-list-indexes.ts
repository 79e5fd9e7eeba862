import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every list of the APIs is paged by keyset (docs/openapi.md, "Lists"): each page reads its sort key after the
 * cursor's, which is one index range scan when an index has that order, and a sort of the whole table otherwise.
 * These are the indexes in each list's order (the mapping lists and the audit log read theirs by primary key).
 * `stock_levels` gets none for the levels of one location: every stock change updates its row without a HOT
 * update (docs/benchmarks.md), so each index there is paid by every reservation; the diagnostic list of one
 * location's levels scans instead.
 */
export class PagedListIndexes1764700000000 implements MigrationInterface {
  name = 'PagedListIndexes1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX orders_created_idx ON orders (created_at DESC, id DESC);
      CREATE INDEX orders_state_created_idx ON orders (state, created_at DESC, id DESC);
      CREATE INDEX rmas_created_idx ON rmas (created_at DESC, id DESC);
      DROP INDEX reconciliation_runs_started_idx;
      CREATE INDEX reconciliation_runs_started_idx ON reconciliation_runs (started_at DESC, id DESC);
      CREATE INDEX reconciliation_exceptions_ranked_idx
        ON reconciliation_exceptions (exposure_cents DESC, opened_at, id);
      CREATE INDEX dead_letters_failed_idx ON dead_letters (failed_at, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX dead_letters_failed_idx;
      DROP INDEX reconciliation_exceptions_ranked_idx;
      DROP INDEX reconciliation_runs_started_idx;
      CREATE INDEX reconciliation_runs_started_idx ON reconciliation_runs (started_at DESC);
      DROP INDEX rmas_created_idx;
      DROP INDEX orders_state_created_idx;
      DROP INDEX orders_created_idx;
    `);
  }
}
