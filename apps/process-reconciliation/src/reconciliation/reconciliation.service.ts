import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Availability, Db, LedgerError, Movements } from '@stockbridge/ledger';
import { errorMessage } from '@stockbridge/messaging';
import { AvailabilityReadModel } from '@stockbridge/read-model';
import { ProcessReconciliationConfig } from '../process-reconciliation.config';
import { ReconciliationMetrics, type ReconciliationSource } from './reconciliation-metrics';
import type { ExceptionView, RunDetailView } from './reconciliation.dto';
import { ReconciliationError } from './reconciliation.error';
import { ReconciliationRepository } from './reconciliation.repository';
import { SnapshotClient } from './snapshot.client';
import {
  compareFigures,
  CorrectionPolicy,
  type ExceptionKind,
  exceptionsFor,
  type LineKey,
  lineKey,
  type ReconciliationPolicy,
  type VarianceLine,
} from './variance';

/** A source the run could not read, and why: the run is `partial`, comparing nothing with that source. */
export interface MissingSource {
  source: ReconciliationSource;
  reason: string;
}

export interface RunSummary {
  lines: number;
  /** Exceptions the run found (each opened, or updating the open one of its SKU, location and kind). */
  exceptions: number;
  exceptionsOpened: number;
  exceptionsUpdated: number;
  /** Open exceptions whose drift the run found gone: resolved by `system`. */
  exceptionsClosed: number;
  corrections: number;
  correctionFailures: number;
  erp: string;
  wms: string;
  unmapped: { erp: number; wms: number };
  /** Empty for a complete run. */
  missing: MissingSource[];
}

const SOURCE_NAMES: Record<ReconciliationSource, string> = {
  erp: 'the ERP snapshot',
  wms: 'the WMS snapshot',
  channels: "the channels' last figures (availability read model)",
};

/** The exception kind each source's figures decide. */
const KIND_OF: Record<ReconciliationSource, ExceptionKind> = {
  erp: 'erp-variance',
  wms: 'wms-variance',
  channels: 'channel-drift',
};

/**
 * One reconciliation run: the ERP's and the WMS's on hand (through the system APIs), the ledger, and what each
 * channel was last sent, compared per SKU and location; variance lines stored, exceptions opened (or the open
 * one updated) and ranked by exposure, exceptions whose drift is gone closed, and the location's correction
 * policy applied as journaled `count` movements. A source that cannot be read makes the run `partial` (its
 * figures compared with nothing, its exceptions left as they are). The availability that follows is published
 * by process-reservations' sweep, which picks up ledger changes made by any process. Also the requests about one
 * run or one exception that can be refused (no such run or exception, an exception already resolved).
 */
@Injectable()
export class ReconciliationService {
  private readonly log = new Logger(ReconciliationService.name);

  constructor(
    private readonly db: Db,
    private readonly repository: ReconciliationRepository,
    private readonly movements: Movements,
    private readonly availability: Availability,
    private readonly readModel: AvailabilityReadModel,
    private readonly snapshots: SnapshotClient,
    private readonly correction: CorrectionPolicy,
    private readonly metrics: ReconciliationMetrics,
    private readonly config: ProcessReconciliationConfig,
  ) {}

  async run(
    trigger: 'schedule' | 'on-demand',
    requestedBy: string | null,
    runId: string = randomUUID(),
  ): Promise<{ runId: string; summary: RunSummary }> {
    // A retried job reuses its run id: a run that got this far before is not started twice.
    await this.repository.start(runId, trigger, requestedBy);
    let summary: RunSummary;
    try {
      summary = await this.reconcile(runId);
      const status = summary.missing.length > 0 ? 'partial' : 'succeeded';
      await this.repository.finish(runId, status, summary);
      this.metrics.run(status);
    } catch (err) {
      this.metrics.run('failed');
      await this.repository.fail(runId, errorMessage(err));
      throw err;
    }
    const counts =
      `${summary.lines} lines, ${summary.exceptions} exceptions (${summary.exceptionsOpened} opened, ` +
      `${summary.exceptionsClosed} closed), ${summary.corrections} corrections`;
    if (summary.missing.length > 0) {
      const missing = summary.missing.map((m) => `${SOURCE_NAMES[m.source]} (${m.reason})`).join('; ');
      this.log.warn(`reconciliation ${runId} is partial: missing ${missing}; ${counts}`);
    } else {
      this.log.log(`reconciliation ${runId}: ${counts}`);
    }
    await this.purgeOldLines();
    return { runId, summary };
  }

  /** The run with its lines (those with a variance, a correction or channel drift, or `all`); `not-found` without it. */
  async runDetail(id: string, all: boolean): Promise<RunDetailView> {
    const run = await this.repository.runDetail(id, all);
    if (!run) throw new ReconciliationError('not-found', `No reconciliation run ${id}.`);
    return run;
  }

  /** Assigns an unresolved exception to someone; `not-found` or `already-resolved` otherwise. */
  async assignException(id: string, assignee: string): Promise<ExceptionView> {
    return this.changed(id, await this.repository.assignException(id, assignee));
  }

  /** Resolves an unresolved exception with a note; `not-found` or `already-resolved` otherwise. */
  async resolveException(id: string, note: string, resolvedBy: string): Promise<ExceptionView> {
    return this.changed(id, await this.repository.resolveException(id, note, resolvedBy));
  }

  /** The exception a change left, or why there was none to change. */
  private async changed(id: string, exception: ExceptionView | null): Promise<ExceptionView> {
    if (exception) return exception;
    if (await this.repository.exceptionExists(id))
      throw new ReconciliationError('already-resolved', `Exception ${id} is already resolved.`);
    throw new ReconciliationError('not-found', `No reconciliation exception ${id}.`);
  }

  /** Old runs' lines go after each run (RECONCILIATION_LINE_RETENTION_DAYS); a failure waits for the next run. */
  private async purgeOldLines(): Promise<void> {
    try {
      const deleted = await this.repository.purgeLines(this.config.RECONCILIATION_LINE_RETENTION_DAYS);
      if (deleted > 0)
        this.log.log(
          `purged ${deleted} reconciliation lines older than ${this.config.RECONCILIATION_LINE_RETENTION_DAYS} days`,
        );
    } catch (err) {
      this.log.warn(`could not purge old reconciliation lines: ${errorMessage(err)}`);
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
    const { sent, expected, unreadable } = await this.channelFigures(skus);

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
    const missing: MissingSource[] = [];
    if (erp.unavailable !== null) missing.push({ source: 'erp', reason: erp.unavailable });
    if (wms.unavailable !== null) missing.push({ source: 'wms', reason: wms.unavailable });
    if (unreadable !== null) missing.push({ source: 'channels', reason: unreadable });
    const compared = (['erp', 'wms', 'channels'] as const)
      .filter((source) => !missing.some((m) => m.source === source))
      .map((source) => KIND_OF[source]);
    const changes = await this.repository.store(
      runId,
      lines,
      corrected,
      exceptions,
      compared,
      this.config.VARIANCE_THRESHOLD_UNITS,
    );
    return {
      lines: lines.length,
      exceptions: exceptions.length,
      exceptionsOpened: changes.opened,
      exceptionsUpdated: changes.updated,
      exceptionsClosed: changes.closed,
      corrections,
      correctionFailures,
      erp: erp.status,
      wms: wms.status,
      unmapped: { erp: erp.unmapped, wms: wms.unmapped },
      missing,
    };
  }

  private async side(side: 'erp' | 'wms'): Promise<{
    figures: Map<LineKey, number> | null;
    locations: Set<string>;
    status: string;
    /** Why the snapshot could not be taken; null when it was. */
    unavailable: string | null;
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
        unavailable: null,
        unmapped: snap.unmapped.length,
      };
    } catch (err) {
      // One side down does not stop the run: the other side is still compared, this one has no figures.
      return {
        figures: null,
        locations: new Set(),
        status: `unavailable: ${errorMessage(err)}`,
        unavailable: errorMessage(err),
        unmapped: 0,
      };
    }
  }

  /**
   * Per line and channel, what the read model holds (last sent) and what the ledger gives now; `unreadable` says
   * why the read model could not be read (those channels' figures are missing), null when it could.
   */
  private async channelFigures(skus: string[]) {
    let unreadable: string | null = null;
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
        const read = await this.readModel.read(channel, batch).catch((err: unknown) => {
          unreadable ??= errorMessage(err);
          return [];
        });
        for (const r of read)
          if (r.known)
            for (const l of r.locations) put(sent, lineKey(r.sku, l.location), channel, l.available);
      }
    }
    return { sent, expected, unreadable: unreadable as string | null };
  }
}
