import { Logger } from '@nestjs/common';
import { PermanentError, WaitError } from '@stockbridge/messaging';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  IsolatedCircuitError,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { BackendHttpError } from './backend-http';

export interface BackendGuardOptions {
  /** Budget of one call; below the queue's lock duration (docs/reliability.md#timeouts-stalls-and-shutdown). */
  timeoutMs: number;
  /** Quick retries of a transient failure inside one job attempt. */
  retries: number;
  /** Consecutive transient failures that open the circuit. */
  failuresToOpen: number;
  /** How long the circuit stays open before one probe call is let through. */
  halfOpenAfterMs: number;
  /** How long to wait while the backend refuses our credentials (401); 30 s when left out. */
  credentialsRetryMs?: number;
}

export const DEFAULT_GUARD: BackendGuardOptions = {
  timeoutMs: 5_000,
  retries: 2,
  failuresToOpen: 5,
  halfOpenAfterMs: 5_000,
};

/** A failure that may pass: 5xx, 408, timeouts, refused or reset connections. */
export function isTransient(err: unknown): boolean {
  if (err instanceof PermanentError || err instanceof WaitError) return false;
  if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) return false;
  if (err instanceof BackendHttpError) return err.status >= 500 || err.status === 408;
  return true;
}

/** The backend unavailable or failing; retried with the queue's backoff. */
export class BackendUnavailableError extends Error {
  constructor(backend: string, cause: unknown) {
    super(`${backend} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BackendUnavailableError';
  }
}

/**
 * Resilience toward one backend (cockatiel): a timeout per call, a couple of quick retries, and a circuit
 * breaker that only counts transient failures (a business 4xx never trips it). Its errors tell the job
 * what to do: while the circuit is open, after a 429, or while the backend refuses our credentials (401: a
 * configuration fault, the same for every message), a `WaitError` pauses the queue without spending the job's
 * attempts; another 4xx is a `PermanentError` (dead letter at once); anything else is retried later.
 */
export class BackendGuard {
  readonly breaker;
  private readonly policy;
  private readonly logger = new Logger(BackendGuard.name);
  private lastCredentialsWarning = 0;

  constructor(
    readonly backend: string,
    readonly options: BackendGuardOptions = DEFAULT_GUARD,
  ) {
    this.breaker = circuitBreaker(handleWhen(isTransient), {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.failuresToOpen),
    });
    const retries = retry(handleWhen(isTransient), {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1_000 }),
    });
    this.policy = wrap(retries, this.breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
  }

  get state(): 'closed' | 'open' | 'half-open' | 'isolated' {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.Open:
        return 'open';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Isolated:
        return 'isolated';
    }
  }

  async call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(({ signal }) => fn(signal));
    } catch (err) {
      throw this.translate(err);
    }
  }

  private translate(err: unknown): Error {
    if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
      return new WaitError(this.options.halfOpenAfterMs, `${this.backend} circuit open`);
    }
    if (err instanceof BackendHttpError && err.status === 429) {
      return new WaitError(err.retryAfterMs ?? 1_000, `${this.backend} rate limit (429)`);
    }
    if (err instanceof BackendHttpError && err.status === 401) {
      const waitMs = this.options.credentialsRetryMs ?? 30_000;
      // Once per pause, not per job: the operator has to fix the credential; nothing is dead-lettered.
      if (Date.now() - this.lastCredentialsWarning >= waitMs) {
        this.lastCredentialsWarning = Date.now();
        this.logger.error(
          `${err.message}: the ${this.backend} refuses our credentials; calls pause ${waitMs} ms at a time until they are fixed (BACKEND_AUTH)`,
        );
      }
      return new WaitError(waitMs, `${this.backend} refused our credentials (401)`);
    }
    if (err instanceof BackendHttpError && err.status >= 400 && err.status < 500 && err.status !== 408) {
      return new PermanentError('rejected', err.message, { status: err.status, body: err.body });
    }
    if (err instanceof PermanentError || err instanceof WaitError) return err;
    // Transient: if this failure opened the circuit, wait rather than burn the job's attempts.
    if (this.breaker.state === CircuitState.Open) {
      return new WaitError(this.options.halfOpenAfterMs, `${this.backend} unavailable, circuit opened`);
    }
    return new BackendUnavailableError(this.backend, err);
  }
}
