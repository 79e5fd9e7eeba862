import type { GeoPoint } from '@stockbridge/canonical';
import type { FulfilmentLineState, FulfilmentOrder, FulfilmentStatus, NewOrder, PoolLocation } from './order';

/** A fulfilment order as read from fulfilment_orders joined with its order. */
export interface FulfilmentOrderRow {
  id: string;
  order_id: string;
  location: string;
  status: FulfilmentStatus;
  attempt: number;
  channel: string;
  ship_to_latitude: number | null;
  ship_to_longitude: number | null;
  correlation_id: string | null;
}

/** A row of fulfilment_lines with its open units (quantity − shipped − short_picked − cancelled). */
export interface FulfilmentLineRow {
  sku: string;
  quantity: number;
  shipped: number;
  short_picked: number;
  cancelled: number;
  open: number;
}

/** The columns of a new row of orders. */
export interface OrderRow {
  id: string;
  channel: string;
  reference: string | null;
  ship_to_latitude: number | null;
  ship_to_longitude: number | null;
  correlation_id: string | null;
}

/** A location of a channel's pool, with today's remaining ship capacity. */
export interface PoolLocationRow {
  location: string;
  type: 'warehouse' | 'store';
  priority: number;
  latitude: number | null;
  longitude: number | null;
  capacity_left: number | null;
}

export function toDomain(row: FulfilmentOrderRow): FulfilmentOrder {
  return {
    id: row.id,
    orderId: row.order_id,
    location: row.location,
    status: row.status,
    attempt: Number(row.attempt),
    channel: row.channel,
    shipTo: toGeoPoint(row.ship_to_latitude, row.ship_to_longitude),
    correlationId: row.correlation_id,
  };
}

export function toLine(row: FulfilmentLineRow): FulfilmentLineState {
  return {
    sku: row.sku,
    quantity: Number(row.quantity),
    shipped: Number(row.shipped),
    shortPicked: Number(row.short_picked),
    cancelled: Number(row.cancelled),
    open: Number(row.open),
  };
}

export function toPoolLocation(row: PoolLocationRow): PoolLocation {
  return {
    location: row.location,
    type: row.type,
    priority: Number(row.priority),
    latitude: row.latitude,
    longitude: row.longitude,
    capacityLeft: row.capacity_left === null ? null : Number(row.capacity_left),
  };
}

export function toRow(order: NewOrder): OrderRow {
  return {
    id: order.id,
    channel: order.channel,
    reference: order.reference,
    ship_to_latitude: order.shipTo?.latitude ?? null,
    ship_to_longitude: order.shipTo?.longitude ?? null,
    correlation_id: order.correlationId,
  };
}

/** A ship-to is both coordinates or none. */
function toGeoPoint(latitude: number | null, longitude: number | null): GeoPoint | null {
  return latitude !== null && longitude !== null ? { latitude, longitude } : null;
}
