import type { ExceptionView, RunView, VarianceLineView } from './reconciliation.dto';

/** A row of reconciliation_runs. */
export interface RunRow {
  id: string;
  trigger: string;
  requested_by: string | null;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  summary: Record<string, unknown>;
  error: string | null;
}

/** A row of reconciliation_exceptions (bigints come as text). */
export interface ExceptionRow {
  id: string;
  run_id: string;
  last_run_id: string;
  last_seen_at: Date;
  sku: string;
  location: string;
  kind: string;
  variance: string;
  exposure_cents: string;
  status: string;
  assignee: string | null;
  note: string | null;
  resolved_by: string | null;
  opened_at: Date;
  resolved_at: Date | null;
}

/** A row of reconciliation_lines (bigints come as text). */
export interface LineRow {
  sku: string;
  location: string;
  ledger_on_hand: string | null;
  erp_on_hand: string | null;
  wms_on_hand: string | null;
  erp_variance: string | null;
  wms_variance: string | null;
  exposure_cents: string;
  channels_sent: Record<string, number>;
  channels_expected: Record<string, number>;
  correction: string | null;
}

const num = (v: string | null) => (v === null ? null : Number(v));

export function runView(r: RunRow): RunView {
  return {
    id: r.id,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    summary: r.summary,
    error: r.error,
  };
}

export function exceptionView(r: ExceptionRow): ExceptionView {
  return {
    id: r.id,
    runId: r.run_id,
    lastRunId: r.last_run_id,
    lastSeenAt: r.last_seen_at.toISOString(),
    sku: r.sku,
    location: r.location,
    kind: r.kind,
    variance: Number(r.variance),
    exposureCents: Number(r.exposure_cents),
    status: r.status,
    assignee: r.assignee,
    note: r.note,
    resolvedBy: r.resolved_by,
    openedAt: r.opened_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
  };
}

export function lineView(l: LineRow): VarianceLineView {
  return {
    sku: l.sku,
    location: l.location,
    ledgerOnHand: num(l.ledger_on_hand),
    erpOnHand: num(l.erp_on_hand),
    wmsOnHand: num(l.wms_on_hand),
    erpVariance: num(l.erp_variance),
    wmsVariance: num(l.wms_variance),
    exposureCents: Number(l.exposure_cents),
    channelsSent: l.channels_sent,
    channelsExpected: l.channels_expected,
    correction: num(l.correction),
  };
}
