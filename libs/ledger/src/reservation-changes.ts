import { createHash } from 'node:crypto';
import type { Channel } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import type { Catalog } from './catalog';
import type { Db } from './db';
import { type ChangeLinesOutcome, recordChanged, refuseShort, replayOf } from './hold-outcomes';
import { claimAndReadPool, type IdempotencyScope } from './idempotency-records';
import { lockOrder, move } from './journal';
import { LedgerError } from './ledger.error';
import { enforceHoldLimit, latestExpiry } from './reservation-limits';
import {
  canonicalJson,
  checkLocations,
  KeyTaken,
  lockReservation,
  MAX_PLAN_ATTEMPTS,
  notActive,
  RaceLost,
  type ReservationRow,
  type ReservationView,
  shortagesOf,
  toView,
  type TransitionOutcome,
  unitsOf,
} from './reservation-records';
import {
  mergeAllocations,
  type PlannedAllocation,
  type SourcingCandidate,
  type SourcingLine,
  type SourcingStrategy,
} from './sourcing.strategy';

export interface ExtendCommand {
  id: string;
  channel: string;
  ttlSeconds: number;
}

export interface ChangeLinesCommand {
  id: string;
  channel: string;
  lines: SourcingLine[];
  correlationId?: string | null;
  idempotency?: IdempotencyScope;
}

interface Deps {
  db: Db;
  catalog: Catalog;
}

async function channelOf(catalog: Catalog, code: string): Promise<Channel> {
  const channel = await catalog.channel(code);
  if (!channel) throw new LedgerError('unknown-channel', `Channel "${code}" does not exist.`);
  return channel;
}

/**
 * expiresAt becomes max(current, now + ttlSeconds); refused with `ttl-exceeds-maximum` when that would pass
 * createdAt + the channel's maxTtlSeconds. An extension that changes nothing succeeds unchanged, so
 * repeating one is harmless. One transaction, the reservation row locked: it cannot interleave with a
 * confirmation, a release or the sweeper.
 */
export async function extend(deps: Deps, cmd: ExtendCommand): Promise<TransitionOutcome> {
  const channel = await channelOf(deps.catalog, cmd.channel);
  return deps.db.tx(async (sql) => {
    const current = await lockReservation(sql, cmd.id, cmd.channel);
    if (current.status !== 'active' || current.due) throw notActive(current, 'extend');
    const wanted = new Date(Date.now() + cmd.ttlSeconds * 1000);
    if (wanted <= current.expires_at)
      return { reservation: toView(current), changed: false, changedSkus: [] };
    const latest = latestExpiry(channel.policy, current.created_at);
    if (wanted > latest) {
      throw new LedgerError(
        'ttl-exceeds-maximum',
        `Reservation "${cmd.id}" may not expire later than ${latest.toISOString()} ` +
          `(its creation + this channel's maximum of ${channel.policy.maxTtlSeconds} seconds).`,
        { maxTtlSeconds: channel.policy.maxTtlSeconds, latestExpiresAt: latest.toISOString() },
      );
    }
    await sql.query(`UPDATE reservations SET expires_at = $2, updated_at = now() WHERE id = $1`, [
      cmd.id,
      wanted,
    ]);
    return { reservation: toView({ ...current, expires_at: wanted }), changed: true, changedSkus: [] };
  });
}

export function changeLinesFingerprint(cmd: ChangeLinesCommand): string {
  const { channel, id, lines } = cmd;
  // The reservation is part of the request: one key on another reservation (or on creation) is a reuse.
  return createHash('sha256')
    .update(canonicalJson({ op: 'change-lines', channel, reservationId: id, lines }))
    .digest('hex');
}

/**
 * Replaces the lines of an active reservation, all or nothing, in one transaction: lines without a location
 * are sourced as on creation (preferring where the reservation holds the SKU already, and counting its own
 * units as available to it); per (SKU, location) an increase is held under the never-oversell guard, a
 * decrease returned, an unchanged quantity moves nothing; each move is journaled. The expiry stays. Short:
 * the `short` outcome with the shortages, nothing changed. With a key, the outcome is stored and replayed
 * like creation's.
 */
export async function changeLines(
  deps: Deps & { sourcing: SourcingStrategy },
  cmd: ChangeLinesCommand,
): Promise<ChangeLinesOutcome> {
  const channel = await channelOf(deps.catalog, cmd.channel);
  checkLocations(channel, cmd.lines);
  const print = cmd.idempotency ? changeLinesFingerprint(cmd) : '';
  const skus = [...new Set(cmd.lines.map((l) => l.sku))];

  for (let attempt = 1; ; attempt++) {
    const gaveUp = attempt > MAX_PLAN_ATTEMPTS;
    try {
      return await deps.db.tx(async (sql): Promise<ChangeLinesOutcome> => {
        const read = await claimAndReadPool(sql, cmd.idempotency, print, skus, channel.pool);
        if ('stored' in read) return replayOf(read.stored, 'changed');
        const current = await lockReservation(sql, cmd.id, cmd.channel);
        if (current.status !== 'active' || current.due) throw notActive(current, 'change');
        await enforceHoldLimit(sql, channel, current.holder, unitsOf(cmd.lines) - unitsOf(current.lines));
        const candidates = withOwnHolds(read.candidates, current);
        const plan = deps.sourcing.plan(cmd.lines, candidates);
        if (plan.ok && !gaveUp) {
          const applied = await applyLines(sql, current, plan.allocations, cmd.correlationId ?? null);
          if (cmd.idempotency) await recordChanged(sql, cmd.idempotency, print, applied.view);
          return {
            kind: 'changed',
            reservation: applied.view,
            replayed: false,
            changedSkus: applied.changedSkus,
          };
        }
        const shortages = shortagesOf(plan, cmd.lines, candidates);
        return refuseShort(sql, cmd.idempotency, print, cmd.id, shortages);
      });
    } catch (err) {
      // As on creation: a lost race for the last units or a twin's committed key; read again.
      if (err instanceof RaceLost || err instanceof KeyTaken) continue;
      throw err;
    }
  }
}

/**
 * The pool as this reservation sees it: what it holds counts as available to it (it gives that up in the
 * same transaction), and a location where it holds a SKU comes first, so that unchanged lines stay put.
 */
function withOwnHolds(
  candidates: Map<string, SourcingCandidate[]>,
  current: ReservationRow,
): Map<string, SourcingCandidate[]> {
  const own = new Map<string, number>();
  for (const l of current.lines)
    own.set(`${l.sku}|${l.location}`, (own.get(`${l.sku}|${l.location}`) ?? 0) + l.quantity);
  const first = Math.min(0, ...[...candidates.values()].flat().map((c) => c.priority)) - 1;
  const out = new Map<string, SourcingCandidate[]>();
  for (const [sku, list] of candidates) {
    out.set(
      sku,
      list.map((c) => {
        const held = own.get(`${sku}|${c.location}`) ?? 0;
        return held > 0 ? { location: c.location, priority: first, available: c.available + held } : c;
      }),
    );
  }
  return out;
}

/**
 * Moves the difference between the reservation's lines and the planned ones, in lock order (no deadlocks
 * with other reservations): increases with the never-oversell guard (RaceLost when a concurrent checkout
 * took the units first), decreases unconditionally. Then the lines are replaced.
 */
async function applyLines(
  sql: PoolClient,
  current: ReservationRow,
  planned: PlannedAllocation[],
  correlationId: string | null,
): Promise<{ view: ReservationView; changedSkus: string[] }> {
  const next = lockOrder(mergeAllocations(planned));
  const delta = new Map<string, { sku: string; location: string; quantity: number }>();
  const add = (sku: string, location: string, quantity: number) => {
    const k = `${sku}|${location}`;
    const d = delta.get(k) ?? { sku, location, quantity: 0 };
    d.quantity += quantity;
    delta.set(k, d);
  };
  for (const l of current.lines) add(l.sku, l.location, -l.quantity);
  for (const a of next) add(a.sku, a.location, a.quantity);
  const moves = lockOrder([...delta.values()].filter((d) => d.quantity !== 0));
  for (const d of moves) {
    const moved = await move(
      sql,
      {
        kind: d.quantity > 0 ? 'reserve' : 'release',
        sku: d.sku,
        location: d.location,
        deltas: { reserved: d.quantity },
        sourceSystem: 'platform',
        reservationId: current.id,
        correlationId,
      },
      d.quantity > 0 ? d.quantity : undefined,
    );
    if (!moved && d.quantity > 0) throw new RaceLost();
    if (!moved) throw new Error(`Stock level ${d.sku}@${d.location} of reservation ${current.id} is missing`);
  }
  await sql.query(`DELETE FROM reservation_lines WHERE reservation_id = $1`, [current.id]);
  await sql.query(
    `INSERT INTO reservation_lines (reservation_id, line_no, sku, location, quantity)
     SELECT $1::uuid, ord, sku, location, qty
     FROM unnest($2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS a(sku, location, qty, ord)`,
    [current.id, next.map((a) => a.sku), next.map((a) => a.location), next.map((a) => a.quantity)],
  );
  await sql.query(`UPDATE reservations SET updated_at = now() WHERE id = $1`, [current.id]);
  const lines = next.map((a, i) => ({
    sku: a.sku,
    location: a.location,
    quantity: a.quantity,
    line_no: i + 1,
  }));
  return {
    view: toView({ ...current, lines }),
    changedSkus: [...new Set(moves.map((d) => d.sku))],
  };
}
