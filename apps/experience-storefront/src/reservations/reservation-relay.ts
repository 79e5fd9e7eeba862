import type { ApiHeaderOptions } from '@nestjs/swagger';
import {
  headerRef,
  IDEMPOTENCY_KEY_PATTERN,
  PathCodePipe,
  problem,
  type Problem,
  type ProblemEntry,
  ProblemError,
} from '@stockbridge/app-platform';
import { isUuid } from '@stockbridge/canonical';
import { relay } from '@stockbridge/channel-api';
import type { StorefrontReservation } from './reservation.dto';

/** A reservation as the process API answers it. */
export interface ProcessReservation {
  id: string;
  status: StorefrontReservation['status'];
  expiresAt: string;
  reference: string | null;
  lines: { sku: string; quantity: number; location: string }[];
  /** Absent from responses the process API stored before ship-to existed. */
  shipTo?: { latitude: number; longitude: number } | null;
}

/** The storefront's view of a reservation; field order is fixed so that replays are byte-identical. */
export function toStorefront(r: ProcessReservation): StorefrontReservation {
  return {
    id: r.id,
    status: r.status,
    expiresAt: r.expiresAt,
    reference: r.reference,
    lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, location: l.location })),
    shipTo: r.shipTo ? { latitude: r.shipTo.latitude, longitude: r.shipTo.longitude } : null,
  };
}

export function notFound(id: string): ProblemError {
  return ProblemError.of(404, 'reservation-not-found', `Reservation "${id}" does not exist.`);
}

/** A reservation id in the path: one that is not a UUID is no reservation (404); lower case from here on. */
export const ReservationIdParam = new PathCodePipe(isUuid, notFound, (id) => id.toLowerCase());

/**
 * A stored refusal as the process API stored it (`insufficient-stock` with its `shortages`), replayable: it
 * leaves through the problem filter without a per-request `instance`, so that a replay is byte-identical.
 */
export function insufficientStock(p: Problem): ProblemError {
  return ProblemError.replayable(problem(409, 'insufficient-stock', p.detail, { shortages: p.shortages }));
}

export function isInsufficientStock(status: number, p: Problem): boolean {
  return status === 409 && typeof p.type === 'string' && p.type.endsWith('/insufficient-stock');
}

/** Relays the process API's client errors; anything else means the platform is misconfigured. */
export function failed(status: number, p: Problem): never {
  if ([400, 404, 409, 422].includes(status) && typeof p.type === 'string') relay(p);
  throw ProblemError.of(502, 'upstream-error', 'The reservation service answered unexpectedly.');
}

// What the operations document (OpenAPI), shared by the reservation operations.

export const RESERVATION_ID = { name: 'id', format: 'uuid', description: 'The reservation id' };

export const IDEMPOTENCY_KEY_HEADER = (description: string): ApiHeaderOptions => ({
  name: 'Idempotency-Key',
  required: true,
  description: `${description}; 1–255 visible ASCII characters (a UUID is ideal)`,
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN.source },
  example: '5f0c8a4e-2b7d-4c1a-9e3f-6a8b7c9d0e1f',
});

export const REPLAYED = { 'Idempotent-Replayed': headerRef('Idempotent-Replayed') };

/** Every operation authenticates its API key and checks the scope. */
export const KEY_PROBLEMS: ProblemEntry[] = [
  [401, 'No, unknown or revoked API key', ['unauthorized']],
  [403, 'The key lacks reservations:write', ['forbidden']],
];

/** A request carrying a body and an Idempotency-Key (creation, change of lines). */
export const KEYED_BODY_INVALID: ProblemEntry = [
  400,
  'Invalid body, or missing or invalid Idempotency-Key',
  ['validation-failed', 'malformed-json', 'idempotency-key-required', 'invalid-idempotency-key'],
];

export const NOT_FOUND: ProblemEntry = [
  404,
  'No such reservation in your channel',
  ['reservation-not-found'],
];

/** A body that is not JSON, too large, or not application/json. */
export const BODY_PROBLEMS: ProblemEntry[] = [
  [413, 'Body over 1 MB', ['body-too-large']],
  [415, 'Body is not application/json', ['unsupported-media-type']],
];

/** The reservation service could not answer: retry (with the same Idempotency-Key where there is one). */
export const UPSTREAM_PROBLEMS: ProblemEntry[] = [
  [502, 'The reservation service answered unexpectedly; retry', ['upstream-error']],
  [
    503,
    'The reservation service is unavailable; retry after `Retry-After` seconds',
    ['upstream-unavailable'],
    { 'Retry-After': headerRef('Retry-After') },
  ],
  [504, 'The reservation service did not answer in time; retry', ['upstream-timeout']],
];
