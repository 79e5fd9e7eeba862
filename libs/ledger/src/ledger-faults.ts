/**
 * Points in a ledger operation where a crash test may stop the process: the ledger names them, the app
 * decides what happens there. By default nothing does; process-reservations arms them for its chaos tests
 * (docs/reliability.md).
 */
export type LedgerFaultPoint =
  /** A confirmation (and its `reservation.confirmed` outbox row) committed, before anyone heard of it. */
  'reservation.after-confirm-commit';

/** The hook the ledger calls at each fault point; provide another class to arm it (LedgerModule `faults`). */
export abstract class LedgerFaults {
  abstract reached(point: LedgerFaultPoint): void;
}

/** The default: a fault point is a no-op. */
export class NoLedgerFaults extends LedgerFaults {
  reached(): void {
    // nothing to do outside a crash test
  }
}
