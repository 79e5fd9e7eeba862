import { Injectable } from '@nestjs/common';
import { Metrics } from '@stockbridge/app-platform';
import { type Counter, Gauge } from 'prom-client';
import { ReconciliationRepository } from './reconciliation.repository';

export type RunOutcome = 'succeeded' | 'partial' | 'failed';

/** What a run reads besides the ledger: the two backends' snapshots and the channels' last figures. */
export const RECONCILIATION_SOURCES = ['erp', 'wms', 'channels'] as const;
export type ReconciliationSource = (typeof RECONCILIATION_SOURCES)[number];

/**
 * `reconciliation_runs_total{outcome}`, counted by the replica that ran the run, and
 * `reconciliation_sources_missing{source}`: 1 for each source the latest finished run could not read, read from
 * the database at scrape time, so every replica reports the same.
 */
@Injectable()
export class ReconciliationMetrics {
  private readonly runs: Counter<'outcome'>;

  constructor(metrics: Metrics, repository: ReconciliationRepository) {
    this.runs = metrics.counter('reconciliation_runs_total', 'Reconciliation runs by outcome', ['outcome']);
    new Gauge({
      name: 'reconciliation_sources_missing',
      help: 'Sources (erp, wms, channels) the latest finished reconciliation run could not read: 1 missing, 0 read',
      labelNames: ['source'],
      registers: [metrics.registry],
      async collect() {
        const missing = await repository.latestMissingSources().catch(() => null);
        if (missing === null) return;
        for (const source of RECONCILIATION_SOURCES) this.set({ source }, missing.includes(source) ? 1 : 0);
      },
    });
  }

  run(outcome: RunOutcome): void {
    this.runs.inc({ outcome });
  }
}
