import type { LedgerFaultPoint, LedgerFaults } from '@stockbridge/ledger';
import { faultPoint } from '@stockbridge/messaging';

/**
 * The ledger's fault points, armed like the outbox relay's: a point named in SB_FAULT_POINTS kills the
 * process there (the chaos tests; unset in production, where every point is a no-op).
 */
export class CrashHooks implements LedgerFaults {
  reached(point: LedgerFaultPoint): void {
    faultPoint(point);
  }
}
