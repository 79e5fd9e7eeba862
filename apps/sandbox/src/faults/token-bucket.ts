/**
 * A token bucket holding at most one second's worth of tokens, refilled continuously: `ratePerSecond`
 * requests per second on average, the same number at once after a quiet second.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSecond: number,
    now: number,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.tokens = ratePerSecond;
    this.last = now;
  }

  /** Takes a token if there is one; `now` in milliseconds, from any monotonic clock. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.ratePerSecond, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
