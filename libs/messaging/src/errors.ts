import { UnrecoverableError } from 'bullmq';

/** Why a job ended in its queue's dead letters. */
export type DeadLetterKind =
  /** The message itself is invalid (schema, unknown kind): fix the producer, then replay or discard. */
  | 'validation'
  /** A code the backend or the platform uses has no cross-reference yet: add the mapping, then replay. */
  | 'unmapped'
  /** The backend refused the request for good (a 4xx other than 408/429). */
  | 'rejected'
  /** Every attempt failed with a transient error. */
  | 'exhausted'
  /** The worker holding it died or stalled more often than allowed. */
  | 'stalled';

export const DEAD_LETTER_KINDS: readonly DeadLetterKind[] = [
  'validation',
  'unmapped',
  'rejected',
  'exhausted',
  'stalled',
];

/** An error retrying cannot fix: the job goes to the dead letters at once, without further attempts. */
export class PermanentError extends UnrecoverableError {
  constructor(
    readonly kind: Exclude<DeadLetterKind, 'exhausted' | 'stalled'>,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

/**
 * The backend cannot take calls for a while (circuit open, 429 with Retry-After): the queue pauses for
 * `waitMs` and the job goes back to waiting without spending one of its attempts.
 */
export class WaitError extends Error {
  constructor(
    readonly waitMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'WaitError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
