import type { ReservationLine } from './reservation';

/** The envelope every asynchronous message between layers travels in (DESIGN.md §5). */
export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  /** Unique per event; the BullMQ job id and the inbox key, so duplicates are harmless. */
  id: string;
  /** `domain.event`, e.g. `inventory.stock-moved`. */
  type: TType;
  /** Schema version of the payload. */
  version: number;
  /** The app that produced the event. */
  source: string;
  occurredAt: string;
  /** Carried from the originating HTTP request through every job and outgoing call. */
  correlationId: string;
  /** The id of the event or request that caused this one. */
  causationId: string | null;
  /**
   * The aggregate the event is about (a SKU, a reservation). Queues do not order by it: consumers are
   * idempotent and order-tolerant (a movement that does not fit yet is retried).
   */
  partitionKey: string;
  payload: TPayload;
}

/**
 * Movement kinds a source system may report (mirrors the ledger's external kinds; the ledger validates).
 * `ship`, `transfer-out` and `transfer-in` take units out of or into on-hand at one location.
 */
export type ReportedMovementKind =
  'receive' | 'adjust' | 'count' | 'damage' | 'ship' | 'transfer-out' | 'transfer-in';

/** A source system (WMS, ERP, POS) reports that stock moved at one location, in eaches. */
export interface StockMovedPayload {
  movementType: ReportedMovementKind;
  sku: string;
  location: string;
  /** Eaches; signed for `adjust`, the counted figure for `count`, positive otherwise. */
  quantity: number;
  /** The backend that reported it and its own event id: together applied at most once. */
  sourceSystem: string;
  sourceEventId: string;
  reason: string | null;
}

/** A reservation was confirmed: the channel has taken the order; the OMS and the ERP are told. */
export interface ReservationConfirmedPayload {
  reservationId: string;
  channel: string;
  reference: string | null;
  lines: ReservationLine[];
  confirmedAt: string;
}

/** Every event type and its payload: one source for producers, the queue registry and consumers. */
export interface EventPayloads {
  'inventory.stock-moved': StockMovedPayload;
  'reservation.confirmed': ReservationConfirmedPayload;
}

export type EventType = keyof EventPayloads;
export type EventOf<T extends EventType> = EventEnvelope<T, EventPayloads[T]>;
export type StockMovedEvent = EventOf<'inventory.stock-moved'>;
export type ReservationConfirmedEvent = EventOf<'reservation.confirmed'>;
