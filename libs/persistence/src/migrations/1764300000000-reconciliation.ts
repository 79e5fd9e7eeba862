import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reconciliation runs, their variance lines and the exceptions they open (docs/workflows.md#reconciliation). */
export class Reconciliation1764300000000 implements MigrationInterface {
  name = 'Reconciliation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- What a reconciliation run does with a location's variance: correct the ledger to one source, or only report.
      ALTER TABLE locations ADD COLUMN reconciliation_policy text NOT NULL DEFAULT 'report-only'
        CHECK (reconciliation_policy IN ('trust-wms', 'trust-erp', 'report-only'));

      CREATE TABLE reconciliation_runs (
        id           uuid PRIMARY KEY,
        trigger      text NOT NULL CHECK (trigger IN ('schedule', 'on-demand')),
        requested_by text,
        status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at  timestamptz,
        summary      jsonb NOT NULL DEFAULT '{}'::jsonb,
        error        text
      );
      CREATE INDEX reconciliation_runs_started_idx ON reconciliation_runs (started_at DESC);

      -- One line per SKU and location seen by any side; null where a side has no figure.
      CREATE TABLE reconciliation_lines (
        run_id          uuid NOT NULL REFERENCES reconciliation_runs(id) ON DELETE CASCADE,
        sku             text NOT NULL,
        location        text NOT NULL,
        ledger_on_hand  bigint,
        erp_on_hand     bigint,
        wms_on_hand     bigint,
        erp_variance    bigint,
        wms_variance    bigint,
        unit_price_cents bigint NOT NULL DEFAULT 0,
        exposure_cents  bigint NOT NULL DEFAULT 0,
        channels_sent   jsonb NOT NULL DEFAULT '{}'::jsonb,
        channels_expected jsonb NOT NULL DEFAULT '{}'::jsonb,
        correction      bigint,
        PRIMARY KEY (run_id, sku, location)
      );

      CREATE TABLE reconciliation_exceptions (
        id              uuid PRIMARY KEY,
        run_id          uuid NOT NULL REFERENCES reconciliation_runs(id),
        sku             text NOT NULL,
        location        text NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('erp-variance', 'wms-variance', 'channel-drift')),
        variance        bigint NOT NULL,
        exposure_cents  bigint NOT NULL,
        status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'assigned', 'resolved')),
        assignee        text,
        note            text,
        resolved_by     text,
        opened_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        resolved_at     timestamptz
      );
      CREATE INDEX reconciliation_exceptions_open_idx ON reconciliation_exceptions (exposure_cents DESC) WHERE status <> 'resolved';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE reconciliation_exceptions, reconciliation_lines, reconciliation_runs;
      ALTER TABLE locations DROP COLUMN reconciliation_policy;
    `);
  }
}
