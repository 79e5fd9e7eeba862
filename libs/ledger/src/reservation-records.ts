import type { Channel, GeoPoint, ReservationStatus, Shortage } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import { LedgerError } from './ledger.error';
import type { SourcingCandidate, SourcingLine, SourcingPlan } from './sourcing.strategy';

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

export interface TransitionOutcome {
  reservation: ReservationView;
  changed: boolean;
  changedSkus: string[];
}

/** How often an operation re-reads and re-plans after losing a race for the last units. */
export const MAX_PLAN_ATTEMPTS = 5;

/** A planned line could not be held because a concurrent checkout took the stock first. */
export class RaceLost extends Error {}

/** A twin request with the same idempotency key committed first; the retry replays its response. */
export class KeyTaken extends Error {}

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

export interface ReservationRow {
  id: string;
  channel: string;
  status: ReservationStatus;
  reference: string | null;
  expires_at: Date;
  created_at: Date;
  ship_to_latitude: number | null;
  ship_to_longitude: number | null;
  holder: string | null;
  lines: { sku: string; quantity: number; location: string; line_no: number }[];
}

export function toView(r: ReservationRow): ReservationView {
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

export const SELECT_RESERVATION = `
  SELECT r.id, r.channel, r.status, r.reference, r.expires_at, r.created_at, r.ship_to_latitude, r.ship_to_longitude,
    r.holder,
    (SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'location', l.location, 'line_no', l.line_no))
       FROM reservation_lines l WHERE l.reservation_id = r.id) AS lines
  FROM reservations r`;

/**
 * A reservation of the channel, row-locked for the rest of the transaction; `due` when past its expiry.
 * Two statements: the lines are read after the lock is held, in a snapshot of their own. Read in the
 * locking statement they would come from that statement's snapshot, which predates the lock when it had to
 * wait: a change of lines committed meanwhile would be missed, and a release would return the old lines.
 */
export async function lockReservation(
  sql: PoolClient,
  id: string,
  channel: string,
): Promise<ReservationRow & { due: boolean }> {
  const locked = await sql.query<{ id: string }>(
    `SELECT id FROM reservations WHERE id = $1 AND channel = $2 FOR UPDATE`,
    [id, channel],
  );
  if (locked.rows.length === 0) throw notFound(id);
  const [row] = await readReservations(sql, [id]);
  return row;
}

/** Reservations with their lines, as of now; `due` when past expiry. For rows the caller has locked. */
export async function readReservations(
  sql: PoolClient,
  ids: string[],
): Promise<(ReservationRow & { due: boolean })[]> {
  const res = await sql.query<ReservationRow & { due: boolean }>(
    `${SELECT_RESERVATION.replace('FROM reservations r', ', r.expires_at <= now() AS due FROM reservations r')}
     WHERE r.id = ANY($1::uuid[])`,
    [ids],
  );
  return res.rows.map((r) => ({ ...r, lines: r.lines ?? [] }));
}

/** Refuses lines that name a location outside the channel's pool. */
export function checkLocations(channel: Channel, lines: SourcingLine[]): void {
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
 * What a refused plan lacks: the strategy's shortages, or — when the plan was feasible but the operation
 * gave up after losing the race for the units too often (the stock is going as we look) — what the pool
 * holds now against what was asked.
 */
export function shortagesOf(
  plan: SourcingPlan,
  lines: SourcingLine[],
  candidates: Map<string, SourcingCandidate[]>,
): Shortage[] {
  return plan.ok ? pooledShortages(lines, candidates) : plan.shortages;
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

export function skusOf(r: { lines: { sku: string }[] }): string[] {
  return [...new Set(r.lines.map((l) => l.sku))];
}

export function unitsOf(lines: { quantity: number }[]): number {
  return lines.reduce((sum, l) => sum + l.quantity, 0);
}

export function notFound(id: string): LedgerError {
  return new LedgerError('reservation-not-found', `Reservation "${id}" does not exist.`);
}

const PAST = {
  confirm: 'confirmed',
  release: 'released',
  extend: 'extended',
  change: 'changed',
  collect: 'collected',
} as const;

/** `reservation-not-active`; a reservation past its expiry but not yet swept counts as expired. */
export function notActive(
  r: { id: string; status: ReservationStatus; due?: boolean },
  action: keyof typeof PAST,
): LedgerError {
  const status = r.status === 'active' && r.due ? 'expired' : r.status;
  return new LedgerError(
    'reservation-not-active',
    `Reservation "${r.id}" is ${status} and cannot be ${PAST[action]}.`,
    { reservationStatus: status },
  );
}
