import { Injectable } from '@nestjs/common';
import { Db } from '@stockbridge/ledger';
import type { ExceptionKind, VarianceException, VarianceLine } from './variance';

/** What a run did to the exceptions: opened for new drift, updated where still drifting, closed where gone. */
export interface ExceptionChanges {
  opened: number;
  updated: number;
  closed: number;
}

const BATCH = 1000;

/**
 * The reconciliation tables: runs, their variance lines, and the exceptions, one open exception per SKU,
 * location and kind (a partial unique index): a run updates the open one while the drift lasts and closes it
 * (resolved by `system`, with the reason in its note) when it finds the drift gone.
 */
@Injectable()
export class ReconciliationRepository {
  constructor(private readonly db: Db) {}

  /** Records the run as running. A retried job's run starts over: the lines it stored before are dropped. */
  async start(runId: string, trigger: string, requestedBy: string | null): Promise<void> {
    const started = await this.db.query(
      `INSERT INTO reconciliation_runs (id, trigger, requested_by, status) VALUES ($1, $2, $3, 'running') ON CONFLICT (id) DO NOTHING`,
      [runId, trigger, requestedBy],
    );
    if (started.rowCount === 0) {
      await this.db.query(`DELETE FROM reconciliation_lines WHERE run_id = $1`, [runId]);
      await this.db.query(`UPDATE reconciliation_runs SET status = 'running', error = NULL WHERE id = $1`, [
        runId,
      ]);
    }
  }

  async finish(runId: string, status: 'succeeded' | 'partial', summary: object): Promise<void> {
    await this.db.query(
      `UPDATE reconciliation_runs SET status = $2, finished_at = clock_timestamp(), summary = $3 WHERE id = $1`,
      [runId, status, JSON.stringify(summary)],
    );
  }

  async fail(runId: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE reconciliation_runs SET status = 'failed', finished_at = clock_timestamp(), error = $2 WHERE id = $1`,
      [runId, error.slice(0, 2000)],
    );
  }

  /**
   * Stores the run's lines and brings the exceptions in line with them, in one transaction: each exception
   * found is opened, or updates the open one of its SKU, location and kind; an open exception of a kind the
   * run compared (`compared`: its source answered) that the run did not find is closed.
   */
  async store(
    runId: string,
    lines: VarianceLine[],
    corrected: Map<VarianceLine, number>,
    exceptions: VarianceException[],
    compared: ExceptionKind[],
    thresholdUnits: number,
  ): Promise<ExceptionChanges> {
    return this.db.tx(async (sql) => {
      for (let i = 0; i < lines.length; i += BATCH) {
        const b = lines.slice(i, i + BATCH);
        await sql.query(
          `INSERT INTO reconciliation_lines (run_id, sku, location, ledger_on_hand, erp_on_hand, wms_on_hand, erp_variance, wms_variance,
             unit_price_cents, exposure_cents, channels_sent, channels_expected, correction)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
             $9::bigint[], $10::bigint[], $11::jsonb[], $12::jsonb[], $13::bigint[])`,
          [
            runId,
            b.map((l) => l.sku),
            b.map((l) => l.location),
            b.map((l) => l.ledgerOnHand),
            b.map((l) => l.erpOnHand),
            b.map((l) => l.wmsOnHand),
            b.map((l) => l.erpVariance),
            b.map((l) => l.wmsVariance),
            b.map((l) => l.unitPriceCents),
            b.map((l) => l.exposureCents),
            b.map((l) => JSON.stringify(l.channelsSent)),
            b.map((l) => JSON.stringify(l.channelsExpected)),
            b.map((l) => corrected.get(l) ?? null),
          ],
        );
      }
      let opened = 0;
      let updated = 0;
      for (let i = 0; i < exceptions.length; i += BATCH) {
        const b = exceptions.slice(i, i + BATCH);
        const res = await sql.query<{ opened: boolean }>(
          `INSERT INTO reconciliation_exceptions (id, run_id, last_run_id, sku, location, kind, variance, exposure_cents)
           SELECT gen_random_uuid(), $1, $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
           ON CONFLICT (sku, location, kind) WHERE status <> 'resolved' DO UPDATE
             SET variance = EXCLUDED.variance, exposure_cents = EXCLUDED.exposure_cents,
                 last_run_id = EXCLUDED.last_run_id, last_seen_at = clock_timestamp()
           RETURNING (xmax = 0) AS opened`,
          [
            runId,
            b.map((e) => e.sku),
            b.map((e) => e.location),
            b.map((e) => e.kind),
            b.map((e) => e.variance),
            b.map((e) => e.exposureCents),
          ],
        );
        const inserted = res.rows.filter((r) => r.opened).length;
        opened += inserted;
        updated += res.rows.length - inserted;
      }
      // A line whose variance of that kind is null was not compared (the side does not report the location).
      const closed = await sql.query(
        `UPDATE reconciliation_exceptions e
            SET status = 'resolved', resolved_by = 'system', resolved_at = clock_timestamp(),
                note = 'Closed by reconciliation run ' || $1 || ': ' || CASE e.kind
                  WHEN 'erp-variance' THEN 'the ERP and the ledger agree within ' || $6 || ' units'
                  WHEN 'wms-variance' THEN 'the WMS and the ledger agree within ' || $6 || ' units'
                  ELSE 'every channel shows what the ledger gives' END || '.'
          WHERE e.status <> 'resolved' AND e.kind = ANY($2::text[])
            AND NOT EXISTS (
              SELECT 1 FROM unnest($3::text[], $4::text[], $5::text[]) AS f(sku, location, kind)
               WHERE f.sku = e.sku AND f.location = e.location AND f.kind = e.kind)
            AND NOT EXISTS (
              SELECT 1 FROM reconciliation_lines l
               WHERE l.run_id = $1 AND l.sku = e.sku AND l.location = e.location
                 AND ((e.kind = 'erp-variance' AND l.erp_variance IS NULL)
                   OR (e.kind = 'wms-variance' AND l.wms_variance IS NULL)))`,
        [
          runId,
          compared,
          exceptions.map((e) => e.sku),
          exceptions.map((e) => e.location),
          exceptions.map((e) => e.kind),
          String(thresholdUnits),
        ],
      );
      return { opened, updated, closed: closed.rowCount ?? 0 };
    });
  }

  /**
   * Deletes the variance lines of runs started more than `days` ago, one run at a time (a run of 100k SKUs has
   * 100k lines); the runs themselves, their summaries and the exceptions stay. Returns the lines deleted.
   */
  async purgeLines(days: number): Promise<number> {
    const runs = await this.db.query<{ id: string }>(
      `SELECT id FROM reconciliation_runs r
        WHERE started_at < clock_timestamp() - make_interval(days => $1)
          AND EXISTS (SELECT 1 FROM reconciliation_lines l WHERE l.run_id = r.id)
        ORDER BY started_at`,
      [days],
    );
    let deleted = 0;
    for (const { id } of runs.rows) {
      const res = await this.db.query(`DELETE FROM reconciliation_lines WHERE run_id = $1`, [id]);
      deleted += res.rowCount ?? 0;
    }
    return deleted;
  }

  /** The sources the latest finished run could not read (none when it had them all, or no run finished). */
  async latestMissingSources(): Promise<string[]> {
    const res = await this.db.query<{ missing: { source: string }[] | null }>(
      `SELECT summary->'missing' AS missing FROM reconciliation_runs
        WHERE status IN ('succeeded', 'partial') ORDER BY finished_at DESC LIMIT 1`,
    );
    return (res.rows[0]?.missing ?? []).map((m) => m.source);
  }
}
