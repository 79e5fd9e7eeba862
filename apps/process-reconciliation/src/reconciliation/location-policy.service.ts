import { Injectable } from '@nestjs/common';
import { Db } from '@stockbridge/ledger';
import type { LocationPolicyView } from './location-policy.dto';
import type { ReconciliationPolicy } from './variance';

/** Each location's correction policy (`locations.reconciliation_policy`), which every run reads afresh. */
@Injectable()
export class LocationPolicies {
  constructor(private readonly db: Db) {}

  /** Sets the policy; the answer names the one it replaced. Null: no such location. */
  async set(location: string, policy: ReconciliationPolicy): Promise<LocationPolicyView | null> {
    const res = await this.db.query<{ code: string; previous: ReconciliationPolicy }>(
      `UPDATE locations l SET reconciliation_policy = $2
         FROM (SELECT code, reconciliation_policy FROM locations WHERE code = $1 FOR UPDATE) old
        WHERE l.code = old.code
        RETURNING l.code, old.reconciliation_policy AS previous`,
      [location, policy],
    );
    const row = res.rows[0];
    if (!row) return null;
    return { location: row.code, policy, previousPolicy: row.previous };
  }
}
