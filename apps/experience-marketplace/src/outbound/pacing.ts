/**
 * Exponential backoff with jitter, as the platform's queues use it (BullMQ's `exponential` with `jitter: 0.5`):
 * `base · 2^(attempt − 1)`, capped at `max`, of which a random half is taken off at most.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (1 - 0.5 * random()));
}

/**
 * The marketplace's rate budget as the client keeps it: calls start at least `1000 / perSecond` ms apart (a
 * token bucket holding one token), and not at all while paused (a 429's Retry-After, a backoff after failures).
 * Every call to the marketplace takes its turn here, so that the client stays within the marketplace's rate
 * limit by itself instead of finding it with 429s.
 */
export class RateBudget {
  private nextAt = 0;
  private pausedUntil = 0;
  private readonly spacingMs: number;

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.spacingMs = 1000 / perSecond;
  }

  /** How long before a call may start. */
  waitMs(): number {
    const t = this.now();
    return Math.max(0, this.nextAt - t, this.pausedUntil - t);
  }

  /** True while paused: no call before then. */
  paused(): boolean {
    return this.pausedUntil > this.now();
  }

  /** Takes the next turn, waiting for it; false when `stopped` said to give up. */
  async take(stopped: () => boolean = () => false): Promise<boolean> {
    for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) {
      if (stopped()) return false;
      await sleep(Math.min(wait, 250));
    }
    if (stopped()) return false;
    this.nextAt = this.now() + this.spacingMs;
    return true;
  }

  /** No call for `ms` from now (never shortens a pause already running). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wakes a loop that waits for work: `wait` ends on `notify` or after its timeout, whichever comes first. */
export class Wakeup {
  private waiter: (() => void) | null = null;
  private notified = false;

  notify(): void {
    this.notified = true;
    this.waiter?.();
  }

  async wait(ms: number): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.waiter = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.waiter = null;
    this.notified = false;
  }
}
