/**
 * Crash hooks for the chaos tests (docs/reliability.md#failure-scenarios, scenarios 12 and 25): when SB_FAULT_POINTS names a point, the
 * process kills itself there with SIGKILL — no cleanup, exactly like a power cut. Unset in production.
 */
const armed = new Set(
  (process.env.SB_FAULT_POINTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export type FaultPoint =
  'outbox.before-publish' | 'outbox.after-publish' | 'reservation.after-confirm-commit';

export function faultPoint(point: FaultPoint): void {
  if (armed.size > 0 && armed.has(point)) process.kill(process.pid, 'SIGKILL');
}
