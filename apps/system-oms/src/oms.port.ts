import type { GeoPoint } from '@stockbridge/canonical';

/** An order to create in the OMS, in our codes: one per confirmed reservation. */
export interface OmsOrder {
  /** Our reference (the reservation id): the OMS keeps at most one order per reference. */
  reference: string;
  channel: string;
  lines: { sku: string; quantity: number }[];
  /** Where the order ships to, when the reservation said (a point, WGS 84). */
  shipTo: GeoPoint | null;
}

/** An order's status as the OMS last set it, in the OMS's own words. */
export interface OmsStatusChange {
  /** The reference the order was created with (ours: the reservation id, which is also the order id). */
  orderRef: string;
  /** The OMS's native status. */
  status: string;
  /** When the OMS set it (ISO 8601, to the millisecond). */
  changedAt: string;
  /** The status the order was created with and still has: nothing happened to it in the OMS yet. */
  initial: boolean;
}

/** What the platform needs from an order management system. One adapter per OMS product. */
export abstract class OmsPort {
  /** Creates the order; calling it again with the same reference returns the existing one. */
  abstract createOrder(order: OmsOrder): Promise<{ omsOrderId: string; duplicate: boolean }>;
  /**
   * Orders whose status changed at or after `since` (inclusive: the last change seen comes again), oldest
   * first, at most about `max` of them (the caller continues from the last `changedAt`).
   */
  abstract statusChanges(since: string, max?: number): Promise<OmsStatusChange[]>;
  abstract circuit(): string;
}
