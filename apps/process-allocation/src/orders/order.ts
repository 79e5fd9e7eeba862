import type { FulfilmentLine, GeoPoint } from '@stockbridge/canonical';

/** The app that makes the orders' movements, transitions and events (their source system). */
export const ALLOCATION_SOURCE = 'process-allocation';

/** Where a fulfilment order is: allocated here, released to the WMS, shipping, or done one way or another. */
export type FulfilmentStatus =
  | 'allocated'
  | 'released'
  | 'partially_shipped'
  | 'shipped'
  | 'cancel_requested'
  | 'cancelled'
  | 'short_closed';

/** The units of an order sent to one location, with what the requests to the WMS need of its order. */
export interface FulfilmentOrder {
  id: string;
  orderId: string;
  location: string;
  status: FulfilmentStatus;
  /** 1 for the first sourcing, 2… for re-sourcing after a short pick. */
  attempt: number;
  /** The order's channel, ship-to and correlation id. */
  channel: string;
  shipTo: GeoPoint | null;
  correlationId: string | null;
}

/** One SKU of a fulfilment order: units asked for, what became of them, and what is still open (allocated). */
export interface FulfilmentLineState {
  sku: string;
  quantity: number;
  shipped: number;
  shortPicked: number;
  cancelled: number;
  open: number;
}

/** A new order, placed from a confirmed reservation (same id). */
export interface NewOrder {
  id: string;
  channel: string;
  reference: string | null;
  shipTo: GeoPoint | null;
  correlationId: string | null;
}

/** A location of a channel's pool as sourcing sees it, before stock is counted. */
export interface PoolLocation {
  location: string;
  type: 'warehouse' | 'store';
  priority: number;
  latitude: number | null;
  longitude: number | null;
  /** Fulfilment orders the location can still take today (null: no limit). */
  capacityLeft: number | null;
}

/** The order's identity in a workflow's stock movements and events. */
export interface OrderContext {
  orderId: string;
  correlationId: string | null;
}

/** Sums lines per SKU, in the order each SKU first appears. */
export function merge(lines: FulfilmentLine[]): FulfilmentLine[] {
  const out = new Map<string, number>();
  for (const l of lines) out.set(l.sku, (out.get(l.sku) ?? 0) + l.quantity);
  return [...out].map(([sku, quantity]) => ({ sku, quantity }));
}

/** Lines held at locations, grouped per location (merged per SKU). */
export function byLocation(
  lines: { sku: string; location: string; quantity: number }[],
): { location: string; lines: FulfilmentLine[] }[] {
  const out = new Map<string, FulfilmentLine[]>();
  for (const l of lines) out.set(l.location, merge([...(out.get(l.location) ?? []), l]));
  return [...out].map(([location, ls]) => ({ location, lines: ls }));
}

export function describeLines(lines: { sku: string; quantity: number }[]): string {
  return lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
}
