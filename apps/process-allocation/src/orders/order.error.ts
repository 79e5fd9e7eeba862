import { assertNever } from '@stockbridge/ledger';

/** Every way an order request can be refused. */
export type OrderErrorCode = 'order-not-found' | 'order-not-cancellable' | 'unmapped-status';

export class OrderError extends Error {
  constructor(
    readonly code: OrderErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'OrderError';
  }
}

/** Exhaustive code → HTTP status map; adding a code without a status fails to compile. */
export function orderErrorStatus(code: OrderErrorCode): number {
  switch (code) {
    case 'order-not-found':
      return 404;
    case 'order-not-cancellable':
      return 409;
    case 'unmapped-status':
      return 422;
    default:
      return assertNever(code);
  }
}

export function orderNotFound(id: string): OrderError {
  return new OrderError('order-not-found', `Order "${id}" does not exist.`);
}
