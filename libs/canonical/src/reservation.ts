/**
 * A reservation's statuses (docs/inventory-model.md#reservations): `collected` ends a click-and-collect hold whose
 * units the customer took away at the store.
 */
export const RESERVATION_STATUSES = ['active', 'confirmed', 'released', 'expired', 'collected'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationLine {
  sku: string;
  location: string;
  quantity: number;
}

export interface Reservation {
  id: string;
  channel: string;
  status: ReservationStatus;
  reference: string | null;
  expiresAt: Date;
  createdAt: Date;
  lines: ReservationLine[];
}

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
}
