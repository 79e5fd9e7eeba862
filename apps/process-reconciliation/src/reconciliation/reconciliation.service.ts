import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Availability, Db, LedgerError, Movements } from '@stockbridge/ledger';
import { errorMessage } from '@stockbridge/messaging';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { ProcessReconciliationConfig } from '../process-reconciliation.config';
import { SnapshotClient } from './snapshot.client';
import {
  compareFigures,
  CorrectionPolicy,
  exceptionsFor,
  type LineKey,
  lineKey,
  type ReconciliationPolicy,
  type VarianceLine,
} from './variance';

export interface RunSummary {
  lines: number;
  exceptions: number;
  corrections: number;
  correctionFailures: number;
  erp: string;
  wms: string;
  unmapped: { erp: number; wms: number };
}

/**
 * One reconciliation run: the ERP's and the WMS's on hand (through the system APIs), the ledger, and what each
 * channel was last sent, compared per SKU and location; variance lines stored, exceptions opened and ranked by
 * exposure, and the location's correction policy applied as journaled `count` movements. The availability that
 * follows is published by process-reservations' sweep, which picks up ledger changes made by any process.
 */
@Injectable()
export class ReconciliationService {
  private readonly log = new Logger(ReconciliationService.name);

  constructor(
    private readonly db: Db,
    private readonly movements: Movements,
    private readonly availability: Availability,
    private readonly readModel: AvailabilityReadModel,
    private readonly snapshots: SnapshotClient,
    private readonly correction: CorrectionPolicy,
    private readonly config: ProcessReconciliationConfig,
  ) {}

  async run(
    trigger: 'schedule' | 'on-demand',
    requestedBy: string | null,
    runId: string = randomUUID(),
  ): Promise<{ runId: string; summary: RunSummary }> {
    // A retried job reuses its run id: a run that got this far before is not started twice.
    const started = await this.db.query(
      `INSERT INTO reconciliation_runs (id, trigger, requested_by, status) VALUES ($1, $2, $3, 'running') ON CONFLICT (id) DO NOTHING`,
      [runId, trigger, requestedBy],
    );
    if (started.rowCount === 0) {
      await this.db.query(`DELETE FROM reconciliation_lines WHERE run_id = $1`, [runId]);
      await this.db.query(`DELETE FROM reconciliation_exceptions WHERE run_id = $1`, [runId]);
      await this.db.query(`UPDATE reconciliation_runs SET status = 'running', error = NULL WHERE id = $1`, [
        runId,
      ]);
    }
    try {
      const summary = await this.reconcile(runId);
      await this.db.query(
        `UPDATE reconciliation_runs SET status = 'succeeded', finished_at = clock_timestamp(), summary = $2 WHERE id = $1`,
        [runId, JSON.stringify(summary)],
      );
      this.log.log(
        `reconciliation ${runId}: ${summary.lines} lines, ${summary.exceptions} exceptions, ${summary.corrections} corrections`,
      );
      return { runId, summary };
    } catch (err) {
      await this.db.query(
        `UPDATE reconciliation_runs SET status = 'failed', finished_at = clock_timestamp(), error = $2 WHERE id = $1`,
        [runId, errorMessage(err).slice(0, 2000)],
      );
      throw err;
    }
  }

  private async reconcile(runId: string): Promise<RunSummary> {
    const [erp, wms] = await Promise.all([this.side('erp'), this.side('wms')]);
    const levels = await this.db.query<{ sku: string; location: string; on_hand: string }>(
      `SELECT sku, location, on_hand FROM stock_levels`,
    );
    const prices = await this.db.query<{ sku: string; price_cents: string }>(
      `SELECT sku, price_cents FROM skus`,
    );
    const policies = await this.db.query<{ code: string; reconciliation_policy: ReconciliationPolicy }>(
      `SELECT code, reconciliation_policy FROM locations`,
    );
    const ledger = new Map<LineKey, number>(
      levels.rows.map((r) => [lineKey(r.sku, r.location), Number(r.on_hand)]),
    );
    const skus = [
      ...new Set(
        [
          ...levels.rows.map((r) => r.sku),
          ...(erp.figures?.keys() ?? []),
          ...(wms.figures?.keys() ?? []),
        ].map((k) => k.split('@')[0]),
      ),
    ];
    const { sent, expected } = await this.channelFigures(skus);

    const lines = compareFigures({
      ledger,
      erp: erp.figures,
      wms: wms.figures,
      erpLocations: erp.locations,
      wmsLocations: wms.locations,
      prices: new Map(prices.rows.map((r) => [r.sku, Number(r.price_cents)])),
      sent,
      expected,
    });
    const exceptions = exceptionsFor(lines, this.config.VARIANCE_THRESHOLD_UNITS);
    const policyOf = new Map(policies.rows.map((r) => [r.code, r.reconciliation_policy]));
    const knownLocations = new Set(policies.rows.map((r) => r.code));
    const knownSkus = new Set(prices.rows.map((r) => r.sku));

    let corrections = 0;
    let correctionFailures = 0;
    const corrected = new Map<VarianceLine, number>();
    for (const line of lines) {
      if (!knownSkus.has(line.sku) || !knownLocations.has(line.location)) continue;
      const target = this.correction.target(line, policyOf.get(line.location) ?? 'report-only');
      if (target === null) continue;
      try {
        await this.movements.apply({
          kind: 'count',
          sku: line.sku,
          location: line.location,
          quantity: target,
          sourceSystem: 'reconciliation',
          sourceEventId: `${runId}/${line.sku}/${line.location}`,
          reason: `reconciliation ${runId}: ${policyOf.get(line.location)}`,
        });
        corrected.set(line, target - (line.ledgerOnHand ?? 0));
        corrections++;
      } catch (err) {
        // Typically units held by reservations exceed the trusted figure: left to the exception it opened.
        if (!(err instanceof LedgerError)) throw err;
        correctionFailures++;
        this.log.warn(
          `reconciliation ${runId}: could not correct ${line.sku}@${line.location}: ${err.message}`,
        );
      }
    }
    await this.store(runId, lines, corrected, exceptions);
    return {
      lines: lines.length,
      exceptions: exceptions.length,
      corrections,
      correctionFailures,
      erp: erp.status,
      wms: wms.status,
      unmapped: { erp: erp.unmapped, wms: wms.unmapped },
    };
  }

  private async side(side: 'erp' | 'wms'): Promise<{
    figures: Map<LineKey, number> | null;
    locations: Set<string>;
    status: string;
    unmapped: number;
  }> {
    try {
      const snap = await this.snapshots.snapshot(side);
      const figures = new Map<LineKey, number>();
      for (const r of snap.rows)
        figures.set(lineKey(r.sku, r.location), (figures.get(lineKey(r.sku, r.location)) ?? 0) + r.onHand);
      return {
        figures,
        locations: new Set(snap.rows.map((r) => r.location)),
        status: `ok (${snap.takenAt})`,
        unmapped: snap.unmapped.length,
      };
    } catch (err) {
      // One side down does not stop the run: the other side is still compared, this one has no figures.
      return {
        figures: null,
        locations: new Set(),
        status: `unavailable: ${errorMessage(err)}`,
        unmapped: 0,
      };
    }
  }

  /** Per line and channel, what the read model holds (last sent) and what the ledger gives now. */
  private async channelFigures(skus: string[]) {
    const sent = new Map<LineKey, Record<string, number>>();
    const expected = new Map<LineKey, Record<string, number>>();
    const put = (m: Map<LineKey, Record<string, number>>, key: LineKey, channel: string, n: number) =>
      m.set(key, { ...(m.get(key) ?? {}), [channel]: n });
    for (let i = 0; i < skus.length; i += 500) {
      const batch = skus.slice(i, i + 500);
      const figures = await this.availability.publishable(batch);
      const channels = [...new Set(figures.map((f) => f.channel))];
      for (const f of figures)
        for (const l of f.locations) put(expected, lineKey(f.sku, l.location), f.channel, l.available);
      for (const channel of channels) {
        const read = await this.readModel.read(channel, batch).catch(() => []);
        for (const r of read)
          if (r.known)
            for (const l of r.locations) put(sent, lineKey(r.sku, l.location), channel, l.available);
      }
    }
    return { sent, expected };
  }

  private async store(
    runId: string,
    lines: VarianceLine[],
    corrected: Map<VarianceLine, number>,
    exceptions: ReturnType<typeof exceptionsFor>,
  ) {
    await this.db.tx(async (sql) => {
      for (let i = 0; i < lines.length; i += 1000) {
        const b = lines.slice(i, i + 1000);
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
      if (exceptions.length > 0) {
        await sql.query(
          `INSERT INTO reconciliation_exceptions (id, run_id, sku, location, kind, variance, exposure_cents)
           SELECT gen_random_uuid(), $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])`,
          [
            runId,
            exceptions.map((e) => e.sku),
            exceptions.map((e) => e.location),
            exceptions.map((e) => e.kind),
            exceptions.map((e) => e.variance),
            exceptions.map((e) => e.exposureCents),
          ],
        );
      }
    });
  }
}
