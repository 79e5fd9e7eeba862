import { assertNever } from '@stockbridge/ledger';

/** Every way a return (RMA) request can be refused. */
export type ReturnErrorCode =
  | 'rma-not-found'
  | 'order-not-found'
  | 'source-not-allowed'
  | 'duplicate-sku'
  | 'sku-not-on-order'
  | 'over-return'
  | 'unknown-location'
  | 'sku-not-on-rma'
  | 'over-receipt'
  | 'grade-mismatch'
  | 'external-ref-reused'
  | 'not-received'
  | 'already-received'
  | 'already-graded'
  | 'rma-cancelled';

export class ReturnError extends Error {
  constructor(
    readonly code: ReturnErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ReturnError';
  }
}

/** Exhaustive code → HTTP status map; adding a code without a status fails to compile. */
export function returnErrorStatus(code: ReturnErrorCode): number {
  switch (code) {
    case 'rma-not-found':
      return 404;
    case 'order-not-found':
    case 'source-not-allowed':
    case 'duplicate-sku':
    case 'sku-not-on-order':
    case 'over-return':
    case 'unknown-location':
    case 'sku-not-on-rma':
    case 'over-receipt':
    case 'grade-mismatch':
      return 422;
    case 'external-ref-reused':
    case 'not-received':
    case 'already-received':
    case 'already-graded':
    case 'rma-cancelled':
      return 409;
    default:
      return assertNever(code);
  }
}
