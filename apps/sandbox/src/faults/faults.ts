/** The stand-in backends; each has its own native API, schema and faults. */
export const BACKENDS = ['erp', 'wms', 'oms', 'marketplace'] as const;
export type Backend = (typeof BACKENDS)[number];

export function isBackend(value: string): value is Backend {
  return (BACKENDS as readonly string[]).includes(value);
}

/** What a backend does wrong, set at start (SANDBOX_FAULTS) or at run time (PUT /admin/faults/:backend). */
export interface Faults {
  /** Delay before a request that passes every other fault is handled. */
  latencyMs: number;
  /** Share of requests answered 500. */
  errorRate: number;
  /** Share of requests answered 429, on top of the rate limit. */
  tooManyRequestsRate: number;
  /** Retry-After of every 429. */
  retryAfterSeconds: number;
  /** Share of requests that hang (60 s or until the client gives up), then 504. */
  timeoutRate: number;
  /** Every request answered 503. */
  outage: boolean;
  /** Token bucket per backend; 0 turns it off. */
  rateLimitPerSecond: number;
  /**
   * The next N requests are answered 500, then the backend recovers by itself: a test can say "the ERP
   * errors twice first" without racing a second PUT. Counted down per answered request.
   */
  failNext: number;
}

export const NO_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  tooManyRequestsRate: 0,
  retryAfterSeconds: 1,
  timeoutRate: 0,
  outage: false,
  rateLimitPerSecond: 0,
  failNext: 0,
});

export function mergeFaults(current: Faults, patch: Partial<Faults>): Faults {
  const merged: Faults = { ...current };
  for (const key of Object.keys(NO_FAULTS) as (keyof Faults)[]) {
    const value = patch[key];
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}

export type FaultDecision =
  | { kind: 'outage' }
  | { kind: 'throttle'; retryAfterSeconds: number; reason: 'rate-limit' | 'random' }
  | { kind: 'timeout' }
  /** `fail-next`: one of the counted failures of `failNext` (the caller counts it down). */
  | { kind: 'error'; reason: 'fail-next' | 'random' }
  | { kind: 'proceed'; delayMs: number };

/**
 * Decides the fate of one native API request. The first matching fault wins, in this order: outage,
 * failNext, rate limit, random 429, timeout, error; a request that passes them all waits `latencyMs`.
 * `takeToken` is asked only when the rate limit is on and no outage or counted failure answered first.
 */
export function decideFault(
  faults: Faults,
  draws: { takeToken: () => boolean; random: () => number },
): FaultDecision {
  if (faults.outage) return { kind: 'outage' };
  // Before the rate limit: a counted failure is certain, and must not spend a token of the bucket.
  if (faults.failNext > 0) return { kind: 'error', reason: 'fail-next' };
  if (faults.rateLimitPerSecond > 0 && !draws.takeToken()) {
    return { kind: 'throttle', retryAfterSeconds: faults.retryAfterSeconds, reason: 'rate-limit' };
  }
  const hit = (rate: number) => rate > 0 && draws.random() < rate;
  if (hit(faults.tooManyRequestsRate))
    return { kind: 'throttle', retryAfterSeconds: faults.retryAfterSeconds, reason: 'random' };
  if (hit(faults.timeoutRate)) return { kind: 'timeout' };
  if (hit(faults.errorRate)) return { kind: 'error', reason: 'random' };
  return { kind: 'proceed', delayMs: faults.latencyMs };
}
