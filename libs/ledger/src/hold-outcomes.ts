import type { Shortage } from '@stockbridge/canonical';
import type { PoolClient } from 'pg';
import { type IdempotencyScope, type StoredResponse, storeResponse } from './idempotency-records';
import type { ReservationView } from './reservation-records';

interface Reported {
  /** The outcome was stored under the request's idempotency key by an earlier request and is replayed. */
  replayed: boolean;
  /** SKUs whose stock moved (for the availability publisher); none when replayed or short. */
  changedSkus: string[];
}

/** A new reservation holds every line. */
export interface HeldOutcome extends Reported {
  kind: 'held';
  reservation: ReservationView;
}

/** A reservation holds its new lines. */
export interface ChangedOutcome extends Reported {
  kind: 'changed';
  reservation: ReservationView;
}

/** The stock could not cover the lines: nothing was held or changed. */
export interface ShortOutcome extends Reported {
  kind: 'short';
  shortages: Shortage[];
}

export type ReserveOutcome = HeldOutcome | ShortOutcome;
export type ChangeLinesOutcome = ChangedOutcome | ShortOutcome;

/**
 * How an outcome is kept under its idempotency key. The record's columns (`response_status`,
 * `response_body`) hold it in the shape of the process API's first answer, as they always have, so that a
 * record written by an earlier version replays as it was: a reservation as its view with 201 (created) or
 * 200 (changed), a shortage as `{ code: 'insufficient-stock', shortages }` with 409. This is the one place
 * that knows that encoding; the ledger's callers see outcomes only.
 */
export const RECORDED_STATUS = { held: 201, changed: 200, short: 409 } as const;

interface RecordedShortage {
  code: 'insufficient-stock';
  shortages: Shortage[];
}

/** The outcome an idempotency record replays. */
export function replayOf(stored: StoredResponse, success: 'held'): ReserveOutcome;
export function replayOf(stored: StoredResponse, success: 'changed'): ChangeLinesOutcome;
export function replayOf(
  stored: StoredResponse,
  success: 'held' | 'changed',
): ReserveOutcome | ChangeLinesOutcome {
  if (stored.status === RECORDED_STATUS[success])
    return { kind: success, reservation: stored.body as ReservationView, replayed: true, changedSkus: [] };
  const { shortages } = stored.body as RecordedShortage;
  return { kind: 'short', shortages, replayed: true, changedSkus: [] };
}

/** Stores a changed reservation under the key (KeyTaken when a twin's record appeared meanwhile). */
export async function recordChanged(
  sql: PoolClient,
  idem: IdempotencyScope,
  print: string,
  reservation: ReservationView,
): Promise<void> {
  await storeResponse(
    sql,
    idem,
    print,
    { status: RECORDED_STATUS.changed, body: reservation },
    reservation.id,
  );
}

/**
 * The refusal of lines the stock cannot cover, stored under the key when there is one (`resourceId`: the
 * reservation a change was refused for, null on creation).
 */
export async function refuseShort(
  sql: PoolClient,
  idem: IdempotencyScope | undefined,
  print: string,
  resourceId: string | null,
  shortages: Shortage[],
): Promise<ShortOutcome> {
  if (idem) {
    const body: RecordedShortage = { code: 'insufficient-stock', shortages };
    await storeResponse(sql, idem, print, { status: RECORDED_STATUS.short, body }, resourceId);
  }
  return { kind: 'short', shortages, replayed: false, changedSkus: [] };
}
