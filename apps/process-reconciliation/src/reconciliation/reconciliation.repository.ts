import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page, pageOf } from '@stockbridge/app-platform';
import { Db } from '@stockbridge/ledger';
import type { ExceptionView, RunDetailView, RunView } from './reconciliation.dto';
import {
  type ExceptionRow,
  exceptionView,
  type LineRow,
  lineView,
  type RunRow,
  runView,
} from './reconciliation.mapper';
import type { ExceptionKind, VarianceException, VarianceLine } from './variance';

/** What a run did to the exceptions: opened for new drift, updated where still drifting, closed where gone. */
export interface ExceptionChanges {
  opened: number;
  updated: number;
  closed: number;
}

/** Which exceptions a list shows: `open` is every unresolved one (open and assigned). */
export type ExceptionFilter = 'open' | 'assigned' | 'resolved' | 'all';

const BATCH = 1000;

/** The lists' names in their cursors (a cursor of one list is refused by the other). */
const RUNS = 'reconciliation-runs';
const EXCEPTIONS = 'reconciliation-exceptions';

/**
 * The reconciliation tables: runs, their variance lines, and the exceptions, one open exception per SKU,
 * location and kind (a partial unique index): a run updates the open one while the drift lasts and closes it
 * (resolved by `system`, with the reason in its note) when it finds the drift gone. Also what the API reads
 * (runs and exceptions, paged by keyset) and the people's changes to an exception (assigned, resolved).
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

  /** A page of runs, newest first: keyset (started_at DESC, id DESC); the cursor holds started_at as text. */
  async listRuns(limit: number, cursor?: string): Promise<Page<RunView>> {
    const key = decodeCursor(RUNS, cursor, ['timestamp', 'uuid']);
    const { rows } = await this.db.query<RunRow & { sort_at: string }>(
      `SELECT *, started_at::text AS sort_at FROM reconciliation_runs
          ${key ? `WHERE (started_at, id) < ($2::timestamptz, $3::uuid)` : ''}
          ORDER BY started_at DESC, id DESC LIMIT $1`,
      [limit + 1, ...(key ?? [])],
    );
    return pageOf(RUNS, rows, limit, (r) => [r.sort_at, r.id], runView);
  }

  /** The run with its lines: those with a variance, a correction or channel drift, or `all` of them. Null: no such run. */
  async runDetail(id: string, all: boolean): Promise<RunDetailView | null> {
    const run = await this.db.query<RunRow>(`SELECT * FROM reconciliation_runs WHERE id = $1`, [id]);
    if (run.rows.length === 0) return null;
    const lines = await this.db.query<LineRow>(
      `SELECT * FROM reconciliation_lines WHERE run_id = $1
         ${all ? '' : `AND (coalesce(erp_variance, 0) <> 0 OR coalesce(wms_variance, 0) <> 0 OR correction IS NOT NULL OR channels_sent <> channels_expected)`}
       ORDER BY exposure_cents DESC, sku, location LIMIT 10000`,
      [id],
    );
    return { ...runView(run.rows[0]), lines: lines.rows.map(lineView) };
  }

  /**
   * A page of exceptions, the largest exposure first, then the oldest, then by id: keyset (exposure_cents DESC,
   * opened_at ASC, id ASC), written out as a row comparison since the directions differ.
   */
  async listExceptions(
    status: ExceptionFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<ExceptionView>> {
    const key = decodeCursor(EXCEPTIONS, cursor, ['integer', 'timestamp', 'uuid']);
    const after = `AND (exposure_cents < $3::bigint
      OR (exposure_cents = $3::bigint AND (opened_at, id) > ($4::timestamptz, $5::uuid)))`;
    const { rows } = await this.db.query<ExceptionRow & { sort_at: string }>(
      `SELECT *, opened_at::text AS sort_at FROM reconciliation_exceptions
          WHERE ($1 = 'all' OR ($1 = 'open' AND status <> 'resolved') OR status = $1) ${key ? after : ''}
          ORDER BY exposure_cents DESC, opened_at, id LIMIT $2`,
      [status, limit + 1, ...(key ?? [])],
    );
    return pageOf(EXCEPTIONS, rows, limit, (r) => [r.exposure_cents, r.sort_at, r.id], exceptionView);
  }

  /** Assigns an unresolved exception to `assignee`. Null: no unresolved exception has that id. */
  async assignException(id: string, assignee: string): Promise<ExceptionView | null> {
    const res = await this.db.query<ExceptionRow>(
      `UPDATE reconciliation_exceptions SET status = 'assigned', assignee = $2
        WHERE id = $1 AND status <> 'resolved' RETURNING *`,
      [id, assignee],
    );
    return res.rows[0] ? exceptionView(res.rows[0]) : null;
  }

  /** Resolves an unresolved exception with a note. Null: no unresolved exception has that id. */
  async resolveException(id: string, note: string, resolvedBy: string): Promise<ExceptionView | null> {
    const res = await this.db.query<ExceptionRow>(
      `UPDATE reconciliation_exceptions SET status = 'resolved', note = $2, resolved_by = $3, resolved_at = clock_timestamp()
        WHERE id = $1 AND status <> 'resolved' RETURNING *`,
      [id, note, resolvedBy],
    );
    return res.rows[0] ? exceptionView(res.rows[0]) : null;
  }

  /** Whether an exception with that id exists, resolved or not. */
  async exceptionExists(id: string): Promise<boolean> {
    const res = await this.db.query(`SELECT 1 FROM reconciliation_exceptions WHERE id = $1`, [id]);
    return (res.rowCount ?? 0) > 0;
  }
}
