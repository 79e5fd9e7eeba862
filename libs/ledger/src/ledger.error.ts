/** Every way a ledger operation can be refused. The HTTP mapping lives in each app's exception filter. */
export type LedgerErrorCode =
  | 'unknown-sku'
  | 'unknown-location'
  | 'unknown-channel'
  | 'location-not-in-channel'
  | 'invariant-violation'
  | 'reservation-not-found'
  | 'reservation-not-active'
  | 'idempotency-key-reused'
  | 'idempotency-key-in-flight'
  | 'duplicate-event-conflict'
  | 'invalid-movement'
  | 'insufficient-stock'
  | 'ttl-exceeds-maximum'
  | 'hold-limit-exceeded';

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

/** Exhaustive code → HTTP status map; adding a code without a status fails to compile. */
export function ledgerErrorStatus(code: LedgerErrorCode): number {
  switch (code) {
    case 'unknown-sku':
    case 'unknown-location':
    case 'unknown-channel':
    case 'location-not-in-channel':
    case 'idempotency-key-reused':
    case 'invalid-movement':
    case 'ttl-exceeds-maximum':
      return 422;
    case 'invariant-violation':
    case 'reservation-not-active':
    case 'idempotency-key-in-flight':
    case 'duplicate-event-conflict':
    case 'insufficient-stock':
    case 'hold-limit-exceeded':
      return 409;
    case 'reservation-not-found':
      return 404;
    default:
      return assertNever(code);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
