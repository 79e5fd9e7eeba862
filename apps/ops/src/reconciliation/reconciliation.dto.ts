import { PageLimit, PageQuery } from '@stockbridge/app-platform';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A page of runs; passed on to process-reconciliation as it is. */
export class OpsRunListQuery extends PageQuery {
  @PageLimit(200, 50)
  limit?: number;
}

/** A page of exceptions; passed on to process-reconciliation as it is. */
export class OpsExceptionListQuery extends PageQuery {
  /** open (default: open and assigned), assigned, resolved or all. */
  @IsOptional()
  @IsIn(['open', 'assigned', 'resolved', 'all'])
  status?: 'open' | 'assigned' | 'resolved' | 'all';

  @PageLimit(500, 100)
  limit?: number;
}

export class OpsAssignRequest {
  /** Who is to look into it. @example "bob" */
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,64}$/)
  assignee!: string;
}

export class OpsResolveRequest {
  /** What was found and done. @example "Miscount in aisle 4; corrected in the WMS" */
  @IsString()
  @MaxLength(1000)
  @Matches(/\S/, { message: 'note must not be blank' })
  note!: string;
}

export class OpsLocationCodeParams {
  /** The location's code. @example "WH-EAST" */
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'code must be a location code (1–64 letters, digits, ".", "_" or "-")',
  })
  code!: string;
}

export class OpsSetLocationPolicyRequest {
  /**
   * What reconciliation runs do with the location's variance from the next run on: `trust-wms` or `trust-erp`
   * set the ledger's on hand to that side's figure (a journaled count), `report-only` only opens exceptions.
   */
  @IsIn(['trust-wms', 'trust-erp', 'report-only'])
  policy!: 'trust-wms' | 'trust-erp' | 'report-only';
}
