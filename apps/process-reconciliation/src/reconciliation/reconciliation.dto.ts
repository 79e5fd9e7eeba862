import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class RunRequestedView {
  /** The run's id: poll `GET /v1/reconciliation/runs/{id}`. @example "5b0f3c1e-2d4a-4e6b-9c8d-7a6f5e4d3c2b" */
  runId!: string;
}

export class RunView {
  id!: string;
  /** @example "on-demand" */
  trigger!: string;
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

export class VarianceLineView {
  sku!: string;
  location!: string;
  ledgerOnHand!: number | null;
  erpOnHand!: number | null;
  wmsOnHand!: number | null;
  /** ERP minus ledger. */
  erpVariance!: number | null;
  /** WMS minus ledger. */
  wmsVariance!: number | null;
  exposureCents!: number;
  /** Per channel, the figure it was last sent for this location. */
  channelsSent!: Record<string, number>;
  /** Per channel, the figure the ledger gives now. */
  channelsExpected!: Record<string, number>;
  /** The journaled correction (units), when the location's policy applied one. */
  correction!: number | null;
}

/** A page of runs, newest first (by start, then id). */
export class RunPageView {
  items!: RunView[];

  /** The cursor of the next page (pass it as `cursor`); null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class RunListQuery extends PageQuery {
  @PageLimit(200, 50)
  limit?: number;
}

export class RunDetailQuery {
  /** `true`: every line, also those without variance; `false` (default): lines with a variance or a correction. */
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'all must be true or false' })
  all?: 'true' | 'false';
}

export class RunDetailView extends RunView {
  /** Lines with a variance or a correction (all lines with `?all=true`). */
  lines!: VarianceLineView[];
}

export class ExceptionView {
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

/** A page of exceptions, the largest exposure first (then the oldest, then by id). */
export class ExceptionPageView {
  items!: ExceptionView[];

  /** The cursor of the next page (pass it as `cursor`, with the same `status`); null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ExceptionListQuery extends PageQuery {
  /** open (default: open and assigned), assigned, resolved or all. */
  @IsOptional()
  @IsIn(['open', 'assigned', 'resolved', 'all'])
  status?: 'open' | 'assigned' | 'resolved' | 'all';

  @PageLimit(500, 100)
  limit?: number;
}

export class RunRequest {
  /** Who asks for the run (recorded with it). @example "alice" */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,64}$/)
  requestedBy?: string;
}

export class AssignRequest {
  /** @example "bob" */
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,64}$/)
  assignee!: string;
}

export class ResolveRequest {
  /** What was found and done. @example "Miscount in aisle 4; corrected in the WMS" */
  @IsString()
  @MaxLength(1000)
  @Matches(/\S/, { message: 'note must not be blank' })
  note!: string;

  /** @example "bob" */
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,64}$/)
  resolvedBy!: string;
}
