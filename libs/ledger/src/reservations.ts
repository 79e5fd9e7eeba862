import { randomUUID, createHash } from 'node:crypto';
import type { Channel, ReservationStatus, Shortage } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import type { Catalog } from './catalog';
import type { Db } from './db';
import { lockOrder, move } from './journal';
import { LedgerError } from './ledger.error';
import type { PlannedAllocation, SourcingCandidate, SourcingLine, SourcingStrategy } from './sourcing.strategy';

export interface ReserveCommand {
  channel: string;
  lines: SourcingLine[];
  ttlSeconds: number;
  reference?: string | null;
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
  return createHash('sha256')
    .update(canonicalJson({ op: 'reserve', channel, lines, ttlSeconds, reference: reference ?? null }))
    .digest('hex');
}

interface ReservationRow {
  id: string;
  channel: string;
  status: ReservationStatus;
  reference: string | null;
  expires_at: Date;
  created_at: Date;
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
  };
}

const SELECT_RESERVATION = `
  SELECT r.id, r.channel, r.status, r.reference, r.expires_at, r.created_at,
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
          if (cmd.idempotency) {
            const replay = await this.claimKey(sql, cmd.idempotency.principal, cmd.idempotency.key, print);
            if (replay) return replay;
          }
          const candidates = await this.candidates(sql, skus, poolLocations, priority);
          const plan = this.sourcing.plan(cmd.lines, candidates);
          if (plan.ok && !gaveUp) {
            const view = await this.hold(sql, cmd, print, plan.allocations);
            return { status: 201, body: view, replayed: false, changedSkus: skus } as const;
          }
          // Short — or still losing races after several attempts (the stock is going as we look): refuse
          // with what the pool holds now.
          const shortages = plan.ok ? pooledShortages(cmd.lines, candidates) : plan.shortages;
          const body: InsufficientStockBody = { code: 'insufficient-stock', shortages };
          if (cmd.idempotency) await this.storeRefusal(sql, cmd, print, body);
          return { status: 409, body, replayed: false, changedSkus: [] } as const;
        });
      } catch (err) {
        // Another checkout took the stock between our read and our update: the transaction rolled back
        // whole (reservation, idempotency record, any held line); read again and re-plan.
        if (err instanceof RaceLost) continue;
        throw err;
      }
    }
  }

  private checkLocations(channel: Channel, lines: SourcingLine[]): void {
    const pool = new Set(channel.pool.map((p) => p.location));
    const outside = [...new Set(lines.filter((l) => l.location && !pool.has(l.location)).map((l) => l.location))];
    if (outside.length > 0) {
      throw new LedgerError(
        'location-not-in-channel',
        `Location ${outside.map((l) => `"${l}"`).join(', ')} is not in channel "${channel.code}"'s location pool.`,
        { locations: outside },
      );
    }
  }

  /**
   * Serialises requests that share an idempotency key. Returns the stored outcome to replay, or null when
   * this request is the first and should execute. The advisory lock is held until this transaction ends.
   */
  private async claimKey(sql: PoolClient, principal: string, key: string, print: string): Promise<ReserveOutcome | null> {
    const res = await sql.query<{ locked: boolean; fingerprint: string | null; response_status: number | null; response_body: string | null }>(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1 || E'\\n' || $2, 0)) AS locked,
              r.fingerprint, r.response_status, r.response_body
       FROM (SELECT 1) one
       LEFT JOIN idempotency_records r ON r.principal = $1 AND r.idempotency_key = $2 AND r.expires_at > now()`,
      [principal, key],
    );
    const row = res.rows[0];
    if (!row.locked) {
      throw new LedgerError('idempotency-key-in-flight', 'A request with this Idempotency-Key is still being processed; retry shortly.');
    }
    if (row.fingerprint === null) return null;
    if (row.fingerprint !== print) {
      throw new LedgerError('idempotency-key-reused', 'This Idempotency-Key was already used with a different request body.');
    }
    const body = JSON.parse(row.response_body as string) as ReservationView | InsufficientStockBody;
    return row.response_status === 201
      ? { status: 201, body: body as ReservationView, replayed: true, changedSkus: [] }
      : { status: 409, body: body as InsufficientStockBody, replayed: true, changedSkus: [] };
  }

  private async storeRefusal(sql: PoolClient, cmd: ReserveCommand, print: string, body: InsufficientStockBody): Promise<void> {
    const idem = cmd.idempotency!;
    await sql.query(
      `INSERT INTO idempotency_records (principal, idempotency_key, fingerprint, response_status, response_body, resource_id, expires_at)
       VALUES ($1, $2, $3, 409, $4, NULL, now() + make_interval(hours => $5::int))
       ON CONFLICT (principal, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
         response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
         resource_id = EXCLUDED.resource_id, created_at = now(), expires_at = EXCLUDED.expires_at`,
      [idem.principal, idem.key, print, JSON.stringify(body), idem.retentionHours],
    );
  }

  private async candidates(
    sql: PoolClient,
    skus: string[],
    poolLocations: string[],
    priority: Map<string, number>,
  ): Promise<Map<string, SourcingCandidate[]>> {
    const res = await sql.query<{ sku: string; location: string | null; available: string | null }>(
      `SELECT k.sku, s.location, (s.on_hand - s.reserved - s.allocated - s.damaged - s.quality_control - s.safety_stock) AS available
       FROM skus k LEFT JOIN stock_levels s ON s.sku = k.sku AND s.location = ANY($2::text[])
       WHERE k.sku = ANY($1::text[])`,
      [skus, poolLocations],
    );
    const known = new Set(res.rows.map((r) => r.sku));
    const unknown = skus.filter((s) => !known.has(s));
    if (unknown.length > 0) {
      throw new LedgerError('unknown-sku', `Unknown SKU ${unknown.map((s) => `"${s}"`).join(', ')}.`, { skus: unknown });
    }
    const out = new Map<string, SourcingCandidate[]>();
    for (const r of res.rows) {
      if (!out.has(r.sku)) out.set(r.sku, []);
      if (r.location !== null) {
        out.get(r.sku)!.push({ location: r.location, priority: priority.get(r.location) ?? 1000, available: Math.max(0, Number(r.available)) });
      }
    }
    return out;
  }

  /**
   * Writes the reservation, its lines and (with a key) its idempotency record in one statement, then holds
   * every allocation; throws RaceLost when a line can no longer be held. Stock rows are touched last, in
   * lock order, so hot rows stay locked only for their update and the commit.
   */
  private async hold(sql: PoolClient, cmd: ReserveCommand, print: string, allocations: PlannedAllocation[]): Promise<ReservationView> {
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
    };
    const idem = cmd.idempotency;
    await sql.query(
      `WITH r AS (
         INSERT INTO reservations (id, channel, status, reference, expires_at, created_at, updated_at, correlation_id)
         VALUES ($1, $2, 'active', $3, $4, $5, $5, $6)
       ), l AS (
         INSERT INTO reservation_lines (reservation_id, line_no, sku, location, quantity)
         SELECT $1, ord, sku, location, qty FROM unnest($7::text[], $8::text[], $9::int[]) WITH ORDINALITY AS t(sku, location, qty, ord)
       )
       INSERT INTO idempotency_records (principal, idempotency_key, fingerprint, response_status, response_body, resource_id, expires_at)
       SELECT $10, $11, $12, 201, $13, $1, now() + make_interval(hours => $14::int) WHERE $10::text IS NOT NULL
       ON CONFLICT (principal, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
         response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
         resource_id = EXCLUDED.resource_id, created_at = now(), expires_at = EXCLUDED.expires_at`,
      [
        id,
        cmd.channel,
        cmd.reference ?? null,
        view.expiresAt,
        view.createdAt,
        cmd.correlationId ?? null,
        allocations.map((a) => a.sku),
        allocations.map((a) => a.location),
        allocations.map((a) => a.quantity),
        idem?.principal ?? null,
        idem?.key ?? null,
        print,
        JSON.stringify(view),
        idem?.retentionHours ?? 24,
      ],
    );
    for (const a of lockOrder(allocations)) {
      const held = await move(
        sql,
        { kind: 'reserve', sku: a.sku, location: a.location, deltas: { reserved: a.quantity }, sourceSystem: 'platform', reservationId: id, correlationId: cmd.correlationId },
        a.quantity,
      );
      if (!held) throw new RaceLost();
    }
    return view;
  }

  async get(id: string, channel: string): Promise<ReservationView> {
    const res = await this.db.query<ReservationRow>(`${SELECT_RESERVATION} WHERE r.id = $1 AND r.channel = $2`, [id, channel]);
    if (res.rows.length === 0) throw notFound(id);
    return toView(res.rows[0]);
  }

  /** active → confirmed. Confirming a confirmed reservation changes nothing and succeeds. */
  async confirm(id: string, channel: string): Promise<TransitionOutcome> {
    return this.db.tx(async (sql) => {
      const current = await this.lock(sql, id, channel);
      if (current.status === 'confirmed') return { reservation: toView(current), changed: false, changedSkus: [] };
      // Past its expiry but not yet swept: it is expired for every purpose; the sweeper returns the stock.
      if (current.status === 'active' && current.due) throw notActive({ id, status: 'expired' }, 'confirm');
      if (current.status !== 'active') throw notActive(current, 'confirm');
      await sql.query(`UPDATE reservations SET status = 'confirmed', updated_at = now() WHERE id = $1`, [id]);
      return { reservation: toView({ ...current, status: 'confirmed' }), changed: true, changedSkus: [] };
    });
  }

  /** active → released; the stock returns at once. Releasing a released reservation succeeds unchanged. */
  async release(id: string, channel: string): Promise<TransitionOutcome> {
    return this.db.tx(async (sql) => {
      const current = await this.lock(sql, id, channel);
      if (current.status === 'released') return { reservation: toView(current), changed: false, changedSkus: [] };
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
      for (const m of moves) await this.returnStock(sql, m.sku, m.location, m.quantity, m.reservationId, 'expire');
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

  private async lock(sql: PoolClient, id: string, channel: string): Promise<ReservationRow & { due: boolean }> {
    const res = await sql.query<ReservationRow & { due: boolean }>(
      `${SELECT_RESERVATION.replace('FROM reservations r', ', r.expires_at <= now() AS due FROM reservations r')}
       WHERE r.id = $1 AND r.channel = $2 FOR UPDATE OF r`,
      [id, channel],
    );
    if (res.rows.length === 0) throw notFound(id);
    return res.rows[0];
  }

  private async endWithRelease(sql: PoolClient, current: ReservationRow, status: 'released' | 'expired'): Promise<ReservationView> {
    await sql.query(`UPDATE reservations SET status = $2, updated_at = now(), ended_at = now() WHERE id = $1`, [current.id, status]);
    for (const l of lockOrder(current.lines)) {
      await this.returnStock(sql, l.sku, l.location, l.quantity, current.id, status === 'released' ? 'release' : 'expire');
    }
    return toView({ ...current, status });
  }

  private async returnStock(sql: PoolClient, sku: string, location: string, quantity: number, reservationId: string, kind: 'release' | 'expire') {
    const moved = await move(sql, { kind, sku, location, deltas: { reserved: -quantity }, sourceSystem: 'platform', reservationId });
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
