import { randomUUID, createHash } from 'node:crypto';
import type { Channel, GeoPoint, ReservationStatus, Shortage } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import type { Catalog } from './catalog';
import { envelope, faultPoint, writeOutbox } from '@stockbridge/messaging';
import { type Db, prepared } from './db';
import { lockOrder, move } from './journal';
import { LedgerError } from './ledger.error';
import {
  mergeAllocations,
  type PlannedAllocation,
  type SourcingCandidate,
  type SourcingLine,
  type SourcingStrategy,
} from './sourcing.strategy';

export interface ReserveCommand {
  channel: string;
  lines: SourcingLine[];
  ttlSeconds: number;
  reference?: string | null;
  /** Where the order ships to, when the checkout said (allocation prefers the nearest location). */
  shipTo?: GeoPoint | null;
  correlationId?: string | null;
  idempotency?: { principal: string; key: string; retentionHours: number };
}

/** The JSON shape the process API returns for a reservation; stored verbatim for idempotent replays. */
export interface ReservationView {
  id: string;
  channel: string;
  status: ReservationStatus;
  reference: string | null;
  expiresAt: string;
  createdAt: string;
  lines: { sku: string; quantity: number; location: string }[];
  /** Absent in responses stored before ship-to existed (idempotent replays return them verbatim). */
  shipTo: GeoPoint | null;
}

export interface InsufficientStockBody {
  code: 'insufficient-stock';
  shortages: Shortage[];
}

export type ReserveOutcome =
  | { status: 201; body: ReservationView; replayed: boolean; changedSkus: string[] }
  | { status: 409; body: InsufficientStockBody; replayed: boolean; changedSkus: string[] };

export interface TransitionOutcome {
  reservation: ReservationView;
  changed: boolean;
  changedSkus: string[];
}

const MAX_PLAN_ATTEMPTS = 5;

/** A planned line could not be held because a concurrent checkout took the stock first. */
class RaceLost extends Error {}

/** A twin request with the same idempotency key committed first; the retry replays its response. */
class KeyTaken extends Error {}

/** Canonical JSON of a value (keys sorted) so that equal requests hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
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

interface ReservationRow {
  id: string;
  channel: string;
  status: ReservationStatus;
  reference: string | null;
  expires_at: Date;
  created_at: Date;
  ship_to_latitude: number | null;
  ship_to_longitude: number | null;
  lines: { sku: string; quantity: number; location: string; line_no: number }[];
}

function toView(r: ReservationRow): ReservationView {
  return {
    id: r.id,
    channel: r.channel,
    status: r.status,
    reference: r.reference,
    expiresAt: r.expires_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    lines: [...r.lines]
      .sort((a, b) => a.line_no - b.line_no)
      .map((l) => ({ sku: l.sku, quantity: l.quantity, location: l.location })),
    shipTo:
      r.ship_to_latitude !== null && r.ship_to_longitude !== null
        ? { latitude: r.ship_to_latitude, longitude: r.ship_to_longitude }
        : null,
  };
}

const SELECT_RESERVATION = `
  SELECT r.id, r.channel, r.status, r.reference, r.expires_at, r.created_at, r.ship_to_latitude, r.ship_to_longitude,
    (SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'location', l.location, 'line_no', l.line_no))
       FROM reservation_lines l WHERE l.reservation_id = r.id) AS lines
  FROM reservations r`;

/**
 * Reservation operations. Each runs in one transaction: the state change of the reservation, the stock
 * movements with their journal entries and the idempotency record commit together or not at all.
 */
export class Reservations {
  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
    private readonly sourcing: SourcingStrategy,
  ) {}

  async reserve(cmd: ReserveCommand): Promise<ReserveOutcome> {
    const channel = await this.catalog.channel(cmd.channel);
    if (!channel) throw new LedgerError('unknown-channel', `Channel "${cmd.channel}" does not exist.`);
    this.checkLocations(channel, cmd.lines);
    const print = cmd.idempotency ? fingerprint(cmd) : '';
    const skus = [...new Set(cmd.lines.map((l) => l.sku))];
    const poolLocations = channel.pool.map((p) => p.location);
    const priority = new Map(channel.pool.map((p) => [p.location, p.priority]));

    for (let attempt = 1; ; attempt++) {
      const gaveUp = attempt > MAX_PLAN_ATTEMPTS;
      try {
        return await this.db.tx(async (sql) => {
          const read = await this.read(sql, cmd, print, skus, poolLocations, priority);
          if ('replay' in read) return read.replay;
          const plan = this.sourcing.plan(cmd.lines, read.candidates);
          if (plan.ok && !gaveUp) {
            const view = await this.hold(sql, cmd, print, plan.allocations);
            return { status: 201, body: view, replayed: false, changedSkus: skus } as const;
          }
          // Short — or still losing races after several attempts (the stock is going as we look): refuse
          // with what the pool holds now.
          const shortages = plan.ok ? pooledShortages(cmd.lines, read.candidates) : plan.shortages;
          const body: InsufficientStockBody = { code: 'insufficient-stock', shortages };
          if (cmd.idempotency) await this.storeRefusal(sql, cmd, print, body);
          return { status: 409, body, replayed: false, changedSkus: [] } as const;
        });
      } catch (err) {
        // RaceLost: another checkout took the stock between our read and our update. KeyTaken: a twin with
        // the same key committed first. Either way the transaction rolled back whole; read again.
        if (err instanceof RaceLost || err instanceof KeyTaken) continue;
        throw err;
      }
    }
  }

  private checkLocations(channel: Channel, lines: SourcingLine[]): void {
    const pool = new Set(channel.pool.map((p) => p.location));
    const outside = [
      ...new Set(lines.filter((l) => l.location && !pool.has(l.location)).map((l) => l.location)),
    ];
    if (outside.length > 0) {
      throw new LedgerError(
        'location-not-in-channel',
        `Location ${outside.map((l) => `"${l}"`).join(', ')} is not in channel "${channel.code}"'s location pool.`,
        { locations: outside },
      );
    }
  }

  /**
   * One statement: takes the transaction-scoped advisory lock of the idempotency key (a concurrent twin gets
   * `idempotency-key-in-flight`), looks up a stored response to replay, and reads what each SKU has at each
   * location of the pool. A twin that committed after this statement's snapshot is caught when our own
   * record cannot be written (KeyTaken).
   */
  private async read(
    sql: PoolClient,
    cmd: ReserveCommand,
    print: string,
    skus: string[],
    poolLocations: string[],
    priority: Map<string, number>,
  ): Promise<{ replay: ReserveOutcome } | { candidates: Map<string, SourcingCandidate[]> }> {
    const res = await sql.query<{
      locked: boolean;
      fingerprint: string | null;
      response_status: number | null;
      response_body: string | null;
      sku: string | null;
      location: string | null;
      available: string | null;
    }>(
      prepared(
        `WITH claim AS MATERIALIZED (
           SELECT CASE WHEN $3::text IS NULL THEN true
                       ELSE pg_try_advisory_xact_lock(hashtextextended($3 || E'\\n' || $4, 0)) END AS locked,
                  r.fingerprint, r.response_status, r.response_body
           FROM (SELECT 1) one
           LEFT JOIN idempotency_records r
             ON $3::text IS NOT NULL AND r.principal = $3 AND r.idempotency_key = $4 AND r.expires_at > now()
         )
         SELECT claim.*, k.sku, s.location,
           (s.on_hand - s.reserved - s.allocated - s.damaged - s.quality_control - s.safety_stock) AS available
         FROM claim
         LEFT JOIN skus k ON k.sku = ANY($1::text[])
         LEFT JOIN stock_levels s ON s.sku = k.sku AND s.location = ANY($2::text[])`,
        [skus, poolLocations, cmd.idempotency?.principal ?? null, cmd.idempotency?.key ?? null],
      ),
    );
    const claim = res.rows[0];
    if (!claim.locked) {
      throw new LedgerError(
        'idempotency-key-in-flight',
        'A request with this Idempotency-Key is still being processed; retry shortly.',
      );
    }
    if (claim.fingerprint !== null) {
      if (claim.fingerprint !== print) {
        throw new LedgerError(
          'idempotency-key-reused',
          'This Idempotency-Key was already used with a different request body.',
        );
      }
      const body = JSON.parse(claim.response_body as string) as ReservationView | InsufficientStockBody;
      const replay: ReserveOutcome =
        claim.response_status === 201
          ? { status: 201, body: body as ReservationView, replayed: true, changedSkus: [] }
          : { status: 409, body: body as InsufficientStockBody, replayed: true, changedSkus: [] };
      return { replay };
    }
    const known = new Set(res.rows.filter((r) => r.sku !== null).map((r) => r.sku as string));
    const unknown = skus.filter((s) => !known.has(s));
    if (unknown.length > 0) {
      throw new LedgerError('unknown-sku', `Unknown SKU ${unknown.map((s) => `"${s}"`).join(', ')}.`, {
        skus: unknown,
      });
    }
    const candidates = new Map<string, SourcingCandidate[]>(skus.map((sku) => [sku, []]));
    for (const r of res.rows) {
      if (r.sku === null || r.location === null) continue;
      candidates.get(r.sku)!.push({
        location: r.location,
        priority: priority.get(r.location) ?? 1000,
        available: Math.max(0, Number(r.available)),
      });
    }
    return { candidates };
  }

  private async storeRefusal(
    sql: PoolClient,
    cmd: ReserveCommand,
    print: string,
    body: InsufficientStockBody,
  ): Promise<void> {
    const idem = cmd.idempotency!;
    const res = await sql.query(
      `INSERT INTO idempotency_records (principal, idempotency_key, fingerprint, response_status, response_body, resource_id, expires_at)
       VALUES ($1, $2, $3, 409, $4, NULL, now() + make_interval(hours => $5::int))
       ON CONFLICT (principal, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
         response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
         resource_id = EXCLUDED.resource_id, created_at = now(), expires_at = EXCLUDED.expires_at
       WHERE idempotency_records.expires_at <= now()`,
      [idem.principal, idem.key, print, JSON.stringify(body), idem.retentionHours],
    );
    if (res.rowCount === 0) throw new KeyTaken();
  }

  /**
   * Holds every allocation and writes the reservation, its lines, their journal entries and (with a key)
   * the idempotency record, in one statement: each stock row is updated only if its available-to-sell
   * covers the quantity, and the rest is written only if every row was. Throws RaceLost when a row could
   * no longer be held, KeyTaken when a twin's record appeared; the caller's transaction then rolls back.
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
             AND (s.on_hand - s.reserved - s.allocated - s.damaged - s.quality_control - s.safety_stock) >= a.qty
           RETURNING s.sku, s.location, s.version, a.qty
         ), ok AS (
           SELECT count(*) = $4::int AS held FROM upd
         ), mv AS (
           INSERT INTO stock_movements (movement_type, sku, location, d_reserved, level_version, source_system,
             reservation_id, correlation_id, occurred_at)
           SELECT 'reserve', sku, location, qty, version, 'platform', $5::uuid, $8, $9::timestamptz FROM upd
         ), r AS (
           INSERT INTO reservations (id, channel, status, reference, expires_at, created_at, updated_at, correlation_id,
             ship_to_latitude, ship_to_longitude)
           SELECT $5::uuid, $6, 'active', $7, $10::timestamptz, $9::timestamptz, $9::timestamptz, $8,
             $16::float8, $17::float8 WHERE (SELECT held FROM ok)
         ), l AS (
           INSERT INTO reservation_lines (reservation_id, line_no, sku, location, quantity)
           SELECT $5::uuid, ord, sku, location, qty FROM a WHERE (SELECT held FROM ok)
         ), i AS (
           INSERT INTO idempotency_records (principal, idempotency_key, fingerprint, response_status, response_body, resource_id, expires_at)
           SELECT $11, $12, $13, 201, $14, $5::uuid, now() + make_interval(hours => $15::int)
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
      const current = await this.lock(sql, id, channel);
      if (current.status === 'confirmed')
        return { reservation: toView(current), changed: false, changedSkus: [] };
      // Past its expiry but not yet swept: it is expired for every purpose; the sweeper returns the stock.
      if (current.status === 'active' && current.due) throw notActive({ id, status: 'expired' }, 'confirm');
      if (current.status !== 'active') throw notActive(current, 'confirm');
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
    if (out.changed) faultPoint('reservation.after-confirm-commit');
    return out;
  }

  /** active → released; the stock returns at once. Releasing a released reservation succeeds unchanged. */
  async release(id: string, channel: string): Promise<TransitionOutcome> {
    return this.db.tx(async (sql) => {
      const current = await this.lock(sql, id, channel);
      if (current.status === 'released')
        return { reservation: toView(current), changed: false, changedSkus: [] };
      if (current.status !== 'active') throw notActive(current, 'release');
      const released = await this.endWithRelease(sql, current, 'released');
      return { reservation: released, changed: true, changedSkus: skusOf(current) };
    });
  }

  /** Expires due reservations, `limit` at a time; safe to run on every replica at once (SKIP LOCKED). */
  async expireDue(limit = 100): Promise<{ expired: string[]; changedSkus: string[] }> {
    return this.db.tx(async (sql) => {
      const due = await sql.query<ReservationRow>(
        `${SELECT_RESERVATION} WHERE r.id IN (
           SELECT id FROM reservations WHERE status = 'active' AND expires_at <= now()
           ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`,
        [limit],
      );
      if (due.rows.length === 0) return { expired: [], changedSkus: [] };
      await sql.query(
        `UPDATE reservations SET status = 'expired', updated_at = now(), ended_at = now() WHERE id = ANY($1::uuid[]) AND status = 'active'`,
        [due.rows.map((r) => r.id)],
      );
      const moves = lockOrder(due.rows.flatMap((r) => r.lines.map((l) => ({ ...l, reservationId: r.id }))));
      for (const m of moves)
        await this.returnStock(sql, m.sku, m.location, m.quantity, m.reservationId, 'expire');
      return { expired: due.rows.map((r) => r.id), changedSkus: [...new Set(moves.map((m) => m.sku))] };
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

  private async lock(
    sql: PoolClient,
    id: string,
    channel: string,
  ): Promise<ReservationRow & { due: boolean }> {
    const res = await sql.query<ReservationRow & { due: boolean }>(
      `${SELECT_RESERVATION.replace('FROM reservations r', ', r.expires_at <= now() AS due FROM reservations r')}
       WHERE r.id = $1 AND r.channel = $2 FOR UPDATE OF r`,
      [id, channel],
    );
    if (res.rows.length === 0) throw notFound(id);
    return res.rows[0];
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

function pooledShortages(lines: SourcingLine[], candidates: Map<string, SourcingCandidate[]>): Shortage[] {
  const requested = new Map<string, number>();
  for (const l of lines) requested.set(l.sku, (requested.get(l.sku) ?? 0) + l.quantity);
  return [...requested].map(([sku, qty]) => ({
    sku,
    requested: qty,
    available: (candidates.get(sku) ?? []).reduce((sum, c) => sum + c.available, 0),
  }));
}

function skusOf(r: ReservationRow): string[] {
  return [...new Set(r.lines.map((l) => l.sku))];
}

function notFound(id: string): LedgerError {
  return new LedgerError('reservation-not-found', `Reservation "${id}" does not exist.`);
}

function notActive(r: { id: string; status: ReservationStatus }, action: 'confirm' | 'release'): LedgerError {
  return new LedgerError(
    'reservation-not-active',
    `Reservation "${r.id}" is ${r.status} and cannot be ${action === 'confirm' ? 'confirmed' : 'released'}.`,
    { reservationStatus: r.status },
  );
}
