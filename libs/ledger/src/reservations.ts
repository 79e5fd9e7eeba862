import { randomUUID, createHash } from 'node:crypto';
import type { GeoPoint } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import type { Catalog } from './catalog';
import { envelope, writeOutbox } from '@stockbridge/messaging';
import { type Db, prepared } from './db';
import {
  type ChangeLinesOutcome,
  RECORDED_STATUS,
  refuseShort,
  replayOf,
  type ReserveOutcome,
} from './hold-outcomes';
import { claimAndReadPool, type IdempotencyScope } from './idempotency-records';
import { lockOrder, move } from './journal';
import { type LedgerFaults, NoLedgerFaults } from './ledger-faults';
import { LedgerError } from './ledger.error';
import { collect } from './reservation-collect';
import { changeLines, type ChangeLinesCommand, extend, type ExtendCommand } from './reservation-changes';
import { creationTtl, enforceHoldLimit } from './reservation-limits';
import {
  canonicalJson,
  checkLocations,
  KeyTaken,
  lockReservation,
  MAX_PLAN_ATTEMPTS,
  notActive,
  notFound,
  RaceLost,
  readReservations,
  type ReservationRow,
  type ReservationView,
  SELECT_RESERVATION,
  shortagesOf,
  skusOf,
  toView,
  type TransitionOutcome,
  unitsOf,
} from './reservation-records';
import { AVAILABLE_SQL } from './rows';
import {
  mergeAllocations,
  type PlannedAllocation,
  type SourcingLine,
  type SourcingStrategy,
} from './sourcing.strategy';

export { canonicalJson } from './reservation-records';
export type { ReservationView, TransitionOutcome } from './reservation-records';
export type {
  ChangedOutcome,
  ChangeLinesOutcome,
  HeldOutcome,
  ReserveOutcome,
  ShortOutcome,
} from './hold-outcomes';
export type { ChangeLinesCommand, ExtendCommand } from './reservation-changes';
export type { IdempotencyScope } from './idempotency-records';

export interface ReserveCommand {
  channel: string;
  lines: SourcingLine[];
  /** Requested lifetime; beyond the channel's maxTtlSeconds it is refused, unless `ttlIsDefault`. */
  ttlSeconds: number;
  /** The TTL is the platform's default, not the caller's: it is lowered to the channel's maximum. */
  ttlIsDefault?: boolean;
  reference?: string | null;
  /** Where the order ships to, when the checkout said (allocation prefers the nearest location). */
  shipTo?: GeoPoint | null;
  correlationId?: string | null;
  /** Who holds the reservation (the API client's principal); the channel's per-client limit counts by it. */
  holder?: string | null;
  idempotency?: IdempotencyScope;
}

export function fingerprint(cmd: ReserveCommand): string {
  const { channel, lines, ttlSeconds, reference } = cmd;
  // shipTo only when given: canonicalJson drops undefined, so fingerprints of requests without it are unchanged.
  const shipTo = cmd.shipTo ? { latitude: cmd.shipTo.latitude, longitude: cmd.shipTo.longitude } : undefined;
  return createHash('sha256')
    .update(
      canonicalJson({ op: 'reserve', channel, lines, ttlSeconds, reference: reference ?? null, shipTo }),
    )
    .digest('hex');
}

/**
 * Reservation operations. Each runs in one transaction: the state change of the reservation, the stock
 * movements with their journal entries and the idempotency record commit together or not at all.
 */
export class Reservations {
  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
    private readonly sourcing: SourcingStrategy,
    private readonly faults: LedgerFaults = new NoLedgerFaults(),
  ) {}

  /**
   * Holds every line or none: `held` with the new reservation, or `short` with what the pool lacks (nothing
   * held). With a key, the outcome is stored in the same transaction and a repeat replays it.
   */
  async reserve(cmd: ReserveCommand): Promise<ReserveOutcome> {
    const channel = await this.catalog.channel(cmd.channel);
    if (!channel) throw new LedgerError('unknown-channel', `Channel "${cmd.channel}" does not exist.`);
    checkLocations(channel, cmd.lines);
    const print = cmd.idempotency ? fingerprint(cmd) : '';
    const skus = [...new Set(cmd.lines.map((l) => l.sku))];

    for (let attempt = 1; ; attempt++) {
      const gaveUp = attempt > MAX_PLAN_ATTEMPTS;
      try {
        return await this.db.tx(async (sql) => {
          const read = await claimAndReadPool(sql, cmd.idempotency, print, skus, channel.pool);
          if ('stored' in read) return replayOf(read.stored, 'held');
          // After the replay: a stored outcome stands even when the channel's limits changed since.
          const ttlSeconds = creationTtl(channel.policy, cmd.ttlSeconds, cmd.ttlIsDefault ?? false);
          await enforceHoldLimit(sql, channel, cmd.holder ?? null, unitsOf(cmd.lines));
          const plan = this.sourcing.plan(cmd.lines, read.candidates);
          if (plan.ok && !gaveUp) {
            const view = await this.hold(sql, { ...cmd, ttlSeconds }, print, plan.allocations);
            return { kind: 'held', reservation: view, replayed: false, changedSkus: skus } as const;
          }
          // Short — or still losing races after several attempts: refuse with what the pool holds now.
          const shortages = shortagesOf(plan, cmd.lines, read.candidates);
          return refuseShort(sql, cmd.idempotency, print, null, shortages);
        });
      } catch (err) {
        // RaceLost: another checkout took the stock between our read and our update. KeyTaken: a twin with
        // the same key committed first. Either way the transaction rolled back whole; read again.
        if (err instanceof RaceLost || err instanceof KeyTaken) continue;
        throw err;
      }
    }
  }

  /**
   * Moves an active reservation's expiry to max(current expiry, now + ttlSeconds), never past its creation
   * + the channel's maxTtlSeconds. Stock does not move.
   */
  async extend(cmd: ExtendCommand): Promise<TransitionOutcome> {
    return extend({ db: this.db, catalog: this.catalog }, cmd);
  }

  /**
   * Replaces an active reservation's lines, all or nothing: per (SKU, location) the difference is held under
   * the never-oversell guard or returned, journaled; the expiry stays. Idempotent with a key.
   */
  async changeLines(cmd: ChangeLinesCommand): Promise<ChangeLinesOutcome> {
    return changeLines({ db: this.db, catalog: this.catalog, sourcing: this.sourcing }, cmd);
  }

  /**
   * Holds every allocation and writes the reservation, its lines, their journal entries and (with a key)
   * the idempotency record, in one statement: each stock row is updated only if its available-to-sell
   * covers the quantity, and the rest is written only if every row was. Besides `move` (journal.ts), the
   * only statement that changes stock quantities: it does for many lines at once what `move` does for one.
   * Throws RaceLost when a row could no longer be held, KeyTaken when a twin's record appeared; the
   * caller's transaction then rolls back.
   */
  private async hold(
    sql: PoolClient,
    cmd: ReserveCommand,
    print: string,
    planned: PlannedAllocation[],
  ): Promise<ReservationView> {
    const allocations = lockOrder(mergeAllocations(planned));
    if (allocations.length > 1) {
      // Lock the rows in the one global order first: an UPDATE … FROM does not promise an order.
      await sql.query(
        `SELECT 1 FROM stock_levels WHERE (sku, location) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         ORDER BY sku COLLATE "C", location COLLATE "C" FOR UPDATE`,
        [allocations.map((a) => a.sku), allocations.map((a) => a.location)],
      );
    }
    const id = randomUUID();
    const createdAt = new Date();
    const view: ReservationView = {
      id,
      channel: cmd.channel,
      status: 'active',
      reference: cmd.reference ?? null,
      expiresAt: new Date(createdAt.getTime() + cmd.ttlSeconds * 1000).toISOString(),
      createdAt: createdAt.toISOString(),
      lines: allocations.map((a) => ({ sku: a.sku, quantity: a.quantity, location: a.location })),
      shipTo: cmd.shipTo ? { latitude: cmd.shipTo.latitude, longitude: cmd.shipTo.longitude } : null,
    };
    const idem = cmd.idempotency;
    const res = await sql.query<{ held: boolean; recorded: number }>(
      prepared(
        `WITH a AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS a(sku, location, qty, ord)
         ), upd AS (
           UPDATE stock_levels s SET reserved = s.reserved + a.qty, version = s.version + 1, updated_at = now()
           FROM a
           WHERE s.sku = a.sku AND s.location = a.location
             AND ${AVAILABLE_SQL} >= a.qty
           RETURNING s.sku, s.location, s.version, a.qty
         ), ok AS (
           SELECT count(*) = $4::int AS held FROM upd
         ), mv AS (
           INSERT INTO stock_movements (movement_type, sku, location, d_reserved, level_version, source_system,
             reservation_id, correlation_id, occurred_at)
           SELECT 'reserve', sku, location, qty, version, 'platform', $5::uuid, $8, $9::timestamptz FROM upd
         ), r AS (
           INSERT INTO reservations (id, channel, status, reference, expires_at, created_at, updated_at, correlation_id,
             ship_to_latitude, ship_to_longitude, holder)
           SELECT $5::uuid, $6, 'active', $7, $10::timestamptz, $9::timestamptz, $9::timestamptz, $8,
             $16::float8, $17::float8, $18 WHERE (SELECT held FROM ok)
         ), l AS (
           INSERT INTO reservation_lines (reservation_id, line_no, sku, location, quantity)
           SELECT $5::uuid, ord, sku, location, qty FROM a WHERE (SELECT held FROM ok)
         ), i AS (
           INSERT INTO idempotency_records (principal, idempotency_key, fingerprint, response_status, response_body, resource_id, expires_at)
           SELECT $11, $12, $13, ${RECORDED_STATUS.held}, $14, $5::uuid, now() + make_interval(hours => $15::int)
           WHERE $11::text IS NOT NULL AND (SELECT held FROM ok)
           ON CONFLICT (principal, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
             response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
             resource_id = EXCLUDED.resource_id, created_at = now(), expires_at = EXCLUDED.expires_at
           WHERE idempotency_records.expires_at <= now()
           RETURNING 1
         )
         SELECT (SELECT held FROM ok) AS held, (SELECT count(*) FROM i)::int AS recorded`,
        [
          allocations.map((a) => a.sku),
          allocations.map((a) => a.location),
          allocations.map((a) => a.quantity),
          allocations.length,
          id,
          cmd.channel,
          cmd.reference ?? null,
          cmd.correlationId ?? null,
          view.createdAt,
          view.expiresAt,
          idem?.principal ?? null,
          idem?.key ?? null,
          print,
          JSON.stringify(view),
          idem?.retentionHours ?? 24,
          view.shipTo?.latitude ?? null,
          view.shipTo?.longitude ?? null,
          cmd.holder ?? null,
        ],
      ),
    );
    if (!res.rows[0].held) throw new RaceLost();
    if (idem && res.rows[0].recorded === 0) throw new KeyTaken();
    return view;
  }

  async get(id: string, channel: string): Promise<ReservationView> {
    const res = await this.db.query<ReservationRow>(
      `${SELECT_RESERVATION} WHERE r.id = $1 AND r.channel = $2`,
      [id, channel],
    );
    if (res.rows.length === 0) throw notFound(id);
    return toView(res.rows[0]);
  }

  /**
   * active → confirmed, with the `reservation.confirmed` event written to the outbox in the same
   * transaction (the OMS and the ERP hear of it through the relay). Confirming a confirmed reservation
   * changes nothing, writes no event and succeeds.
   */
  async confirm(id: string, channel: string, correlationId?: string | null): Promise<TransitionOutcome> {
    const out = await this.db.tx(async (sql) => {
      const current = await lockReservation(sql, id, channel);
      if (current.status === 'confirmed')
        return { reservation: toView(current), changed: false, changedSkus: [] };
      // Past its expiry but not yet swept: it is expired for every purpose; the sweeper returns the stock.
      if (current.status !== 'active' || current.due) throw notActive(current, 'confirm');
      const updated = await sql.query<{ updated_at: Date; correlation_id: string | null }>(
        `UPDATE reservations SET status = 'confirmed', updated_at = now() WHERE id = $1 RETURNING updated_at, correlation_id`,
        [id],
      );
      const view = toView({ ...current, status: 'confirmed' });
      const { updated_at: confirmedAt, correlation_id: created } = updated.rows[0];
      await writeOutbox(sql, [
        envelope(
          'reservation.confirmed',
          {
            reservationId: id,
            channel: view.channel,
            reference: view.reference,
            lines: view.lines.map((l) => ({ sku: l.sku, location: l.location, quantity: l.quantity })),
            confirmedAt: confirmedAt.toISOString(),
            shipTo: view.shipTo,
          },
          {
            source: 'process-reservations',
            partitionKey: id,
            correlationId: correlationId ?? created,
            occurredAt: confirmedAt,
          },
        ),
      ]);
      return { reservation: view, changed: true, changedSkus: [] };
    });
    if (out.changed) this.faults.reached('reservation.after-confirm-commit');
    return out;
  }

  /** active → released; the stock returns at once. Releasing a released reservation succeeds unchanged. */
  async release(id: string, channel: string): Promise<TransitionOutcome> {
    return this.db.tx(async (sql) => {
      const current = await lockReservation(sql, id, channel);
      if (current.status === 'released')
        return { reservation: toView(current), changed: false, changedSkus: [] };
      if (current.status !== 'active') throw notActive(current, 'release');
      const released = await this.endWithRelease(sql, current, 'released');
      return { reservation: released, changed: true, changedSkus: skusOf(current) };
    });
  }

  /**
   * active → collected: the units leave the store (reserved and on hand), journaled; idempotent
   * (reservation-collect.ts).
   */
  async collect(id: string, channel: string, correlationId?: string | null): Promise<TransitionOutcome> {
    return collect(this.db, id, channel, correlationId ?? null);
  }

  /** Expires due reservations, `limit` at a time; safe to run on every replica at once (SKIP LOCKED). */
  async expireDue(limit = 100): Promise<{ expired: string[]; changedSkus: string[] }> {
    return this.db.tx(async (sql) => {
      const claimed = await sql.query<{ id: string }>(
        `SELECT id FROM reservations WHERE status = 'active' AND expires_at <= now()
         ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (claimed.rows.length === 0) return { expired: [], changedSkus: [] };
      // The lines are read once the rows are locked (see lockReservation): a change committed meanwhile counts.
      const due = (
        await readReservations(
          sql,
          claimed.rows.map((r) => r.id),
        )
      ).filter((r) => r.status === 'active');
      await sql.query(
        `UPDATE reservations SET status = 'expired', updated_at = now(), ended_at = now() WHERE id = ANY($1::uuid[]) AND status = 'active'`,
        [due.map((r) => r.id)],
      );
      const moves = lockOrder(due.flatMap((r) => r.lines.map((l) => ({ ...l, reservationId: r.id }))));
      for (const m of moves)
        await this.returnStock(sql, m.sku, m.location, m.quantity, m.reservationId, 'expire');
      return { expired: due.map((r) => r.id), changedSkus: [...new Set(moves.map((m) => m.sku))] };
    });
  }

  /** Deletes idempotency records past their retention, `limit` at a time. */
  async purgeIdempotencyRecords(limit = 1000): Promise<number> {
    const res = await this.db.query(
      `DELETE FROM idempotency_records WHERE ctid IN (
         SELECT ctid FROM idempotency_records WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      [limit],
    );
    return res.rowCount ?? 0;
  }

  private async endWithRelease(
    sql: PoolClient,
    current: ReservationRow,
    status: 'released' | 'expired',
  ): Promise<ReservationView> {
    await sql.query(
      `UPDATE reservations SET status = $2, updated_at = now(), ended_at = now() WHERE id = $1`,
      [current.id, status],
    );
    for (const l of lockOrder(current.lines)) {
      await this.returnStock(
        sql,
        l.sku,
        l.location,
        l.quantity,
        current.id,
        status === 'released' ? 'release' : 'expire',
      );
    }
    return toView({ ...current, status });
  }

  private async returnStock(
    sql: PoolClient,
    sku: string,
    location: string,
    quantity: number,
    reservationId: string,
    kind: 'release' | 'expire',
  ) {
    const moved = await move(sql, {
      kind,
      sku,
      location,
      deltas: { reserved: -quantity },
      sourceSystem: 'platform',
      reservationId,
    });
    if (!moved) throw new Error(`Stock level ${sku}@${location} of reservation ${reservationId} is missing`);
  }
}
