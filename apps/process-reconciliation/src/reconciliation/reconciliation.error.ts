import { assertNever } from '@stockbridge/ledger';

/** Every way a request about a run or an exception can be refused. */
export type ReconciliationErrorCode = 'not-found' | 'already-resolved';

/** A refusal of the reconciliation domain; ReconciliationProblemMapper makes it a problem. */
export class ReconciliationError extends Error {
  constructor(
    readonly code: ReconciliationErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ReconciliationError';
  }
}

/** Exhaustive code → HTTP status map; adding a code without a status fails to compile. */
export function reconciliationErrorStatus(code: ReconciliationErrorCode): number {
  switch (code) {
    case 'not-found':
      return 404;
    case 'already-resolved':
      return 409;
    default:
      return assertNever(code);
  }
}
