import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation exceptions follow their drift (issue 9): one open exception per SKU, location and kind,
 * updated by each run that still finds the drift and closed by the first run that no longer does; runs with a
 * snapshot missing end `partial`. Duplicates opened by earlier runs are resolved here, keeping one per key
 * (an assigned one first, else the latest).
 */
export class ReconciliationExceptionLifecycle1764620000000 implements MigrationInterface {
  name = 'ReconciliationExceptionLifecycle1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE reconciliation_runs DROP CONSTRAINT reconciliation_runs_status_check,
        ADD CONSTRAINT reconciliation_runs_status_check
          CHECK (status IN ('running', 'succeeded', 'partial', 'failed'));

      -- The run that last found the drift, and when: the exception's variance and exposure are that run's.
      ALTER TABLE reconciliation_exceptions
        ADD COLUMN last_run_id uuid REFERENCES reconciliation_runs(id),
        ADD COLUMN last_seen_at timestamptz;
      UPDATE reconciliation_exceptions SET last_run_id = run_id, last_seen_at = opened_at;
      ALTER TABLE reconciliation_exceptions
        ALTER COLUMN last_run_id SET NOT NULL,
        ALTER COLUMN last_seen_at SET NOT NULL,
        ALTER COLUMN last_seen_at SET DEFAULT clock_timestamp();

      WITH ranked AS (
        SELECT id,
               row_number() OVER w AS n,
               first_value(id) OVER w AS kept
          FROM reconciliation_exceptions
         WHERE status <> 'resolved'
        WINDOW w AS (PARTITION BY sku, location, kind ORDER BY (status = 'assigned') DESC, opened_at DESC, id)
      )
      UPDATE reconciliation_exceptions e
         SET status = 'resolved', resolved_by = 'system', resolved_at = clock_timestamp(),
             note = 'Duplicate of exception ' || r.kept || ': one open exception per SKU, location and kind.'
        FROM ranked r
       WHERE e.id = r.id AND r.n > 1;

      CREATE UNIQUE INDEX reconciliation_exceptions_one_open_idx
        ON reconciliation_exceptions (sku, location, kind) WHERE status <> 'resolved';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX reconciliation_exceptions_one_open_idx;
      ALTER TABLE reconciliation_exceptions DROP COLUMN last_seen_at, DROP COLUMN last_run_id;
      UPDATE reconciliation_runs SET status = 'succeeded' WHERE status = 'partial';
      ALTER TABLE reconciliation_runs DROP CONSTRAINT reconciliation_runs_status_check,
        ADD CONSTRAINT reconciliation_runs_status_check CHECK (status IN ('running', 'succeeded', 'failed'));
    `);
  }
}
