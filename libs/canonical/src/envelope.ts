import type { ReservationLine } from './reservation';

/** The envelope every asynchronous message between layers travels in (docs/messaging.md#the-envelope). */
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
  /** Where the order ships to, when the checkout said (sourcing prefers the nearest location). */
  shipTo?: GeoPoint | null;
}

/** Units of one SKU in a fulfilment message. */
export interface FulfilmentLine {
  sku: string;
  quantity: number;
}

/** A point to ship to (WGS 84), used by sourcing to prefer the nearest location. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/**
 * The process layer asks the WMS to act on a fulfilment order: `release` it for picking (the lines, at one
 * location), or `cancel` it. The fulfilment order id is the WMS's order reference, so a repeated request is
 * recognised there.
 */
export interface FulfilmentRequestedPayload {
  action: 'release' | 'cancel';
  fulfilmentOrderId: string;
  orderId: string;
  channel: string;
  location: string;
  lines: FulfilmentLine[];
  shipTo: GeoPoint | null;
}

/** What the WMS reported about a fulfilment order, translated by system-wms. */
export type FulfilmentReportKind = 'released' | 'shipped' | 'short-picked' | 'cancelled' | 'cancel-refused';

export interface FulfilmentReportedPayload {
  kind: FulfilmentReportKind;
  fulfilmentOrderId: string;
  /** `shipped`: the units that left; `short-picked`: the units that could not be found. Empty otherwise. */
  lines: FulfilmentLine[];
  /** The backend's own id for what it reported (its event id, or the request's id): applied once per id. */
  sourceEventId: string;
  /** Why a cancellation was refused, or the WMS's note. */
  detail: string | null;
}

/** An accounting entry kind; operational stock movements are never postings (docs/workflows.md#financial-postings, issue 4). */
export type PostingKind = 'revenue' | 'cost-of-goods' | 'refund' | 'inventory-adjustment';

/** The process layer asks the ERP to book one accounting entry; `postingKey` makes it happen at most once. */
export interface PostingRequestedPayload {
  postingKey: string;
  kind: PostingKind;
  channel: string;
  /** Cents, positive; the kind says which side it books to. */
  amountCents: number;
  currency: string;
  /** The business day the entry belongs to (YYYY-MM-DD, UTC). */
  businessDate: string;
  /** The order, return or summary the entry is for (shown in the ERP). */
  reference: string;
  /** The ERP's reason code (mapped from the platform's reason), for refunds and adjustments. */
  reasonCode: string | null;
  lines: { sku: string; location: string | null; quantity: number; amountCents: number }[];
}

/** The ERP booked (or had already booked) the entry of a posting key. */
export interface PostingAcknowledgedPayload {
  postingKey: string;
  erpReference: string;
  duplicate: boolean;
}

/** A backend or a channel reported an order's status in its own words (mapped to the canonical state). */
export interface OrderStatusReportedPayload {
  orderId: string;
  /** Who reported it: `oms`, or a channel's code. */
  source: string;
  nativeStatus: string;
  sourceEventId: string;
}

/** Every event type and its payload: one source for producers, the queue registry and consumers. */
export interface EventPayloads {
  'inventory.stock-moved': StockMovedPayload;
  'reservation.confirmed': ReservationConfirmedPayload;
  'fulfilment.requested': FulfilmentRequestedPayload;
  'fulfilment.reported': FulfilmentReportedPayload;
  'finance.posting-requested': PostingRequestedPayload;
  'finance.posting-acknowledged': PostingAcknowledgedPayload;
  'order.status-reported': OrderStatusReportedPayload;
}

export type EventType = keyof EventPayloads;
export type EventOf<T extends EventType> = EventEnvelope<T, EventPayloads[T]>;
export type StockMovedEvent = EventOf<'inventory.stock-moved'>;
export type ReservationConfirmedEvent = EventOf<'reservation.confirmed'>;
export type FulfilmentRequestedEvent = EventOf<'fulfilment.requested'>;
export type FulfilmentReportedEvent = EventOf<'fulfilment.reported'>;
export type PostingRequestedEvent = EventOf<'finance.posting-requested'>;
export type PostingAcknowledgedEvent = EventOf<'finance.posting-acknowledged'>;
export type OrderStatusReportedEvent = EventOf<'order.status-reported'>;
