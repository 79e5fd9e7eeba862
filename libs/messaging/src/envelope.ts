import type { EventOf, EventPayloads, EventType, ReservationConfirmedEvent } from '@stockbridge/canonical';
import { currentCorrelationId } from './correlation';
import { PermanentError } from './errors';
import { newEventId } from './event-id';

export interface EnvelopeOptions {
  source: string;
  partitionKey: string;
  /** Defaults to the correlation id in scope, else the event id (a new chain starts here). */
  correlationId?: string | null;
  causationId?: string | null;
  id?: string;
  occurredAt?: Date;
  version?: number;
}

export function envelope<T extends EventType>(
  type: T,
  payload: EventPayloads[T],
  options: EnvelopeOptions,
): EventOf<T> {
  const id = options.id ?? newEventId();
  return {
    id,
    type,
    version: options.version ?? 1,
    source: options.source,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    correlationId: options.correlationId ?? currentCorrelationId() ?? id,
    causationId: options.causationId ?? null,
    partitionKey: options.partitionKey,
    payload,
  };
}

/** The job's data as a `reservation.confirmed` event with lines; anything else can never succeed. */
export function reservationConfirmed(data: unknown): ReservationConfirmedEvent {
  const event = data as Partial<ReservationConfirmedEvent> | null;
  if (
    event?.type !== 'reservation.confirmed' ||
    !Array.isArray(event.payload?.lines) ||
    event.payload.lines.length === 0
  ) {
    throw new PermanentError('validation', 'Not a reservation.confirmed event with lines.');
  }
  return event as ReservationConfirmedEvent;
}
