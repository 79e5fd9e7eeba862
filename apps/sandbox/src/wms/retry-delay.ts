const FIRST_MS = 250;
const CAP_MS = 10_000;

/** Wait before the next delivery attempt after `failedAttempts` failures: 250 ms, 500 ms, 1 s … capped at 10 s. */
export function retryDelayMs(failedAttempts: number): number {
  const doublings = Math.min(Math.max(failedAttempts - 1, 0), 16);
  return Math.min(CAP_MS, FIRST_MS * 2 ** doublings);
}
