import { ApiProperty } from '@nestjs/swagger';

// What process-reconciliation answers, as ops passes it on (openapi/process-reconciliation.yaml): mirrored
// here so that the ops document says what each operation answers.

export class ReconciliationRunRequestedView {
  /** The run's id: poll `GET /v1/reconciliation/runs/{id}`. @example "5b0f3c1e-2d4a-4e6b-9c8d-7a6f5e4d3c2b" */
  runId!: string;
}

export class ReconciliationRunView {
  id!: string;
  /** schedule or on-demand. @example "on-demand" */
  trigger!: string;
  /** Who asked for the run (the operator, through ops); null for a scheduled run. */
  requestedBy!: string | null;
  /**
   * running, succeeded, partial (a source could not be read: `summary.missing` names it and why; nothing was
   * compared with it) or failed. @example "succeeded"
   */
  status!: string;
  startedAt!: string;
  finishedAt!: string | null;
  /** Lines, exceptions (found, opened, updated, closed), corrections, how each snapshot went, and the sources missing. */
  summary!: Record<string, unknown>;
  error!: string | null;
}

export class ReconciliationRunPageView {
  /** Newest first. */
  items!: ReconciliationRunView[];

  /** The cursor of the next page (pass it as `cursor`); null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ReconciliationLineView {
  sku!: string;
  location!: string;
  ledgerOnHand!: number | null;
  erpOnHand!: number | null;
  wmsOnHand!: number | null;
  /** ERP minus ledger. */
  erpVariance!: number | null;
  /** WMS minus ledger. */
  wmsVariance!: number | null;
  /** |variance| × unit price, in cents. */
  exposureCents!: number;
  /** Per channel, the figure it was last sent for this location. */
  channelsSent!: Record<string, number>;
  /** Per channel, the figure the ledger gives now. */
  channelsExpected!: Record<string, number>;
  /** The journaled correction (units), when the location's policy applied one. */
  correction!: number | null;
}

export class ReconciliationRunDetailView extends ReconciliationRunView {
  /** Lines with a variance, a correction or channel drift, the largest exposure first. */
  lines!: ReconciliationLineView[];
}

export class ReconciliationExceptionView {
  id!: string;
  /** The run that opened it. */
  runId!: string;
  /** The run that last found the drift (variance and exposure are its figures). */
  lastRunId!: string;
  lastSeenAt!: string;
  sku!: string;
  location!: string;
  /** erp-variance, wms-variance or channel-drift. */
  kind!: string;
  variance!: number;
  /** |variance| × unit price, in cents: the ranking key. */
  exposureCents!: number;
  /**
   * open, assigned or resolved. One exception per SKU, location and kind is unresolved at a time; a run that
   * finds the drift gone resolves it (resolvedBy `system`, the reason in `note`).
   */
  status!: string;
  assignee!: string | null;
  note!: string | null;
  resolvedBy!: string | null;
  openedAt!: string;
  resolvedAt!: string | null;
}

export class ReconciliationExceptionPageView {
  /** The largest exposure first, then the oldest. */
  items!: ReconciliationExceptionView[];

  /** The cursor of the next page (pass it as `cursor`, with the same `status`); null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ReconciliationPolicyView {
  /** @example "WH-EAST" */
  location!: string;
  /** The policy now in force; the next run applies it. @example "trust-wms" */
  policy!: 'trust-wms' | 'trust-erp' | 'report-only';
  /** The policy it replaced. @example "report-only" */
  previousPolicy!: 'trust-wms' | 'trust-erp' | 'report-only';
}
