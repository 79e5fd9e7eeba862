import { IsIn, Matches } from 'class-validator';
import { RECONCILIATION_POLICIES, type ReconciliationPolicy } from './variance';

export class LocationCodeParams {
  /** The location's code. @example "WH-EAST" */
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'code must be a location code (1–64 letters, digits, ".", "_" or "-")',
  })
  code!: string;
}

export class SetLocationPolicyRequest {
  /**
   * What reconciliation runs do with the location's variance: `trust-wms` or `trust-erp` set the ledger's on hand
   * to that side's figure (a journaled count), `report-only` only opens exceptions.
   */
  @IsIn(RECONCILIATION_POLICIES)
  policy!: ReconciliationPolicy;
}

export class LocationPolicyView {
  /** @example "WH-EAST" */
  location!: string;
  /** The policy now in force; the next run applies it. @example "trust-wms" */
  policy!: ReconciliationPolicy;
  /** The policy it replaced. @example "report-only" */
  previousPolicy!: ReconciliationPolicy;
}
