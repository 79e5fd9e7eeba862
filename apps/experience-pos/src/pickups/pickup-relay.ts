import { problem, type Problem, ProblemError } from '@stockbridge/app-platform';
import { relay } from '@stockbridge/channel-api';
import { isUuid } from '@stockbridge/canonical';
import type { PickupStatus, PosPickup } from './pickup.dto';

/** A reservation as the process API answers it. */
export interface ProcessReservation {
  id: string;
  status: 'active' | 'confirmed' | 'released' | 'expired' | 'collected';
  expiresAt: string;
  reference: string | null;
  lines: { sku: string; quantity: number; location: string }[];
}

const STATUS: Partial<Record<ProcessReservation['status'], PickupStatus>> = {
  active: 'reserved',
  collected: 'collected',
  released: 'cancelled',
  expired: 'lapsed',
};

export function pickupNotFound(id: string): ProblemError {
  return ProblemError.of(404, 'reservation-not-found', `Pickup "${id}" does not exist at your store.`);
}

/**
 * The reservation as a pickup of `store`, or undefined when it is none: a reservation with a line elsewhere, or
 * one confirmed through the storefront API (an order, not a pickup), is not this store's pickup.
 */
export function asPickup(r: ProcessReservation, store: string): PosPickup | undefined {
  const status = STATUS[r.status];
  if (!status || r.lines.length === 0 || r.lines.some((l) => l.location !== store)) return undefined;
  return {
    id: r.id,
    store,
    status,
    pickupBy: r.expiresAt,
    reference: r.reference,
    lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
  };
}

/** A pickup id that is not a UUID names no pickup: answered like an unknown one. */
export function checkPickupId(id: string): string {
  if (!isUuid(id)) throw pickupNotFound(id);
  return id.toLowerCase();
}

/**
 * The process API's refusal in the pickup's words: a reservation no longer active is a pickup already collected,
 * cancelled or lapsed (409 `reservation-not-active`, with `pickupStatus`); a stock refusal is replayable as
 * stored (byte-identical on a retry); other client errors pass as they are; anything else is the platform's fault.
 */
export function refusal(status: number, p: Problem, id?: string): never {
  if (typeof p.type !== 'string') throw unexpected();
  const code = p.type.slice(p.type.lastIndexOf('/') + 1);
  if (status === 409 && code === 'reservation-not-active' && id) {
    const was = STATUS[p.reservationStatus as ProcessReservation['status']];
    throw ProblemError.of(
      409,
      'reservation-not-active',
      was ? `Pickup "${id}" is ${was}: it can no longer change.` : `Pickup "${id}" can no longer change.`,
      was ? { pickupStatus: was } : {},
    );
  }
  if (status === 409 && code === 'insufficient-stock')
    throw ProblemError.replayable(problem(409, 'insufficient-stock', p.detail, { shortages: p.shortages }));
  if (status === 422 && code === 'ttl-exceeds-maximum' && typeof p.maxTtlSeconds === 'number')
    throw ProblemError.of(
      422,
      'ttl-exceeds-maximum',
      `pickupBy is too far away: your channel holds a pickup for at most ${p.maxTtlSeconds} seconds.`,
      { maxTtlSeconds: p.maxTtlSeconds },
    );
  if (status === 404 && code === 'reservation-not-found' && id) throw pickupNotFound(id);
  if ([400, 404, 409, 422].includes(status)) relay(p);
  throw unexpected();
}

function unexpected(): ProblemError {
  return ProblemError.of(
    502,
    'upstream-error',
    'The inventory service answered unexpectedly; send the same request again.',
  );
}
