import type { Channel, ChannelPolicy } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import { LedgerError } from './ledger.error';

/**
 * The lifetime a new reservation gets: the requested TTL when it is within the channel's maximum; the
 * maximum when the TTL was the platform's default (a default never exceeds the channel's limit); otherwise
 * `ttl-exceeds-maximum`.
 */
export function creationTtl(policy: ChannelPolicy, ttlSeconds: number, isDefault: boolean): number {
  if (ttlSeconds <= policy.maxTtlSeconds) return ttlSeconds;
  if (isDefault) return policy.maxTtlSeconds;
  throw new LedgerError(
    'ttl-exceeds-maximum',
    `ttlSeconds ${ttlSeconds} exceeds this channel's maximum of ${policy.maxTtlSeconds} seconds.`,
    { maxTtlSeconds: policy.maxTtlSeconds },
  );
}

/** The latest expiry a reservation created at `createdAt` may have in this channel. */
export function latestExpiry(policy: ChannelPolicy, createdAt: Date): Date {
  return new Date(createdAt.getTime() + policy.maxTtlSeconds * 1000);
}

/**
 * Refuses (`hold-limit-exceeded`, nothing held) a hold of `requestedUnits` more units that would take the
 * holder past the channel's `maxHeldUnitsPerClient`. Without a limit or a holder it does nothing.
 *
 * Atomic: it takes a transaction-scoped advisory lock per (channel, holder) before counting, so every hold
 * of one client in one channel is decided one after the other, each seeing the units the previous one held
 * (the count is a new statement, so its snapshot follows the lock). The caller holds the units in the same
 * transaction. Releases, expiries and confirmations only lower the count and need no lock: a count that
 * races one of them is too high, never too low. A reservation past its expiry but not yet swept is not
 * counted.
 */
export async function enforceHoldLimit(
  sql: PoolClient,
  channel: Channel,
  holder: string | null,
  requestedUnits: number,
): Promise<void> {
  const max = channel.policy.maxHeldUnitsPerClient;
  if (max === null || holder === null || requestedUnits <= 0) return;
  await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `hold-limit\n${channel.code}\n${holder}`,
  ]);
  const res = await sql.query<{ units: string }>(
    `SELECT coalesce(sum(l.quantity), 0) AS units
     FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id
     WHERE r.channel = $1 AND r.holder = $2 AND r.status = 'active' AND r.expires_at > now()`,
    [channel.code, holder],
  );
  const held = Number(res.rows[0].units);
  if (held + requestedUnits > max) {
    throw new LedgerError(
      'hold-limit-exceeded',
      `Holding ${requestedUnits} more unit${requestedUnits === 1 ? '' : 's'} would take this client past ` +
        `channel "${channel.code}"'s limit of ${max} held units (it holds ${held}); nothing was held.`,
      { maxHeldUnits: max, heldUnits: held, requestedUnits },
    );
  }
}
